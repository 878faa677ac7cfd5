import type { MailLanguageCode } from '../../contracts/notifications';
import { describeError } from '../error-messages';
import type { WidgetTranslator } from '../i18n';
import type { MailOutcome, WidgetController } from '../widget-controller';
import { useWidget } from './widget-context';

/** The reader's answer to "Notify me of replies" in one composer. */
export interface NotifyChoice {
  isWanted: boolean;
  email: string;
}

export const NO_NOTIFY: NotifyChoice = { isWanted: false, email: '' };

const MAX_EMAIL_LENGTH = 254;
// The service's own rule (zod's e-mail pattern), so the widget refuses what it would refuse.
const EMAIL_PATTERN = /^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** Whether the composer offers the checkbox: mail is on and the reader is not already confirmed. */
export function isNotifyOffered(controller: WidgetController): boolean {
  const state = controller.mailState;
  return state?.isMailEnabled === true && state.subscription?.status !== 'active';
}

/** Whether the reader must type an address: SSO readers whose sign-in carries one need not. */
function isAddressNeeded(controller: WidgetController): boolean {
  return !(controller.isSignedIn && controller.mailState?.signInEmail);
}

/** The address problem to show before anything is posted, or '' when the choice can be sent. */
export function checkNotifyChoice(controller: WidgetController, choice: NotifyChoice, translator: WidgetTranslator): string {
  if (!choice.isWanted || !isNotifyOffered(controller) || !isAddressNeeded(controller)) return '';
  const email = choice.email.trim();
  if (email === '') return translator.t('notify.emailMissing');
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(email)) return translator.t('notify.emailInvalid');
  return '';
}

/** Sends the choice after the comment was posted (a new guest has no identity before that). */
export async function sendNotifyChoice(controller: WidgetController, choice: NotifyChoice, lang: string): Promise<MailOutcome | undefined> {
  if (!choice.isWanted || !isNotifyOffered(controller)) return undefined;
  const email = isAddressNeeded(controller) ? choice.email.trim() : undefined;
  const mailLang: MailLanguageCode = lang === 'ru' || lang === 'uk' ? lang : 'en';
  return controller.subscribeToReplies(email, mailLang);
}

/** What a subscription request did, in the reader's words. */
export function describeMailOutcome(outcome: MailOutcome, translator: WidgetTranslator): string {
  switch (outcome.kind) {
    case 'confirmation-sent':
      return translator.t('notify.confirmationSent', { email: outcome.email });
    case 'already-active':
      return translator.t('notify.alreadyActive', { email: outcome.email });
    case 'failed':
      return translator.t('notify.failed', { reason: describeError(outcome.error, translator) });
  }
}

interface NotifyFieldProps {
  id: string;
  choice: NotifyChoice;
  error: string;
  onChange: (choice: NotifyChoice) => void;
}

/**
 * "Notify me of replies" under the comment text: shown only when the site mails
 * (nothing is promised otherwise); an e-mail field for guests and sign-ins without
 * an address; a line instead of the checkbox once the reader's address is confirmed.
 */
export function NotifyField({ id, choice, error, onChange }: NotifyFieldProps) {
  const { controller, t } = useWidget();
  const state = controller.mailState;
  if (!state?.isMailEnabled) return null;
  const subscription = state.subscription;
  if (subscription?.status === 'active') {
    return (
      <p class="identity notify-state" data-notify="active">
        {t('notify.active', { email: subscription.email })}
      </p>
    );
  }
  const isAddressShown = choice.isWanted && isAddressNeeded(controller);
  return (
    <div class="notify" data-notify={subscription ? 'pending' : 'off'}>
      <label class="check">
        <input
          type="checkbox"
          name="notify"
          checked={choice.isWanted}
          onChange={(event) => onChange({ ...choice, isWanted: event.currentTarget.checked })}
        />{' '}
        {state.signInEmail && controller.isSignedIn ? t('notify.labelAt', { email: state.signInEmail }) : t('notify.label')}
      </label>
      {isAddressShown ? (
        <>
          <label for={`${id}-email`}>{t('notify.emailLabel')}</label>
          <input
            id={`${id}-email`}
            name="email"
            type="email"
            autoComplete="email"
            inputMode="email"
            maxLength={MAX_EMAIL_LENGTH}
            value={choice.email}
            aria-invalid={error ? 'true' : 'false'}
            aria-describedby={`${id}-email-error ${id}-email-hint`}
            onInput={(event) => onChange({ ...choice, email: event.currentTarget.value })}
          />
          <p class="error" id={`${id}-email-error`} aria-live="polite">
            {error}
          </p>
        </>
      ) : null}
      {choice.isWanted ? (
        <p class="notice" id={`${id}-email-hint`}>
          {t('notify.hint')}
        </p>
      ) : null}
      {subscription?.status === 'pending' ? (
        <p class="notice" data-notify-pending>
          {t('notify.pending', { email: subscription.email })}
        </p>
      ) : null}
    </div>
  );
}
