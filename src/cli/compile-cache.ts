import nodeModule from 'node:module';
import path from 'node:path';
import { projectCacheDir } from '../shared/cache-dir.js';

/** The part of `node:module` this needs: `enableCompileCache` exists from Node 22.1. */
export interface CompileCacheHost {
  readonly enableCompileCache?: unknown;
  readonly constants?: { readonly compileCacheStatus?: Readonly<Record<string, number>> };
}

// Typed by @types/node 20, which has neither member.
const nodeHost = nodeModule as unknown as CompileCacheHost;

/** The folder of V8's compile cache, beside the render records. */
export const COMPILE_CACHE_FOLDER = 'v8-compile';

/** The compile cache's folder in the project of `cwd`; `undefined` outside a package. */
function folderFor(cwd: string): string | undefined {
  const dir = projectCacheDir(cwd);
  return dir === undefined ? undefined : path.join(dir, COMPILE_CACHE_FOLDER);
}

/**
 * Turns on Node's on-disk compile cache for the modules loaded from here on (the CLI, yargs' parts, and
 * ts-morph, TypeScript and Prettier when a run renders), in `node_modules/.cache/gen-ownertypes/v8-compile`
 * of the project. Where Node has no `module.enableCompileCache` (Node 20), outside a package, or when
 * the folder cannot be created (a read-only checkout: Node then reports a failure instead of throwing),
 * nothing changes: the cache can only make a run faster, never fail it. Returns the folder when enabled.
 */
export function enableCompileCache(host: CompileCacheHost = nodeHost, cwd = process.cwd()): string | undefined {
  if (typeof host.enableCompileCache !== 'function') return undefined;
  const folder = folderFor(cwd);
  if (folder === undefined) return undefined;
  try {
    const result = (host.enableCompileCache as (dir: string) => { status?: unknown; directory?: unknown } | undefined)(folder);
    // status: 0 failed, 1 enabled, 2 already enabled (NODE_COMPILE_CACHE set), 3 disabled (NODE_DISABLE_COMPILE_CACHE).
    const status = host.constants?.compileCacheStatus;
    if (result?.status === (status?.ENABLED ?? 1)) return folder;
    return typeof result?.directory === 'string' && result.status === (status?.ALREADY_ENABLED ?? 2) ? result.directory : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where Node has no `module.enableCompileCache` (Node 20): the folder for the code cache of ts-morph's
 * large files (src/output/code-cache.ts), the same one. None outside a package, or when
 * NODE_DISABLE_COMPILE_CACHE is set, which turns Node's own cache off as well.
 */
export function codeCacheFolder(host: CompileCacheHost = nodeHost, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (typeof host.enableCompileCache === 'function' || (env.NODE_DISABLE_COMPILE_CACHE ?? '') !== '') return undefined;
  return folderFor(cwd);
}
