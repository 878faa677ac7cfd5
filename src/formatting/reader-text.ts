import { isLinkTextItsTarget, parseComment } from './markdown-parser';

/**
 * A comment as its readers will read it: the text the rendered HTML shows,
 * then, one per line, the targets of links whose text hides them. Every UTF-16
 * unit remembers where it came from in the source, so that a finding on what
 * readers see can point into what the author wrote.
 */
export interface ReaderText {
  text: string;
  /** For each UTF-16 unit of `text`, its offset in the source. */
  sourceOffsets: readonly number[];
  /** Every link target, in order (shown or not). */
  links: readonly string[];
}

function lineStartsOf(source: string): number[] {
  const starts = [0];
  for (let at = source.indexOf('\n'); at !== -1; at = source.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/**
 * Reads a comment body as readers will see it. Linear in the body: each
 * visible unit is matched to the next equal unit of its block's source
 * (what Markdown shows is a subsequence of what was written), never further
 * than the block's last line.
 */
export function readerTextOf(source: string): ReaderText {
  // Trailing spaces end a paragraph unseen.
  let end = source.length;
  while (end > 0 && source.charCodeAt(end - 1) === 0x20) end--;
  const shown = end === source.length ? source : source.slice(0, end);
  if (readsAsWritten(shown)) return { text: shown, sourceOffsets: unitIndices(shown), links: [] };
  return readParsedText(source);
}

/**
 * Characters after which Markdown, as comments are parsed, may show something
 * else than what was written: markup (`* _ ~ \` [ ] < > | \`), line structure,
 * and what linkify reads as a link (`@`, `/`). A dot before two letters or
 * digits may be a host name; one at the start of a line may follow a list number.
 */
const MARKUP = new Uint8Array(0x80);
for (const char of '*_~`[]<>|\\@/\n\r\t\0') MARKUP[char.charCodeAt(0)] = 1;

/** Line starts that open a list (`- `, `+ `, `1. `, `1) `). */
const LIST_START = /^(?:[-+]|\d+[.)])/;

/**
 * Whether the rendered comment reads exactly as written (one plain
 * paragraph): the common case, which needs no Markdown parse.
 */
function readsAsWritten(source: string): boolean {
  const length = source.length;
  if (length === 0 || source.trim().length !== length || LIST_START.test(source)) return false;
  for (let index = 0; index < length; index++) {
    const code = source.charCodeAt(index);
    if (code >= 0x80) {
      // Other line breaks and spaces markdown-it may trim or split on.
      if (code === 0x2028 || code === 0x2029 || code === 0x85) return false;
      continue;
    }
    if (MARKUP[code] === 1) return false;
    // A host name ends in a top-level domain of two characters or more: one letter or digit after
    // the dot (`f.u.c.k`, `e.g.`, `2.3%`) starts none.
    if (
      code === 0x2e &&
      isLetterOrDigit(source.charCodeAt(index + 1)) &&
      (isLetterOrDigit(source.charCodeAt(index + 2)) || isSurrogate(source.charCodeAt(index + 1)))
    )
      return false;
  }
  return true;
}

function isSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff;
}

function isLetterOrDigit(code: number): boolean {
  if (Number.isNaN(code)) return false;
  if (code < 0x80) return (code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a);
  const char = String.fromCharCode(code);
  return /[\p{L}\p{N}]/u.test(char) || (code >= 0xd800 && code <= 0xdfff);
}

/** `[0, 1, …, n - 1]` for the n UTF-16 units of `source`: text that reads as written maps onto itself. */
function unitIndices(source: string): number[] {
  const indices = new Array<number>(source.length);
  for (let index = 0; index < source.length; index++) indices[index] = index;
  return indices;
}

/** The reading through the Markdown parser (what `readerTextOf` gives for any text). */
export function readParsedText(source: string): ReaderText {
  const parsed = parseComment(source);
  if (parsed.isPlainText) return { text: source, sourceOffsets: codePointIndices(source), links: [] };
  const lineStarts = lineStartsOf(source);
  const lineStart = (line: number): number => lineStarts[line] ?? source.length;
  let text = '';
  const offsets: number[] = [];
  const hidden: { href: string; at: number }[] = [];
  const links: string[] = [];
  let pointer = 0;
  let limit = source.length;

  const append = (chunk: string): void => {
    for (let index = 0; index < chunk.length; index++) {
      const unit = chunk.charCodeAt(index);
      let found = -1;
      for (let at = pointer; at < limit; at++) {
        if (source.charCodeAt(at) === unit) {
          found = at;
          break;
        }
      }
      if (found === -1) offsets.push(Math.min(pointer, Math.max(0, source.length - 1)));
      else {
        offsets.push(found);
        pointer = found + 1;
      }
    }
    text += chunk;
  };
  const separate = (): void => {
    if (text.length === 0) return;
    text += '\n';
    offsets.push(Math.min(pointer, Math.max(0, source.length - 1)));
  };
  const enterBlock = (firstLine: number, lastLine: number): void => {
    pointer = Math.max(pointer, lineStart(firstLine));
    limit = Math.max(pointer, lineStart(lastLine) === source.length ? source.length : lineStart(lastLine));
  };

  for (const token of parsed.tokens) {
    if (token.type === 'inline' && token.children) {
      separate();
      if (token.map) enterBlock(token.map[0], token.map[1]);
      let link: { href: string; at: number; text: string } | undefined;
      for (const child of token.children) {
        if (child.type === 'text' || child.type === 'code_inline') {
          if (link) link.text += child.content;
          append(child.content);
        } else if (child.type === 'softbreak' || child.type === 'hardbreak') append('\n');
        else if (child.type === 'link_open') {
          const href = child.attrGet('href');
          if (typeof href === 'string') link = { href, at: pointer, text: '' };
        } else if (child.type === 'link_close' && link) {
          links.push(link.href);
          if (!isLinkTextItsTarget(link.text, link.href)) hidden.push({ href: link.href, at: link.at });
          link = undefined;
        }
      }
    } else if ((token.type === 'fence' || token.type === 'code_block') && token.map) {
      separate();
      enterBlock(token.type === 'fence' ? token.map[0] + 1 : token.map[0], token.map[1]);
      append(token.content.replace(/\n$/, ''));
    }
  }
  for (const { href, at } of hidden) {
    text += '\n';
    offsets.push(at);
    const found = source.indexOf(href, at);
    for (let index = 0; index < href.length; index++) {
      text += href[index] ?? '';
      offsets.push(found === -1 ? at : found + index);
    }
  }
  return { text, sourceOffsets: offsets, links };
}

/** A span of the reader text as a span of the source. */
export function toSourceSpan(reader: ReaderText, span: readonly [number, number]): [number, number] {
  const [start, end] = span;
  const last = reader.sourceOffsets.length - 1;
  if (last < 0) return [0, 0];
  const from = reader.sourceOffsets[Math.min(Math.max(start, 0), last)] ?? 0;
  if (end <= start) return [from, from];
  const to = reader.sourceOffsets[Math.min(end - 1, last)] ?? from;
  return [Math.min(from, to), Math.max(from, to) + 1];
}

/** `[0, 1, …, n - 1]` for the n code points of `source` (what `Array.from(source, (_, index) => index)` gives), without a callback per character. */
function codePointIndices(source: string): number[] {
  const indices: number[] = [];
  let count = 0;
  for (let index = 0; index < source.length; index++) {
    const unit = source.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < source.length) {
      const next = source.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
    }
    indices.push(count++);
  }
  return indices;
}
