import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { digest as hash } from '../emit/header.js';
import type { EnumStyle } from '../model/owner-types.js';
import { projectCacheDir } from '../shared/cache-dir.js';

/**
 * Deciding "already current" without rendering.
 *
 * The banner's digests (emit/header.ts) prove the file was generated from these inputs and not edited
 * since. Two things outside the inputs can still change the bytes: the tsconfig (for `--enum-style auto`)
 * and the Prettier setup. Resolving either for real means loading TypeScript or Prettier, which is what
 * the fast path exists to avoid. So after each full render we record, per output file, a cheap
 * fingerprint of both — the tsconfig files TypeScript actually read, and the Prettier config files that
 * could apply to the output path — in `node_modules/.cache/gen-ownertypes`. A later run that finds the
 * same inputs, an intact body and an unchanged fingerprint skips rendering. Anything missing or different
 * falls back to a full render, which is always correct; the cache can only make a run faster.
 *
 * Known limit: a JS Prettier config that imports other local files is fingerprinted by its own text only.
 */

const PRETTIER_FILES = new Set([
  '.prettierrc',
  '.prettierrc.json',
  '.prettierrc.json5',
  '.prettierrc.yaml',
  '.prettierrc.yml',
  '.prettierrc.toml',
  '.prettierrc.js',
  '.prettierrc.cjs',
  '.prettierrc.mjs',
  '.prettierrc.ts',
  '.prettierrc.cts',
  '.prettierrc.mts',
  'prettier.config.js',
  'prettier.config.cjs',
  'prettier.config.mjs',
  'prettier.config.ts',
  'prettier.config.cts',
  'prettier.config.mts',
  '.editorconfig',
  'package.json',
  'package.yaml',
]);

const CACHE_VERSION = 1;

export interface RenderRecord {
  readonly version: number;
  readonly outFile: string;
  readonly inputsDigest: string;
  readonly bodyDigest: string;
  readonly enumStyle: EnumStyle;
  /** For `auto`: the nearest tsconfig.json, and every file that took part in the decision (configs up the folders, referenced projects, `extends` chains, references that do not exist yet), with content hashes. */
  readonly tsconfig: { readonly nearest: string | null; readonly files: ReadonlyArray<readonly [string, string]> } | null;
  /** For formatted output: the fingerprint of the Prettier setup that applies to the output file. */
  readonly formatting: string | null;
}

function hashFile(file: string): string {
  try {
    return hash(readFileSync(file));
  } catch {
    return 'missing';
  }
}

/** `start` and every folder above it, up to the root: where tsc, Prettier and package managers all look. */
function foldersUp(start: string): string[] {
  const folders = [start];
  for (let dir = start; path.dirname(dir) !== dir; dir = path.dirname(dir)) folders.push(path.dirname(dir));
  return folders;
}

/** The nearest tsconfig.json up from the output folder, as tsc finds it; cheap, without TypeScript. */
function nearestTsconfig(outFile: string): string | null {
  return foldersUp(path.dirname(outFile)).map((dir) => path.join(dir, 'tsconfig.json')).find((file) => existsSync(file)) ?? null;
}

export function fingerprintTsconfig(outFile: string, files: readonly string[]): RenderRecord['tsconfig'] {
  return { nearest: nearestTsconfig(outFile), files: files.map((file) => [file, hashFile(file)] as const) };
}

/**
 * Every file that could change how Prettier formats `outFile`: config files and .editorconfig in each
 * folder up to the root (Prettier and EditorConfig both search upwards), the `prettier` key of each
 * package.json (and the version of a shared config it names), `.prettierignore` at `cwd`, and which
 * Prettier, at which version, would run.
 */
export function fingerprintFormatting(outFile: string, cwd: string, prettier: { path: string; version: string }): string {
  const parts: string[] = [`prettier ${prettier.version} ${prettier.path}`, `ignore ${hashFile(path.join(cwd, '.prettierignore'))}`];
  for (const dir of foldersUp(path.dirname(outFile))) {
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((name) => PRETTIER_FILES.has(name)).sort();
    } catch {
      // an unreadable folder contributes nothing, the same way it does to Prettier
    }
    for (const name of names) {
      const file = path.join(dir, name);
      if (name === 'package.json') {
        parts.push(`${file} ${packagePrettierKey(file)}`);
      } else {
        parts.push(`${file} ${hashFile(file)}`);
      }
    }
  }
  return hash(parts.join('\n'));
}

function packagePrettierKey(file: string): string {
  try {
    const value = (JSON.parse(readFileSync(file, 'utf8')) as { prettier?: unknown }).prettier;
    if (value === undefined) return 'none';
    if (typeof value === 'string') {
      // a shared config package: its version decides the settings
      try {
        const resolved = createRequire(file).resolve(`${value}/package.json`);
        return `${value}@${(JSON.parse(readFileSync(resolved, 'utf8')) as { version?: string }).version ?? '?'}`;
      } catch {
        return `${value}@unresolved`;
      }
    }
    return hash(JSON.stringify(value));
  } catch {
    return 'unreadable';
  }
}

/** `node_modules/.cache/gen-ownertypes` of the nearest package up from `cwd`; `undefined` outside a package. */
export function cacheDir(cwd: string): string | undefined {
  return projectCacheDir(cwd);
}

function recordFile(dir: string, outFile: string): string {
  return path.join(dir, `${hash(outFile)}.json`);
}

export async function readRenderRecord(dir: string | undefined, outFile: string): Promise<RenderRecord | undefined> {
  if (dir === undefined) return undefined;
  try {
    const record = JSON.parse(await readFile(recordFile(dir, outFile), 'utf8')) as RenderRecord;
    return record.version === CACHE_VERSION && record.outFile === outFile ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a cache that cannot be written only costs the next run its fast path. */
export async function writeRenderRecord(dir: string | undefined, record: Omit<RenderRecord, 'version'>): Promise<void> {
  if (dir === undefined) return;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(recordFile(dir, record.outFile), `${JSON.stringify({ version: CACHE_VERSION, ...record })}\n`);
  } catch {
    // read-only node_modules, for instance
  }
}

/** Whether a record still describes the environment: same tsconfig files, same Prettier setup. */
export function environmentUnchanged(
  record: RenderRecord,
  now: { readonly outFile: string; readonly cwd: string; readonly autoStyle: boolean; readonly prettier: { path: string; version: string } | undefined },
): boolean {
  if (now.autoStyle) {
    if (record.tsconfig === null) return false;
    if (record.tsconfig.nearest !== nearestTsconfig(now.outFile)) return false;
    if (record.tsconfig.files.some(([file, digest]) => hashFile(file) !== digest)) return false;
  }
  if (now.prettier !== undefined) {
    if (record.formatting === null) return false;
    if (record.formatting !== fingerprintFormatting(now.outFile, now.cwd, now.prettier)) return false;
  }
  return true;
}
