import sanitizeHtml from 'sanitize-html';
import {
  COMMENT_HTML_ATTRIBUTES,
  COMMENT_HTML_ELEMENTS,
  COMMENT_LINK_REL,
  COMMENT_LINK_SCHEMES,
  COMMENT_LINK_TARGET,
  SPOILER_CLASS,
} from '../contracts/formatting';
import { escapeHtml, parseComment, renderTokens } from './markdown-parser';

/**
 * Bumped whenever the rendering changes, so that stored HTML of an older
 * renderer is rendered again on read.
 */
export const COMMENT_HTML_VERSION = 1;

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...COMMENT_HTML_ELEMENTS],
  allowedAttributes: Object.fromEntries(Object.entries(COMMENT_HTML_ATTRIBUTES).map(([tag, names]) => [tag, [...names]])),
  allowedClasses: { span: [SPOILER_CLASS] },
  allowedSchemes: [...COMMENT_LINK_SCHEMES],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // markdown-it never writes other elements: one that appears is dropped, its text kept.
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...(attribs['href'] !== undefined ? { href: attribs['href'] } : {}), rel: COMMENT_LINK_REL, target: COMMENT_LINK_TARGET },
    }),
    ol: (tagName, attribs) => {
      const start = attribs['start'];
      return { tagName, attribs: start !== undefined && /^\d{1,9}$/.test(start) ? { start } : {} };
    },
  },
};

/** Enforces the allow-list on HTML, whatever produced it. */
export function sanitiseCommentHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS);
}

/** Plain text as the subset's HTML: escaped, one paragraph, line breaks kept. */
export function plainTextAsHtml(text: string): string {
  return `<p>${escapeHtml(text).replace(/\n/g, '<br>\n')}</p>\n`;
}

/**
 * A comment body (Markdown subset) as HTML of the allow-list: raw HTML stays
 * text, links other than http/https/mailto stay text, every link opens in a
 * new tab with `rel="ugc nofollow noopener"`, nesting is capped.
 */
export function renderCommentHtml(source: string): string {
  if (source.length === 0) return '';
  const parsed = parseComment(source);
  const html = parsed.isPlainText ? plainTextAsHtml(source) : renderTokens(parsed.tokens);
  return sanitiseCommentHtml(html);
}
