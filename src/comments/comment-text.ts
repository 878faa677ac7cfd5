/**
 * Control characters (except the newline), DEL, C1 controls and the bidi
 * overrides/isolates that can make text render in a misleading order.
 */
// eslint-disable-next-line no-control-regex
const STRIPPED = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/**
 * The body as it is stored and screened: line endings unified, NFC-normalised,
 * control characters removed, surrounding whitespace trimmed. Stored and
 * returned as plain text: HTML stays inert characters.
 */
export function normaliseCommentText(raw: string): string {
  return raw.replace(/\r\n?/g, '\n').normalize('NFC').replace(STRIPPED, '').trim();
}
