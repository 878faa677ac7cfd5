/** Languages notification mails and their link pages come in. */
export type MailLanguageCode = 'en' | 'ru' | 'uk';

/** `GET /sites/:site/subscriptions`: what the widget shows about a reader's reply notifications. */
export interface SubscriptionStateDto {
  /** False when the server has no SMTP_URL/MAIL_FROM: the widget offers no e-mail field. */
  isMailEnabled: boolean;
  subscription: { status: 'pending' | 'active'; email: string; lang: MailLanguageCode } | null;
  /** The address the reader's site sign-in (SSO) carries, masked; null for guests and sign-ins without one. */
  signInEmail: string | null;
}

/** `POST /sites/:site/subscriptions`: 202 with a confirmation mail queued, 200 when the address was already confirmed. */
export interface SubscribeResultDto {
  isConfirmationSent: boolean;
  subscription: NonNullable<SubscriptionStateDto['subscription']>;
}

/** How often a moderator hears of new pending or reported items on one site. */
export const MODERATOR_MAIL_MODES = ['off', 'instant', 'hourly', 'daily'] as const;
export type ModeratorMailMode = (typeof MODERATOR_MAIL_MODES)[number];

/** `GET|PUT /mod/me/notifications`. */
export interface ModeratorNotificationsDto {
  isMailEnabled: boolean;
  /** Where the mails go: the moderator's own account address. */
  email: string;
  sites: { site: string; name: string; mode: ModeratorMailMode; lang: MailLanguageCode | null }[];
}
