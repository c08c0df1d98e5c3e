import nodeModule from 'node:module';
import { existsSync, readdirSync } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePortal, type FakePortal } from '../support/fake-portal.mjs';
import { runCli, tempProject } from '../support/run-cli.js';

// The built CLI on the Node running the tests (the bin's shebang finds `node` on PATH, like npx): on
// Node >= 22.1 it fills the project's compile cache; on Node 20 it leaves no trace. Either way it works.

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
  it(supported ? 'fills node_modules/.cache/gen-ownertypes/v8-compile' : 'creates no compile cache folder', async () => {
    const cwd = await tempProject({ 'package.json': '{"name":"consumer","private":true}' });
    const first = await runCli([], { cwd, env: { B24_WEBHOOK_URL: portal.webhookUrl, NODE_COMPILE_CACHE: '' } });
    expect(first.code).toBe(0);
    expect(existsSync(path.join(cwd, CACHE))).toBe(supported);
    if (supported) expect(readdirSync(path.join(cwd, CACHE), { recursive: true }).length).toBeGreaterThan(0);
    const second = await runCli([], { cwd, env: { B24_WEBHOOK_URL: portal.webhookUrl } });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('is up to date');
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
