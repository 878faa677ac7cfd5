import MarkdownIt from 'markdown-it';
type StateInline = MarkdownIt.StateInline;
type Token = MarkdownIt.Token;
import { COMMENT_HTML_MAX_DEPTH, COMMENT_LINK_REL, COMMENT_LINK_TARGET, SPOILER_CLASS } from '../contracts/formatting';

/**
 * Block nesting markdown-it follows before it stops reading. Past it,
 * markdown-it would drop the rest of the comment, so a comment that reaches it
 * is shown as plain text instead (see `parseComment`).
 */
const PARSER_MAX_NESTING = 64;

const SAFE_LINK = /^(?:https?:\/\/|mailto:)/i;

/** What any link linkify finds contains (see `createParser`). */
const MAY_HOLD_LINK = /[:@]|\/\/|localhost|www\.|\.\d{1,3}\.|\.\p{L}\p{L}/iu;

/** `||` positions of each inline source, found once so that spoilers stay linear. */
const spoilerMarks = new WeakMap<StateInline, number[]>();

function marksOf(state: StateInline): number[] {
  let marks = spoilerMarks.get(state);
  if (marks === undefined) {
    marks = [];
    const { src } = state;
    for (let at = src.indexOf('||'); at !== -1; at = src.indexOf('||', at + 2)) marks.push(at);
    spoilerMarks.set(state, marks);
  }
  return marks;
}

/** The first mark at or after `from`, by binary search. */
function nextMark(marks: readonly number[], from: number): number | undefined {
  let low = 0;
  let high = marks.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((marks[middle] ?? Infinity) < from) low = middle + 1;
    else high = middle;
  }
  return marks[low];
}

/** `||spoiler||`: hidden until a reader reveals it. Its content may hold emphasis, code and links. */
function spoiler(state: StateInline, silent: boolean): boolean {
  const start = state.pos;
  if (state.src.charCodeAt(start) !== 0x7c || state.src.charCodeAt(start + 1) !== 0x7c) return false;
  const close = nextMark(marksOf(state), start + 2);
  if (close === undefined || close + 2 > state.posMax || close === start + 2) return false;
  if (!silent) {
    const max = state.posMax;
    state.push('spoiler_open', 'span', 1).attrSet('class', SPOILER_CLASS);
    state.pos = start + 2;
    state.posMax = close;
    state.md.inline.tokenize(state);
    state.posMax = max;
    state.push('spoiler_close', 'span', -1);
  }
  state.pos = close + 2;
  return true;
}

/** markdown-it's text terminators, plus `|` so that a spoiler may start inside a run of text. */
const TERMINATORS = new Set([10, 33, 35, 36, 37, 38, 42, 43, 45, 58, 60, 61, 62, 64, 91, 92, 93, 94, 95, 96, 123, 124, 125, 126]);

function text(state: StateInline, silent: boolean): boolean {
  let pos = state.pos;
  while (pos < state.posMax && !TERMINATORS.has(state.src.charCodeAt(pos))) pos++;
  if (pos === state.pos) return false;
  if (!silent) state.pending += state.src.slice(state.pos, pos);
  state.pos = pos;
  return true;
}

