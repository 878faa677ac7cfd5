/** The formatting toolbar's actions on a textarea's text and selection, as pure functions. */

export type FormatKind = 'bold' | 'italic' | 'strike' | 'code' | 'spoiler' | 'quote' | 'list' | 'link';

export interface TextEdit {
  value: string;
  selectionStart: number;
  selectionEnd: number;
}

const WRAPS: Partial<Record<FormatKind, string>> = { bold: '**', italic: '_', strike: '~~', code: '`', spoiler: '||' };
const PREFIXES: Partial<Record<FormatKind, string>> = { quote: '> ', list: '- ' };

/** Wraps the selection in markers, or unwraps it when it is wrapped already; an empty selection gets the cursor between. */
function wrap(edit: TextEdit, marker: string): TextEdit {
  const { value, selectionStart: start, selectionEnd: end } = edit;
  const before = value.slice(0, start);
  const selected = value.slice(start, end);
  const after = value.slice(end);
  if (before.endsWith(marker) && after.startsWith(marker)) {
    return { value: before.slice(0, -marker.length) + selected + after.slice(marker.length), selectionStart: start - marker.length, selectionEnd: end - marker.length };
  }
  if (selected.length >= marker.length * 2 && selected.startsWith(marker) && selected.endsWith(marker)) {
    const inner = selected.slice(marker.length, -marker.length);
    return { value: before + inner + after, selectionStart: start, selectionEnd: start + inner.length };
  }
  return { value: before + marker + selected + marker + after, selectionStart: start + marker.length, selectionEnd: end + marker.length };
}

/** Prefixes every line the selection touches, or takes the prefix off when all of them have it. */
function prefixLines(edit: TextEdit, prefix: string): TextEdit {
  const { value, selectionStart: start, selectionEnd: end } = edit;
  const lineStart = value.lastIndexOf('\n', start - 1) + 1;
  const nextBreak = value.indexOf('\n', end);
  const lineEnd = nextBreak === -1 ? value.length : nextBreak;
  const lines = value.slice(lineStart, lineEnd).split('\n');
  const isPrefixed = lines.every((line) => line.startsWith(prefix));
  const changed = lines.map((line) => (isPrefixed ? line.slice(prefix.length) : prefix + line)).join('\n');
  const shift = isPrefixed ? -prefix.length : prefix.length;
  const firstShift = Math.max(lineStart - start, shift);
  return {
    value: value.slice(0, lineStart) + changed + value.slice(lineEnd),
    selectionStart: Math.max(lineStart, start + firstShift),
    selectionEnd: end + (changed.length - (lineEnd - lineStart)),
  };
}

/** `[selection](https://)` with the address selected, ready to type; `placeholder` stands in for an empty selection. */
function link(edit: TextEdit, placeholder: string): TextEdit {
  const { value, selectionStart: start, selectionEnd: end } = edit;
  const text = value.slice(start, end) || placeholder;
  const address = 'https://';
  const inserted = `[${text}](${address})`;
  const addressStart = start + text.length + 3;
  return { value: value.slice(0, start) + inserted + value.slice(end), selectionStart: addressStart, selectionEnd: addressStart + address.length };
}

/** Applies one toolbar action (or shortcut) to the text and its selection. */
export function applyFormat(edit: TextEdit, kind: FormatKind, linkPlaceholder: string): TextEdit {
  const marker = WRAPS[kind];
  if (marker !== undefined) return wrap(edit, marker);
  const prefix = PREFIXES[kind];
  if (prefix !== undefined) return prefixLines(edit, prefix);
  return link(edit, linkPlaceholder);
}

/** The shortcut of a key press in the textarea: Ctrl+B / Ctrl+I (⌘ on a Mac). */
export function shortcutOf(event: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }): FormatKind | undefined {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return undefined;
  const key = event.key.toLowerCase();
  if (key === 'b') return 'bold';
  if (key === 'i') return 'italic';
  return undefined;
}
