import { createHash } from 'node:crypto';
import nodeModule from 'node:module';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePortal, type FakePortal } from '../support/fake-portal.mjs';
import { runCli, tempProject } from '../support/run-cli.js';

// The built CLI on the Node running the tests (the bin's shebang finds `node` on PATH, like npx): on
// Node >= 22.1 it fills the project's compile cache; on Node 20 a run that renders writes the code cache
// of ts-morph's large files (src/output/code-cache.ts) there, once. Either way it works.

const supported = typeof (nodeModule as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const CACHE = path.join('node_modules', '.cache', 'gen-ownertypes', 'v8-compile');

let portal: FakePortal;
beforeAll(async () => {
  portal = await startFakePortal();
});
afterAll(async () => {
  await portal.close();
});

describe(`compile cache on Node ${process.versions.node}`, () => {
  it('fills node_modules/.cache/gen-ownertypes/v8-compile', async () => {
    const cwd = await tempProject({ 'package.json': '{"name":"consumer","private":true}' });
    const first = await runCli([], { cwd, env: { B24_WEBHOOK_URL: portal.webhookUrl, NODE_COMPILE_CACHE: '' } });
    expect(first.code).toBe(0);
    expect(readdirSync(path.join(cwd, CACHE), { recursive: true }).length).toBeGreaterThan(0);
    const second = await runCli([], { cwd, env: { B24_WEBHOOK_URL: portal.webhookUrl } });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('is up to date');
  });

  it.skipIf(supported)('Node 20: a regeneration writes the code cache once, later ones use it, and the module is the same', async () => {
    const out = path.join('src', 'generated', 'ownertypes.ts');
    const project = async (env: Record<string, string> = {}) => {
      const cwd = await tempProject({ 'package.json': '{"name":"consumer","private":true}' });
      const regenerate = async () => {
                const run = await runCli([], { cwd, env: { B24_WEBHOOK_URL: portal.webhookUrl, ...env } });
        expect(run.code, run.stderr).toBe(0);
        return readFileSync(path.join(cwd, out), 'utf8');
      };
      return { cwd, regenerate };
    };
    const cached = await project();
    const first = await cached.regenerate();
    // TypeScript's compiler, @ts-morph/common and ts-morph: one cache file each.
    const caches = () =>
      existsSync(path.join(cached.cwd, CACHE))
        ? readdirSync(path.join(cached.cwd, CACHE))
            .sort()
            .map((name) => {
              const file = path.join(cached.cwd, CACHE, name);
              return { name, mtime: statSync(file).mtimeMs, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
            })
        : [];
    expect(caches().map(({ name }) => name.replace(/-[0-9a-f]{12}-[0-9a-f]{24}\.bin$/, ''))).toEqual(['ts-morph', 'ts-morph-common', 'typescript']);
    const written = caches();
    // The output and the render record gone, so that the next run renders in full.
    rmSync(path.join(cached.cwd, out));
    for (const name of readdirSync(path.join(cached.cwd, 'node_modules', '.cache', 'gen-ownertypes'))) {
      if (name.endsWith('.json')) rmSync(path.join(cached.cwd, 'node_modules', '.cache', 'gen-ownertypes', name));
    }
    const again = await runCli([], { cwd: cached.cwd, env: { B24_WEBHOOK_URL: portal.webhookUrl } });
    expect(again.code).toBe(0);
    expect(readFileSync(path.join(cached.cwd, out), 'utf8')).toBe(first);
    // Accepted: not one byte written again.
    expect(caches()).toEqual(written);

    const off = await project({ NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(await off.regenerate()).toBe(first);
    expect(existsSync(path.join(off.cwd, CACHE))).toBe(false);
  });

  it('a cache folder that cannot be created never fails the run', async () => {
    const cwd = await tempProject({ 'package.json': '{"name":"consumer","private":true}' });
    // node_modules/.cache is a file: nothing can be created under it, as in a read-only checkout.
    await mkdir(path.join(cwd, 'node_modules'), { recursive: true });
    await writeFile(path.join(cwd, 'node_modules', '.cache'), 'not a folder');
    const run = await runCli(['--check'], { cwd, env: { B24_WEBHOOK_URL: portal.webhookUrl } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('does not exist');
    expect(run.stderr).not.toMatch(/compile|cache/i);
    const write = await runCli([], { cwd, env: { B24_WEBHOOK_URL: portal.webhookUrl } });
    expect(write.code).toBe(0);
    expect(write.stderr).toContain('Wrote');
  });
});