function createParser(): MarkdownIt.MarkdownIt {
  const md = new MarkdownIt('zero', { html: false, linkify: true, breaks: true, maxNesting: PARSER_MAX_NESTING });
  md.enable(['blockquote', 'code', 'fence', 'list']);
  md.enable(['linkify']);
  md.enable(['autolink', 'backticks', 'emphasis', 'escape', 'link', 'linkify', 'newline', 'strikethrough']);
  md.inline.ruler.at('text', text);
  md.inline.ruler.after('text', 'spoiler', spoiler);
  md.validateLink = (url) => SAFE_LINK.test(url);
  // Link text shows exactly what was written: no punycode or percent decoding that could disguise a host.
  md.normalizeLinkText = (url) => url;
  md.linkify.set({ fuzzyEmail: true, fuzzyLink: true });
  // linkify-it's own test runs large Unicode regular expressions over each text; a link needs a
  // schema (`:` or `//`), an `@`, or a host (`localhost`, `www.`, `.1.` or a dot before a top-level
  // domain, two letters at least): a text with none of them is answered at once.
  const linkify = md.linkify;
  const test = linkify.test.bind(linkify);
  linkify.test = (source: string): boolean => MAY_HOLD_LINK.test(source) && test(source);
  const render = md.renderer.rules;
  render['link_open'] = (tokens, index, options, _env, self) => {
    const token = tokens[index];
    if (token) {
      token.attrSet('rel', COMMENT_LINK_REL);
      token.attrSet('target', COMMENT_LINK_TARGET);
    }
    return self.renderToken(tokens, index, options);
  };
  // Code keeps no language class: the allow-list has no class on `code`.
  render['fence'] = (tokens, index) => `<pre><code>${md.utils.escapeHtml(tokens[index]?.content ?? '')}</code></pre>\n`;
  return md;
}

const parser = createParser();

/** Containers whose nesting is capped; their content stays, their markup goes. */
const CAPPED_BLOCKS = new Set(['blockquote_open', 'blockquote_close', 'bullet_list_open', 'bullet_list_close', 'ordered_list_open', 'ordered_list_close', 'list_item_open', 'list_item_close']);

/**
 * Drops opening and closing tokens nested deeper than the cap, keeping what
 * they held: an emphasis bomb or a tower of quotes renders as flat text, in
 * one pass over the tokens.
 */
function capDepth(tokens: Token[], isCapped: (token: Token) => boolean, maxDepth: number): Token[] {
  const kept: Token[] = [];
  const open: boolean[] = [];
  let depth = 0;
  let unwrapped = 0;
  for (const token of tokens) {
    if (!isCapped(token) || token.nesting === 0) {
      // A paragraph freed from a dropped list item shows as a paragraph again.
      if (unwrapped > 0 && token.type.startsWith('paragraph_')) token.hidden = false;
      kept.push(token);
      continue;
    }
    if (token.nesting === 1) {
      const keep = depth < maxDepth;
      open.push(keep);
      if (keep) {
        depth++;
        kept.push(token);
      } else unwrapped++;
    } else {
      const wasKept = open.pop() ?? true;
      if (wasKept) {
        depth = Math.max(0, depth - 1);
        kept.push(token);
      } else unwrapped--;
    }
  }
  return kept;
}

/** A parsed comment, ready to render to HTML or to read as text. */
export interface ParsedComment {
  tokens: Token[];
  /** Nested deeper than markdown-it follows: shown as plain text instead. */
  isPlainText: boolean;
}

export function parseComment(source: string): ParsedComment {
  const tokens = parser.parse(source, {});
  if (tokens.some((token) => token.level >= PARSER_MAX_NESTING - 1)) return { tokens: [], isPlainText: true };
  // Block containers and inline elements share the depth budget of the allow-list.
  const blockDepth = Math.floor(COMMENT_HTML_MAX_DEPTH / 2);
  const blocks = capDepth(tokens, (token) => CAPPED_BLOCKS.has(token.type), blockDepth);
  for (const token of blocks) {
    if (token.type === 'inline' && token.children) {
      token.children = capDepth(token.children, (child) => child.nesting !== 0, COMMENT_HTML_MAX_DEPTH - blockDepth - 1);
    }
  }
  return { tokens: blocks, isPlainText: false };
}

/** The markdown-it HTML of parsed tokens (sanitised afterwards by `renderCommentHtml`). */
export function renderTokens(tokens: Token[]): string {
  return parser.renderer.render(tokens, parser.options, {});
}

export function escapeHtml(text: string): string {
  return parser.utils.escapeHtml(text);
}

/**
 * Whether a link shows its own target (an autolink, `example.com`, `a@b.c`),
 * so that reading its text already tells where it goes.
 */
export function isLinkTextItsTarget(text: string, href: string): boolean {
  return [text, `http://${text}`, `mailto:${text}`].some((candidate) => candidate === href || parser.normalizeLink(candidate) === href);
}
