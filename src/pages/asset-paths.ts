import { existsSync } from 'node:fs';
import path from 'node:path';

/** The project root: the nearest folder above this file with a package.json (works from src/ and dist/). */
function findProjectRoot(start: string): string {
  let current = start;
  for (;;) {
    if (existsSync(path.join(current, 'package.json'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return start;
    current = parent;
  }
}

/** Where `npm run build:assets` writes the bundles. */
export function defaultBuildDir(): string {
  return path.join(findProjectRoot(__dirname), 'public', 'build');
}
