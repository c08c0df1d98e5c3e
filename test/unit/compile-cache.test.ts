import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPILE_CACHE_FOLDER, codeCacheFolder, enableCompileCache } from '../../src/cli/compile-cache.js';
import { tempDir } from '../support/temp.js';

const STATUS = { FAILED: 0, ENABLED: 1, ALREADY_ENABLED: 2, DISABLED: 3 };

function project(): { root: string; nested: string } {
  const root = tempDir('compile-cache');
  writeFileSync(path.join(root, 'package.json'), '{"name":"consumer","private":true}');
  const nested = path.join(root, 'packages', 'web');
  mkdirSync(nested, { recursive: true });
  return { root, nested };
}

/** A stand-in for `node:module` that records the folders it was asked to use. */
function fakeModule(answer: (dir: string) => unknown) {
  const calls: string[] = [];
  return {
    calls,
    host: {
      constants: { compileCacheStatus: STATUS },
      enableCompileCache: (dir: string) => {
        calls.push(dir);
        return answer(dir);
      },
    },
  };
}

describe('enableCompileCache', () => {
  it('does nothing where Node has no enableCompileCache (Node 20)', () => {
    const { nested } = project();
    expect(enableCompileCache({}, nested)).toBeUndefined();
    expect(enableCompileCache({ enableCompileCache: 'not a function' }, nested)).toBeUndefined();
  });

  it('uses the cache folder of the nearest package, as the render records do', () => {
    const { root, nested } = project();
    const fake = fakeModule((directory) => ({ status: STATUS.ENABLED, directory }));
    const expected = path.join(root, 'node_modules', '.cache', 'gen-ownertypes', COMPILE_CACHE_FOLDER);
    expect(enableCompileCache(fake.host, nested)).toBe(expected);
    expect(fake.calls).toEqual([expected]);
  });

  it('reports the folder NODE_COMPILE_CACHE already chose', () => {
    const { nested } = project();
    const fake = fakeModule(() => ({ status: STATUS.ALREADY_ENABLED, directory: '/elsewhere' }));
    expect(enableCompileCache(fake.host, nested)).toBe('/elsewhere');
  });

  it('never fails the run: a folder Node cannot create, a throw, or a disabled cache is just no cache', () => {
    const { nested } = project();
    for (const answer of [
      () => ({ status: STATUS.FAILED, message: 'EACCES: permission denied, mkdir' }),
      () => ({ status: STATUS.DISABLED }),
      () => {
        throw new Error('EROFS');
      },
      () => undefined,
    ]) {
      const fake = fakeModule(answer);
      expect(enableCompileCache(fake.host, nested)).toBeUndefined();
      expect(fake.calls).toHaveLength(1);
    }
  });

  it('outside a package there is no cache folder to use', () => {
    const dir = tempDir('no-package');
    const fake = fakeModule(() => ({ status: STATUS.ENABLED }));
    // The temp folder has no package.json above it (tests run with the system temp folder outside the repo).
    expect(enableCompileCache(fake.host, dir)).toBeUndefined();
    expect(fake.calls).toEqual([]);
  });
});

describe('codeCacheFolder (the code cache of src/output/code-cache.ts, for Node 20)', () => {
  it('is the same folder, where Node has no enableCompileCache', () => {
    const { root, nested } = project();
    expect(codeCacheFolder({}, nested, {})).toBe(path.join(root, 'node_modules', '.cache', 'gen-ownertypes', COMPILE_CACHE_FOLDER));
  });

  it("is none where Node has its own cache, where NODE_DISABLE_COMPILE_CACHE is set, or outside a package", () => {
    const { nested } = project();
    expect(codeCacheFolder(fakeModule(() => undefined).host, nested, {})).toBeUndefined();
    expect(codeCacheFolder({}, nested, { NODE_DISABLE_COMPILE_CACHE: '1' })).toBeUndefined();
    expect(codeCacheFolder({}, nested, { NODE_DISABLE_COMPILE_CACHE: '' })).toBeDefined();
    expect(codeCacheFolder({}, tempDir('no-package'), {})).toBeUndefined();
  });
});
