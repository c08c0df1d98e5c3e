import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { preloadWithCodeCache, saveCodeCache, useCodeCache } from '../../src/output/code-cache.js';
import { tempDir } from '../support/temp.js';

// The code cache the CLI uses on Node 20 for ts-morph's large files (src/output/code-cache.ts), on small
// CommonJS files of a temp folder. Each case writes files of its own: a file Node has loaded stays in
// require.cache, and the cases below take files out of it only to load them again.

const moduleCache = createRequire(import.meta.url).cache;

function files(entries: Record<string, string>): Record<string, string> {
  const dir = tempDir('code-cache');
  return Object.fromEntries(
    Object.entries(entries).map(([name, text]) => {
      const file = path.join(dir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      return [name, file];
    }),
  );
}

const cacheFiles = (dir: string) => readdirSync(dir).sort();
const forget = (...list: string[]) => list.forEach((file) => delete moduleCache[file]);

describe('the code cache', () => {
  it('does nothing, and resolves no files, until it is turned on', () => {
    const { 'a.js': a } = files({ 'a.js': 'module.exports = 1;' });
    let asked = false;
    preloadWithCodeCache(() => {
      asked = true;
      return [a!];
    });
    expect(asked).toBe(false);
    expect(moduleCache[a!]).toBeUndefined();
    expect(saveCodeCache()).toEqual([]);
  });

  it('loads files as Node would, in the order given, then writes their cache once and uses it after', () => {
    const cache = tempDir('code-cache-dir');
    useCodeCache(cache);
    const { 'lib/b.js': b, 'lib/a.js': a, 'lib/plain.js': plain } = files({
      'lib/b.js': "exports.n = 2; exports.where = [__filename, __dirname]; exports.json = require('./data.json').ok;",
      'lib/data.json': '{ "ok": true }',
      'lib/a.js': "const b = require('./b.js'); module.exports = { sum: b.n + 1, b, strict: (function () { return this === undefined; })(), load: () => import('node:path') };",
      'lib/plain.js': 'module.exports = module;',
    });
    preloadWithCodeCache(() => [b!, a!]);
    const loaded = moduleCache[a!];
    expect(loaded?.loaded).toBe(true);
    const exports = createRequire(a!)(a!) as { sum: number; b: { where: string[]; json: boolean }; strict: boolean; load: () => Promise<unknown> };
    expect(exports).toBe(loaded?.exports);
    expect(exports.sum).toBe(3);
    expect(exports.b.where).toEqual([b, path.dirname(b!)]);
    expect(exports.b.json).toBe(true);
    expect(exports.strict).toBe(false); // sloppy mode, as in Node's wrapper
    // Same module fields as a file Node loaded from the same folder.
    const byNode = createRequire(plain!)(plain!) as NodeJS.Module;
    expect(loaded?.paths).toEqual(byNode.paths);
    expect(loaded?.filename).toBe(a);
    expect(loaded?.id).toBe(a);

    const written = saveCodeCache();
    expect(written).toHaveLength(2);
    expect(cacheFiles(cache)).toEqual(written.map((file) => path.basename(file)).sort());
    expect(saveCodeCache()).toEqual([]);

    // Another run: the same bytes find their cache, which V8 accepts, so nothing is written again.
    forget(a!, b!);
    const before = written.map((file) => readFileSync(file));
    preloadWithCodeCache(() => [b!, a!]);
    expect((createRequire(a!)(a!) as { sum: number }).sum).toBe(3);
    expect(saveCodeCache()).toEqual([]);
    expect(written.map((file) => readFileSync(file))).toEqual(before);
  });

  it('a dynamic import() inside a loaded file works', async () => {
    useCodeCache(tempDir('code-cache-dir'));
    const { 'a.js': a } = files({ 'a.js': "exports.load = () => import('node:path');" });
    preloadWithCodeCache(() => [a!]);
    const { load } = createRequire(a!)(a!) as { load: () => Promise<{ sep: string }> };
    expect((await load()).sep).toBe(path.sep);
    expect(saveCodeCache()).toHaveLength(1);
  });

  it('never uses a cache made from other bytes, even of the same length (V8 checks only the length)', () => {
    const cache = tempDir('code-cache-dir');
    useCodeCache(cache);
    const { 'a.js': a } = files({ 'a.js': 'module.exports = 2;' });
    preloadWithCodeCache(() => [a!]);
    const [first] = saveCodeCache();
    forget(a!);
    writeFileSync(a!, 'module.exports = 5;');
    preloadWithCodeCache(() => [a!]);
    expect(createRequire(a!)(a!)).toBe(5);
    const [second] = saveCodeCache();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    // The cache of the old bytes is gone: one file's caches do not pile up across its versions.
    expect(cacheFiles(cache)).toEqual([path.basename(second!)]);
  });

  it('ignores a damaged or truncated cache and writes a good one', () => {
    const cache = tempDir('code-cache-dir');
    useCodeCache(cache);
    const { 'a.js': a } = files({ 'a.js': 'module.exports = function twice(x) { return x * 2; };' });
    preloadWithCodeCache(() => [a!]);
    const [written] = saveCodeCache();
    const good = readFileSync(written!);
    for (const damaged of [Buffer.concat([good.subarray(0, 40), Buffer.from([good[40]! ^ 0xff]), good.subarray(41)]), good.subarray(0, 100), Buffer.alloc(0)]) {
      writeFileSync(written!, damaged);
      forget(a!);
      preloadWithCodeCache(() => [a!]);
      expect((createRequire(a!)(a!) as (x: number) => number)(21)).toBe(42);
      expect(saveCodeCache()).toEqual([written]);
    }
  });

  it('reads text as Node does: a byte order mark is dropped', () => {
    useCodeCache(tempDir('code-cache-dir'));
    const { 'a.js': a } = files({ 'a.js': '\uFEFFmodule.exports = "bom";' });
    preloadWithCodeCache(() => [a!]);
    expect(moduleCache[a!]).toBeDefined();
    expect(createRequire(a!)(a!)).toBe('bom');
    expect(saveCodeCache()).toHaveLength(1);
  });

  it("leaves to Node's loader what it cannot load: a missing file, a syntax error, a #! line, a file already loaded", () => {
    useCodeCache(tempDir('code-cache-dir'));
    const { 'bad.js': bad, 'bang.js': bang, 'done.js': done, 'ok.js': ok } = files({
      'bad.js': 'module.exports = {;',
      'bang.js': '#!/usr/bin/env node\nmodule.exports = "bang";',
      'done.js': 'module.exports = {};',
      'ok.js': 'module.exports = "ok";',
    });
    const require = createRequire(ok!);
    const already = require(done!) as object;
    preloadWithCodeCache(() => [path.join(path.dirname(ok!), 'missing.js'), bad!, bang!, done!, ok!]);
    expect(moduleCache[bad!]).toBeUndefined();
    expect(moduleCache[bang!]).toBeUndefined();
    expect(require(done!)).toBe(already);
    expect(moduleCache[ok!]).toBeDefined();
    expect(() => require(bad!)).toThrow(SyntaxError);
    expect(require(bang!)).toBe('bang');
    expect(saveCodeCache()).toHaveLength(1);
  });

  it('a file that throws as it runs throws from the preload and stays out of require.cache, as with require', () => {
    useCodeCache(tempDir('code-cache-dir'));
    const { 'a.js': a } = files({ 'a.js': 'throw new RangeError("at load");' });
    expect(() => preloadWithCodeCache(() => [a!])).toThrow(RangeError);
    expect(moduleCache[a!]).toBeUndefined();
  });

  it('a list that cannot be resolved, or a folder that cannot be written, never fails the run', () => {
    const blocked = path.join(files({ 'file': 'not a folder' }).file!, 'v8-compile');
    useCodeCache(blocked);
    preloadWithCodeCache(() => {
      throw new Error('ts-morph is not installed');
    });
    const { 'a.js': a } = files({ 'a.js': 'module.exports = 1;' });
    preloadWithCodeCache(() => [a!]);
    expect(createRequire(a!)(a!)).toBe(1);
    expect(saveCodeCache()).toEqual([]);
    expect(readdirSync(path.dirname(path.dirname(blocked)))).toEqual(['file']);
  });
});
