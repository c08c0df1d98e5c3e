import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import nodeModule from 'node:module';
import path from 'node:path';
import type * as Vm from 'node:vm';

/**
 * A V8 code cache for a few large CommonJS files, for Node releases without `module.enableCompileCache`
 * (Node 20). A regeneration loads ts-morph, and about a fifth of its time goes to V8 compiling
 * TypeScript's 9 MB compiler and ts-morph's own 1.5 MB again on every run. Here those files are compiled
 * with the code V8 produced for them on an earlier run, read from the project's cache folder.
 *
 * Why not Node's loader with a hook (what v8-compile-cache does): that rewrites every process-wide
 * compile, and it asks V8 for the cache right after compiling, which holds only the top level: the
 * functions a render calls are compiled lazily and are not in it, and V8 produces a new cache on every
 * compile, so the blob is written again on every run. Here a file is compiled through `vm.Script` with its
 * cache, registered in `require.cache` under its own path, and the cache is produced once, at the end of
 * the run that had none (`saveCodeCache`), so it holds every function that run compiled; a cache V8
 * accepted is never written again.
 *
 * The cache can only make a run faster, never fail it or change what runs: a cache is used only for the
 * very bytes it was made from (the file name holds their SHA-256, since V8 itself checks no more than
 * their length), a blob whose own SHA-256 does not match is ignored, V8 rejects one made by another
 * V8 or with other flags, and every read or write that fails leaves the file to Node's own loader.
 * Off until `useCodeCache` turns it on: the CLI does, on Node 20; the library never does.
 */

let folder: string | undefined;
/** Files compiled without an accepted cache this run, whose cache `saveCodeCache` writes. */
const unsaved = new Map<string, { readonly script: Vm.Script; readonly cacheFile: string }>();

/** Turns the cache on for this process, in `dir` (created when first written). */
export function useCodeCache(dir: string): void {
  folder = dir;
}

// The wrapper Node's CommonJS loader puts around a file, so the code runs exactly as it would there.
const WRAPPER = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'] as const;

const localRequire = nodeModule.createRequire(import.meta.url);
// Node's CommonJS module cache, the object behind every `require.cache`.
const moduleCache = localRequire.cache;
// Loaded on first use: bin.ts imports this module for every run, and --help or an up-to-date run never
// loads ts-morph (about 10 ms of each, measured on --help).
const vm = () => localRequire('node:vm') as typeof Vm;
/** The SHA-256 of the parts one after the other, without copying them into one buffer (a file is 9 MB). */
const sha256 = (...parts: ReadonlyArray<Buffer | string>) => {
  const hash = (localRequire('node:crypto') as typeof import('node:crypto')).createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** What the name of every cache of `file` starts with, whatever its bytes: its name and a hash of its path. */
const prefixOf = (file: string) => `${path.basename(file, '.js').replace(/[^\w.-]/g, '_')}-${sha256(file).toString('hex').slice(0, 12)}-`;

/** The cache file of `file` with these bytes, on this Node. */
function cacheFileOf(dir: string, file: string, bytes: Buffer): string {
  const key = sha256(bytes, `\0${process.version}\0${process.arch}`).toString('hex').slice(0, 24);
  return path.join(dir, `${prefixOf(file)}${key}.bin`);
}

/** The blob in `cacheFile`, when there is one and it is whole: the file is its SHA-256 and then the blob. */
function readBlob(cacheFile: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const blob = data.subarray(32);
  return data.length > 32 && sha256(blob).equals(data.subarray(0, 32)) ? blob : undefined;
}

/**
 * Loads each of `files` (absolute paths of CommonJS files, in the order they are to run: a file before
 * the files that require it) into `require.cache` through the code cache, so that a later `require` of
 * them finds them loaded. `files` is called only when the cache is on. A file already loaded, or one that
 * cannot be read or compiled here, is left to Node's loader; the others go on. A file that throws as it
 * runs throws here, as it would from `require`.
 */
export function preloadWithCodeCache(files: () => readonly string[]): void {
  if (folder === undefined) return;
  let list: readonly string[];
  try {
    list = files();
  } catch {
    return;
  }
  for (const file of list) {
    if (moduleCache[file] === undefined) preload(folder, file);
  }
}

function preload(dir: string, file: string): void {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return;
  }
  // Node's loader strips a byte order mark; a file that starts with #! it reads in a way a wrapper
  // cannot copy, so that file is left to it.
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.startsWith('#!')) return;
  const cacheFile = cacheFileOf(dir, file, bytes);
  const cachedData = readBlob(cacheFile);
  const { Script, constants } = vm();
  let script: Vm.Script;
  try {
    script = new Script(`${WRAPPER[0]}${text}${WRAPPER[1]}`, {
      filename: file,
      ...(cachedData !== undefined && { cachedData }),
      // Lets `import()` inside the file work as it would in a file Node loaded itself (Node >= 20.12).
      importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
  } catch {
    return; // a syntax error: Node's loader reports it as it would have
  }
  const module = new nodeModule.Module(file);
  module.filename = file;
  const require = nodeModule.createRequire(file);
  // The node_modules folders up from the file, as Node sets them (its lookup list less the global folders).
  module.paths = (require.resolve.paths('x') ?? []).filter((dir) => path.basename(dir) === 'node_modules');
  // In the cache before it runs, as Node does, so that a require cycle back to it finds it.
  moduleCache[file] = module;
  try {
    (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, require, module, file, path.dirname(file));
  } catch (error) {
    // As Node does when a file throws while it loads: not cached, so the next require runs it again.
    delete moduleCache[file];
    throw error;
  }
  module.loaded = true;
  if (cachedData === undefined || script.cachedDataRejected === true) unsaved.set(file, { script, cacheFile });
}

/**
 * Writes the cache of every file compiled without one this run, now that the run has compiled what it
 * needs of them, and removes that file's older caches (from other versions of it). Returns the files
 * written. Never throws: a folder that cannot be written is one the next run compiles without.
 */
export function saveCodeCache(): string[] {
  const written: string[] = [];
  for (const [file, { script, cacheFile }] of unsaved) {
    const dir = path.dirname(cacheFile);
    // Written beside and renamed over, so that a run reading it at the same time sees all or nothing.
    const scratch = `${cacheFile}.${process.pid}.tmp`;
    try {
      const blob = script.createCachedData();
      mkdirSync(dir, { recursive: true });
      writeFileSync(scratch, Buffer.concat([sha256(blob), blob]));
      renameSync(scratch, cacheFile);
      written.push(cacheFile);
      const prefix = prefixOf(file);
      for (const name of readdirSync(dir)) {
        if (name.startsWith(prefix) && name.endsWith('.bin') && path.join(dir, name) !== cacheFile) rmSync(path.join(dir, name), { force: true });
      }
    } catch {
      // Left for the next run.
      try {
        rmSync(scratch, { force: true });
      } catch {
        // The folder could not be created: nothing was written.
      }
    }
  }
  unsaved.clear();
  return written;
}
