import { sanitiseCommentHtml } from '../formatting';
import { mailTranslator, type MailLanguage } from './i18n';

/** A composed mail: subject and the same content as plain text and as simple HTML. */
export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

export const CONFIRMATION_HOURS = 48;

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (char) => `&#${char.codePointAt(0) ?? 0};`);

/**
 * A comment quoted in HTML: its rendered, allow-listed formatting (the same HTML readers
 * see in the thread, sanitised once more here), else its text escaped with line breaks kept.
 */
const quoteHtml = (text: string, html?: string): string =>
  `<blockquote style="margin:0 0 8px;padding:4px 12px;border-left:3px solid #ccc;color:#333">${
    html ? sanitiseCommentHtml(html) : escapeHtml(text).replace(/\n/g, '<br>')
  }</blockquote>`;

const quoteText = (text: string): string =>
  text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');

const wrapHtml = (lang: MailLanguage, body: string): string =>
  `<!doctype html><html lang="${lang}"><body style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#111;max-width:640px">${body}</body></html>`;

const link = (url: string, label: string): string => `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`;

export function composeConfirmation(input: {
  lang: MailLanguage;
  site: string;
  name: string;
  email: string;
  confirmUrl: string;
}): ComposedMail {
  const { t } = mailTranslator(input.lang);
  const params = { site: input.site, name: input.name, email: input.email, hours: CONFIRMATION_HOURS };
  return {
    subject: t('confirm.subject', params),
    text: [t('confirm.intro', params), '', t('confirm.action', params), input.confirmUrl, '', t('confirm.ignore')].join('\n'),
    html: wrapHtml(
      input.lang,
      [
        `<p>${escapeHtml(t('confirm.intro', params))}</p>`,
        `<p>${escapeHtml(t('confirm.action', params))}</p>`,
        `<p>${link(input.confirmUrl, t('confirm.button'))}</p>`,
        `<p style="color:#555">${escapeHtml(t('confirm.ignore'))}</p>`,
      ].join(''),
    ),
  };
}

export interface ReplyForMail {
  authorName: string;
  postTitle: string;
  body: string;
  /** The comment's rendered formatting (allow-listed HTML); the mail's HTML part shows it. */
  html?: string;
  /** The post's page with `#parley-<id>`; null when the page's address is unknown. */
  permalink: string | null;
}

export function composeReplies(input: {
  lang: MailLanguage;
  site: string;
  replies: readonly ReplyForMail[];
  unsubscribeUrl: string;
}): ComposedMail {
  const { t } = mailTranslator(input.lang);
  const count = input.replies.length;
  const site = input.site;
  const textParts = [t('replies.intro', { count, site }), ''];
  const htmlParts = [`<p>${escapeHtml(t('replies.intro', { count, site }))}</p>`];
  for (const reply of input.replies) {
    const heading = t('replies.item', { name: reply.authorName, post: reply.postTitle });
    textParts.push(heading, quoteText(reply.body), reply.permalink ?? t('replies.noLink', { site }), '');
    htmlParts.push(
      `<p style="margin:16px 0 4px"><strong>${escapeHtml(heading)}</strong></p>`,
      quoteHtml(reply.body, reply.html),
      `<p>${reply.permalink ? link(reply.permalink, t('replies.open')) : escapeHtml(t('replies.noLink', { site }))}</p>`,
    );
  }
  textParts.push('--', t('footer.why', { site }), `${t('footer.unsubscribe')}: ${input.unsubscribeUrl}`);
  htmlParts.push(
    `<hr><p style="color:#555;font-size:13px">${escapeHtml(t('footer.why', { site }))} ${link(input.unsubscribeUrl, t('footer.unsubscribe'))}</p>`,
  );
  return { subject: t('replies.subject', { count, site }), text: textParts.join('\n'), html: wrapHtml(input.lang, htmlParts.join('')) };
}

export interface QueueItemForMail {
  kind: 'pending' | 'reported';
  authorName: string;
  postTitle: string;
  body: string;
  /** The comment's rendered formatting (allow-listed HTML); the mail's HTML part shows it. */
  html?: string;
  reason: string | null;
  /** The panel's queue, filtered to the comment's post. */
  panelUrl: string;
}

export type ModeratorMailMode = 'instant' | 'hourly' | 'daily';

export function composeModeratorMail(input: {
  lang: MailLanguage;
  site: string;
  mode: ModeratorMailMode;
  items: readonly QueueItemForMail[];
  settingsUrl: string;
}): ComposedMail {
  const { t } = mailTranslator(input.lang);
  const site = input.site;
  const first = input.items[0];
  const subject =
    input.mode === 'instant' && first && input.items.length === 1
      ? t(first.kind === 'pending' ? 'mod.alert.pending.subject' : 'mod.alert.reported.subject', { site })
      : t('mod.digest.subject', { count: input.items.length, site });
  const textParts: string[] = [];
  const htmlParts: string[] = [];
  for (const item of input.items) {
    const heading = t(item.kind === 'pending' ? 'mod.item.pending' : 'mod.item.reported', {
      name: item.authorName,
      post: item.postTitle,
      reason: item.reason ?? '',
    });
    const open = t(item.kind === 'pending' ? 'mod.open.pending' : 'mod.open.reported');
    textParts.push(heading, quoteText(item.body), `${open}: ${item.panelUrl}`, '');
    htmlParts.push(
      `<p style="margin:16px 0 4px"><strong>${escapeHtml(heading)}</strong></p>`,
      quoteHtml(item.body, item.html),
      `<p>${link(item.panelUrl, open)}</p>`,
    );
  }
  const footer = t('mod.footer', { site, mode: t(`mod.mode.${input.mode}`) });
  textParts.push('--', footer, input.settingsUrl);
  htmlParts.push(`<hr><p style="color:#555;font-size:13px">${escapeHtml(footer)} ${link(input.settingsUrl, input.settingsUrl)}</p>`);
  return { subject, text: textParts.join('\n'), html: wrapHtml(input.lang, htmlParts.join('')) };
}

/** A small page for a link opened from a mail: what happened, in the reader's language. */
export function renderMailPage(input: {
  lang: MailLanguage;
  title: string;
  body: string;
  form?: { action: string; button: string } | undefined;
}): string {
  const form = input.form
    ? `<form method="post" action="${escapeHtml(input.form.action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" style="font:inherit;padding:8px 16px">${escapeHtml(input.form.button)}</button></form>`
    : '';
  return `<!doctype html><html lang="${input.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(input.title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5"><h1 style="font-size:1.4rem">${escapeHtml(input.title)}</h1><p>${escapeHtml(input.body)}</p>${form}</body></html>`;
}
