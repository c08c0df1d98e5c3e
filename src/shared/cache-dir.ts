import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * `node_modules/.cache/gen-ownertypes` of the nearest package up from `cwd` (where build tools keep their
 * caches, and what `git clean` and a fresh install reset); `undefined` outside a package. Only finds the
 * folder: creating it is the caller's business.
 */
export function projectCacheDir(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'node_modules', '.cache', 'gen-ownertypes');
    if (path.dirname(dir) === dir) return undefined;
  }
}
