import { Router, type Request, type Response } from 'express';
import { currentModerator, readBearer } from '../identity';
import { parseInput } from '../shared/http';
import { pickMailLanguage, mailTranslator, type MailLanguage } from './i18n';
import { CONFIRMATION_HOURS, renderMailPage } from './mail-messages';
import {
  langSchema,
  moderatorNotificationsBodySchema,
  siteParamsSchema,
  subscribeBodySchema,
  tokenQuerySchema,
} from './mail.schemas';
import type { ModeratorAlerts } from './moderator-alerts';
import type { LinkOutcome, ReplyNotifications } from './reply-notifications';

export interface MailRouterDeps {
  replies: ReplyNotifications;
  moderatorAlerts: ModeratorAlerts;
  /** Refuses a browser origin that is not one of the site's (ORIGIN_NOT_ALLOWED). */
  assertOrigin: (site: string, origin: string | undefined) => Promise<void>;
}

const STATUS_OF_OUTCOME: Record<LinkOutcome['kind'], number> = {
  confirmed: 200,
  'already-confirmed': 200,
  'unsubscribe-asked': 200,
  unsubscribed: 200,
  gone: 200,
  expired: 410,
  invalid: 400,
};

/** The page a mail's link opens, in the subscriber's language (else the browser's). */
function sendOutcomePage(req: Request, res: Response, outcome: LinkOutcome): void {
  const lang: MailLanguage = outcome.lang ?? pickMailLanguage(req.acceptsLanguages());
  const { t } = mailTranslator(lang);
  const site = 'site' in outcome ? outcome.site : '';
  const page = ((): { title: string; body: string; form?: { action: string; button: string } } => {
    switch (outcome.kind) {
      case 'confirmed':
        return { title: t('page.confirmed.title'), body: t('page.confirmed.body', { site }) };
      case 'already-confirmed':
        return { title: t('page.confirmed.title'), body: t('page.alreadyConfirmed.body') };
      case 'expired':
        return { title: t('page.expired.title'), body: t('page.expired.body', { hours: CONFIRMATION_HOURS }) };
      case 'invalid':
        return { title: t('page.invalid.title'), body: t('page.invalid.body') };
      case 'unsubscribe-asked':
        return {
          title: t('page.unsubscribe.title'),
          body: t('page.unsubscribe.body', { site }),
          form: { action: req.originalUrl, button: t('page.unsubscribe.button') },
        };
      case 'unsubscribed':
        return { title: t('page.unsubscribed.title'), body: t('page.unsubscribed.body', { site }) };
      case 'gone':
        return { title: t('page.goneAlready.title'), body: t('page.goneAlready.body') };
    }
  })();
  res
    .status(STATUS_OF_OUTCOME[outcome.kind])
    .setHeader('Cache-Control', 'no-store')
    .setHeader('X-Robots-Tag', 'noindex')
    .setHeader('X-Parley-Outcome', outcome.kind)
    .type('html')
    .send(renderMailPage({ lang, ...page }));
}

/** A token that does not even parse still gets a page, not a JSON error: a person clicked it. */
function tokenOf(req: Request): string | undefined {
  const parsed = tokenQuerySchema.safeParse(req.query);
  return parsed.success ? parsed.data.token : undefined;
}

/** Readers' subscriptions, the pages behind mail links, and moderators' notification settings. */
export function createMailRouter(deps: MailRouterDeps): Router {
  const router = Router();

  router.get('/sites/:site/subscriptions', async (req, res) => {
    const { site } = parseInput(siteParamsSchema, req.params, 'site');
    await deps.assertOrigin(site, req.headers.origin);
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(await deps.replies.state(site, readBearer(req)));
  });

  router.post('/sites/:site/subscriptions', async (req, res) => {
    const { site } = parseInput(siteParamsSchema, req.params, 'site');
    const body = parseInput(subscribeBodySchema, req.body ?? {}, 'subscription');
    await deps.assertOrigin(site, req.headers.origin);
    const result = await deps.replies.subscribe(site, readBearer(req), body);
    res.status(result.isConfirmationSent ? 202 : 200).json(result);
  });

  router.delete('/sites/:site/subscriptions', async (req, res) => {
    const { site } = parseInput(siteParamsSchema, req.params, 'site');
    await deps.assertOrigin(site, req.headers.origin);
    res.json({ cancelled: await deps.replies.cancel(site, readBearer(req)) });
  });

  const fallbackLang = (req: Request): MailLanguage | undefined => {
    const lang = langSchema.safeParse(req.query['lang']);
    return lang.success ? lang.data : undefined;
  };

  router.get('/subscriptions/confirm', async (req, res) => {
    const token = tokenOf(req);
    const outcome = token
      ? await deps.replies.confirm(token, fallbackLang(req))
      : ({ kind: 'invalid', lang: fallbackLang(req) } as const);
    sendOutcomePage(req, res, outcome);
  });

  // GET shows a button (mail scanners open links; they must not unsubscribe anyone);
  // POST is RFC 8058's one-click, sent by mail clients with `List-Unsubscribe=One-Click`.
  router.get('/subscriptions/unsubscribe', async (req, res) => {
    const token = tokenOf(req);
    const outcome = token
      ? await deps.replies.unsubscribe(token, false, fallbackLang(req))
      : ({ kind: 'invalid', lang: fallbackLang(req) } as const);
    sendOutcomePage(req, res, outcome);
  });

  router.post('/subscriptions/unsubscribe', async (req, res) => {
    const token = tokenOf(req);
    const outcome = token
      ? await deps.replies.unsubscribe(token, true, fallbackLang(req))
      : ({ kind: 'invalid', lang: fallbackLang(req) } as const);
    sendOutcomePage(req, res, outcome);
  });

  router.get('/mod/me/notifications', async (_req, res) => {
    res.json(await deps.moderatorAlerts.settingsOf(currentModerator(res)));
  });

  router.put('/mod/me/notifications', async (req, res) => {
    const body = parseInput(moderatorNotificationsBodySchema, req.body ?? {}, 'notification setting');
    const lang = body.lang ?? pickMailLanguage(req.acceptsLanguages());
    res.json(await deps.moderatorAlerts.update(currentModerator(res), { site: body.site, mode: body.mode, lang }));
  });

  return router;
}
