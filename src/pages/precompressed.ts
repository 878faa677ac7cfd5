import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Request, Response } from 'express';

/** The encodings `npm run build:assets` writes beside each bundle, best first. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

export interface CachePolicy {
  maxAgeMs: number;
  immutable: boolean;
}

/**
 * Sends a built asset in the best encoding the client accepts, from the
 * brotli and gzip files made at build time (nothing is compressed per request).
 * `Vary: Accept-Encoding` keeps shared caches honest; ETags and 304s come from
 * `send`, per encoded file.
 */
export function sendPrecompressed(req: Request, res: Response, file: string, cache: CachePolicy): Promise<void> {
  res.vary('Accept-Encoding');
  // Brotli whenever it is acceptable at all: smaller than gzip at the same cost to the reader.
  const encoding = ENCODINGS.find((candidate) => req.acceptsEncodings(candidate.name) === candidate.name && existsSync(file + candidate.suffix));
  if (encoding) {
    // The type is the bundle's, not the compressed file's.
    res.type(path.extname(file));
    res.setHeader('Content-Encoding', encoding.name);
  }
  return new Promise((resolve, reject) => {
    res.sendFile(
      encoding ? file + encoding.suffix : file,
      { maxAge: cache.maxAgeMs, immutable: cache.immutable, dotfiles: 'deny' },
      (error) => (error ? reject(error) : resolve()),
    );
  });
}
