import { operation } from '../shared/openapi';
import { moderatorNotificationsBodySchema, siteParamsSchema, subscribeBodySchema, tokenQuerySchema } from './mail.schemas';

const subscriptionState = {
  type: 'object',
  required: ['isMailEnabled', 'subscription', 'signInEmail'],
  properties: {
    isMailEnabled: { type: 'boolean', description: 'false: SMTP_URL/MAIL_FROM are not set; the widget hides the e-mail field' },
    subscription: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['status', 'email', 'lang'],
          properties: {
            status: { enum: ['pending', 'active'], description: 'pending: the confirmation link was not opened yet' },
            email: { type: 'string', description: 'Masked: `o•••@example.com`' },
            lang: { enum: ['en', 'ru', 'uk'] },
          },
        },
      ],
    },
    signInEmail: {
      oneOf: [{ type: 'null' }, { type: 'string' }],
      description: 'The address the SSO sign-in carries, masked (`j•••@example.com`): the widget then asks for no address',
    },
  },
};

const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });

const linkPage = (summary: string, extra: Record<string, unknown>) => {
  const base = operation({ summary, tag: 'mail', query: tokenQuerySchema, ok: { status: 200, description: '' }, errors: [] });
  return { ...base, responses: extra };
};

const moderatorSettings = {
  type: 'object',
  required: ['isMailEnabled', 'email', 'sites'],
  properties: {
    isMailEnabled: { type: 'boolean' },
    email: { type: 'string', description: "The moderator's account address, where the mails go" },
    sites: {
      type: 'array',
      items: {
        type: 'object',
        required: ['site', 'name', 'mode', 'lang'],
        properties: {
          site: { type: 'string' },
          name: { type: 'string' },
          mode: { enum: ['instant', 'hourly', 'daily', 'off'] },
          lang: { oneOf: [{ enum: ['en', 'ru', 'uk'] }, { type: 'null' }] },
        },
      },
    },
  },
};

/** OpenAPI paths of reply notifications, mail links and moderators' notification settings. */
export function mailApiPaths(): Record<string, unknown> {
  const readerAuth = { security: [{ authorToken: [] }] };
  return {
    '/api/v1/sites/{site}/subscriptions': {
      get: {
        ...operation({
          summary: "Whether mail is on, and the reader's reply notifications on this site (by author token or SSO)",
          tag: 'mail',
          params: siteParamsSchema.shape,
          ok: { status: 200, description: '`{ isMailEnabled, subscription, signInEmail }`', schema: subscriptionState },
          errors: [403, 404],
        }),
        ...readerAuth,
      },
      post: {
        ...operation({
          summary:
            'Ask for a mail when someone replies to me: sends a confirmation mail (double opt-in); nothing else is sent until its link is opened',
          tag: 'mail',
          params: siteParamsSchema.shape,
          body: subscribeBodySchema,
          ok: {
            status: 202,
            description:
              'Confirmation mail queued: `{ isConfirmationSent: true, subscription: { status: "pending", email, lang } }`. 200 with `isConfirmationSent: false` when the address is already confirmed',
          },
          errors: [400, 401, 403, 404, 409, 429],
        }),
        ...readerAuth,
        description:
          '409 `MAIL_DISABLED` when the server has no SMTP_URL/MAIL_FROM; 401 without an author token or SSO sign-in; 429 when a confirmation was sent moments ago or the address had three today.',
      },
      delete: {
        ...operation({
          summary: 'Turn my reply notifications off (the address is deleted)',
          tag: 'mail',
          params: siteParamsSchema.shape,
          ok: { status: 200, description: '`{ cancelled }`' },
          errors: [401, 403, 404],
        }),
        ...readerAuth,
      },
    },
    '/api/v1/subscriptions/confirm': {
      get: linkPage('The confirmation link from the mail: a page saying what happened, in the subscriber’s language', {
        '200': html('Confirmed (or already confirmed)'),
        '400': html('Invalid, cancelled or replaced link'),
        '410': html('Expired link (links work 48 hours)'),
      }),
    },
    '/api/v1/subscriptions/unsubscribe': {
      get: linkPage('The unsubscribe link from a mail: a page with an Unsubscribe button (opening it changes nothing)', {
        '200': html('The question, or "already unsubscribed"'),
        '400': html('Invalid link'),
      }),
      post: linkPage(
        'RFC 8058 one-click unsubscribe (`List-Unsubscribe=One-Click` form body, as mail clients send it); works without signing in',
        { '200': html('Unsubscribed; the address is deleted (also when it already was)'), '400': html('Invalid link') },
      ),
    },
    '/api/v1/mod/me/notifications': {
      get: operation({
        summary: "My mail notifications per site I moderate: new pending or reported items instantly, hourly or daily, or off (default)",
        tag: 'mail',
        ok: { status: 200, description: '`{ isMailEnabled, email, sites: [{ site, name, mode, lang }] }`', schema: moderatorSettings },
        errors: [401],
        isModerator: true,
      }),
      put: operation({
        summary: 'Set my mail notifications for one site',
        tag: 'mail',
        body: moderatorNotificationsBodySchema,
        ok: { status: 200, description: 'The settings after the change', schema: moderatorSettings },
        errors: [400, 401, 403, 404, 409],
        isModerator: true,
      }),
    },
  };
}
