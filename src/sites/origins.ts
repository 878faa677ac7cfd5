/**
 * Reduces a URL or an `Origin` header to `scheme://host[:port]` (lower-case
 * host, default port dropped), the form origins are stored and compared in.
 * Anything that is not an http(s) URL without credentials gives undefined.
 */
export function normaliseOrigin(input: string): string | undefined {
  if (input.length === 0 || input.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  if (url.hostname === '') return undefined;
  return url.origin;
}
