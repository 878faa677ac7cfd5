/**
 * The Markdown subset's output: the only elements and attributes a comment's
 * `html` may contain. The server renders to it and enforces it after
 * rendering; the widget and the panel check it again when they build nodes.
 */
export const COMMENT_HTML_ELEMENTS = [
  'p',
  'br',
  'strong',
  'em',
  's',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'span',
] as const;
export type CommentHtmlElement = (typeof COMMENT_HTML_ELEMENTS)[number];

/** Attributes per element; every other attribute is dropped. */
export const COMMENT_HTML_ATTRIBUTES: Readonly<Partial<Record<CommentHtmlElement, readonly string[]>>> = {
  a: ['href', 'rel', 'target'],
  ol: ['start'],
  span: ['class'],
};

/** Link schemes that stay links; any other link renders as its source text. */
export const COMMENT_LINK_SCHEMES = ['http', 'https', 'mailto'] as const;

/** Every link in a comment carries exactly this `rel` and `target`. */
export const COMMENT_LINK_REL = 'ugc nofollow noopener';
export const COMMENT_LINK_TARGET = '_blank';

/** `||hidden||` renders as `<span class="spoiler">`; readers reveal it on click or Enter. */
export const SPOILER_CLASS = 'spoiler';

/** Elements nest at most this deep in a comment's `html`; deeper markup is flattened to its text. */
export const COMMENT_HTML_MAX_DEPTH = 8;
