import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Where Prettier would be loaded from for this output (see format/format-module.ts), without loading it. */
export function locatePrettier(fromDir: string, fallback: string): { path: string; version: string } {
  try {
    const candidate = createRequire(path.join(fromDir, 'noop.js')).resolve('prettier');
    const version = (JSON.parse(readFileSync(path.join(path.dirname(candidate), 'package.json'), 'utf8')) as { version?: string }).version;
    if (version?.startsWith('3.')) return { path: candidate, version };
  } catch {
    // fall through to the bundled Prettier
  }
  const version = (JSON.parse(readFileSync(path.join(path.dirname(fallback), 'package.json'), 'utf8')) as { version: string }).version;
  return { path: fallback, version };
}
