import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePortal, type FakePortal } from '../support/fake-portal.mjs';
import { BIN, ROOT, runCli, tempProject } from '../support/run-cli.js';
import { tempDir } from '../support/temp.js';

/**
 * ts-morph (with TypeScript) and Prettier cost most of a second to load. --help, --version, usage errors
 * and an up-to-date run must never pay for them; a regeneration must.
 */

const HOOK = path.join(ROOT, 'test/support/record-imports.mjs');
const HEAVY = /\/node_modules\/(ts-morph|@ts-morph|typescript|prettier)\//;

let portal: FakePortal;
beforeAll(async () => {
  portal = await startFakePortal();
});
afterAll(async () => {
  await portal.close();
});

async function importsOf(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; heavy: string[] }> {
  const record = path.join(cwd, `imports-${Math.random().toString(36).slice(2)}.txt`);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', HOOK, BIN, ...args], {
      cwd,
      env: { ...process.env, B24_WEBHOOK_URL: '', ...env, RECORD_IMPORTS_TO: record },
      stdio: 'ignore',
    });
    child.on('error', reject).on('close', resolve);
  });
  const urls = (await readFile(record, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  expect(urls.length).toBeGreaterThan(0);
  return { code, heavy: [...new Set(urls.filter((url) => HEAVY.test(url)).map((url) => HEAVY.exec(url)?.[1]))] as string[] };
}

describe('what each command loads', () => {
  it('--help, --version and a usage error load neither ts-morph nor Prettier', async () => {
    const cwd = await tempProject();
    for (const args of [['--help'], ['--version'], ['--bogus'], []]) {
      const { heavy } = await importsOf(args, cwd);
      expect(heavy, args.join(' ')).toEqual([]);
    }
  });

  it('a regeneration loads them; the up-to-date run after it does not', async () => {
    const cwd = await tempProject({ 'package.json': '{"name":"consumer","private":true}' });
    const env = { B24_WEBHOOK_URL: portal.webhookUrl };
    const first = await importsOf([], cwd, env);
    expect(first.code).toBe(0);
    expect(first.heavy).toEqual(expect.arrayContaining(['ts-morph', 'prettier']));
    const second = await importsOf([], cwd, env);
    expect(second.code).toBe(0);
    expect(second.heavy).toEqual([]);
    const check = await importsOf(['--check'], cwd, env);
    expect(check.code).toBe(0);
    expect(check.heavy).toEqual([]);
    expect((await runCli([], { cwd, env })).stderr).toContain('is up to date');
  });

  it('a changed Prettier config or tsconfig makes the next run render again', async () => {
    const cwd = await tempProject({ 'package.json': '{"name":"consumer","private":true}' });
    const env = { B24_WEBHOOK_URL: portal.webhookUrl };
    expect((await importsOf([], cwd, env)).code).toBe(0);
    await runCli([], { cwd, env: { ...env } });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(cwd, '.prettierrc.json'), JSON.stringify({ singleQuote: true }));
    const afterPrettier = await importsOf([], cwd, env);
    expect(afterPrettier.heavy).toContain('prettier');
    expect(await readFile(path.join(cwd, 'src/generated/ownertypes.ts'), 'utf8')).toContain("'Equipment Purchase'");
    await writeFile(path.join(cwd, 'tsconfig.json'), JSON.stringify({ compilerOptions: { erasableSyntaxOnly: true } }));
    const afterTsconfig = await importsOf([], cwd, env);
    expect(afterTsconfig.heavy).toContain('ts-morph');
    expect(await readFile(path.join(cwd, 'src/generated/ownertypes.ts'), 'utf8')).toContain('export const EntityTypeId = {');
  });

  it('a CRLF checkout of the same content is current and is not rewritten', async () => {
    const cwd = await tempProject();
    const env = { B24_WEBHOOK_URL: portal.webhookUrl };
    expect((await runCli([], { cwd, env })).code).toBe(0);
    const file = path.join(cwd, 'src/generated/ownertypes.ts');
    const { writeFile, stat } = await import('node:fs/promises');
    const crlf = (await readFile(file, 'utf8')).replace(/\n/g, '\r\n');
    await writeFile(file, crlf);
    const check = await runCli(['--check'], { cwd, env });
    expect(check.code, check.stderr).toBe(0);
    const before = (await stat(file)).mtimeMs;
    const write = await runCli([], { cwd, env });
    expect(write.stderr).toContain('is up to date');
    expect((await stat(file)).mtimeMs).toBe(before);
    expect(await readFile(file, 'utf8')).toBe(crlf);
  });
});

/** Every module a Node process loads for `script` (an ES module body): URLs, and paths for require(). */
async function loadsOf(script: string, cwd: string): Promise<string[]> {
  const record = path.join(cwd, `imports-${Math.random().toString(36).slice(2)}.txt`);
  await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', HOOK, '--input-type=module', '-e', script], {
      cwd,
      env: { ...process.env, RECORD_IMPORTS_TO: record },
      stdio: 'ignore',
    });
    child.on('error', reject).on('close', resolve);
  });
  return (await readFile(record, 'utf8').catch(() => '')).split('\n').filter(Boolean);
}

/** The files of dist/ a Node process loads for `script`, by base name. */
async function distLoadsOf(script: string, cwd: string): Promise<string[]> {
  const dist = pathToFileURL(path.join(ROOT, 'dist')).href;
  return (await loadsOf(script, cwd)).filter((url) => url.startsWith(`${dist}/`)).map((url) => url.slice(dist.length + 1));
}

describe('the library entry', () => {
  const entry = JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/index.js')).href);

  it('import { generate } loads neither the CLI nor yargs', async () => {
    const cwd = tempDir('lazy');
    const loads = await distLoadsOf(`const { generate } = await import(${entry}); if (typeof generate !== 'function') process.exit(1);`, cwd);
    expect(loads).toContain('index.js');
    expect(loads.filter((file) => /^(run|yargs|flags)-/.test(file))).toEqual([]);
  });

  it('importing the whole entry loads neither yargs nor ts-morph, TypeScript or Prettier', async () => {
    const cwd = tempDir('lazy');
    const loads = await loadsOf(`const api = await import(${entry}); if (typeof api.renderModule !== 'function') process.exit(1);`, cwd);
    expect(loads.some((url) => url.endsWith('/dist/index.js'))).toBe(true);
    const heavy = loads.filter((url) => HEAVY.test(url) || /\/node_modules\/(yargs|yargs-parser|cliui)\//.test(url) || /\/dist\/yargs-[^/]*\.js$/.test(url));
    expect(heavy).toEqual([]);
  });

  it('run() loads the CLI on first call; yargs only for --help', async () => {
    const cwd = tempDir('lazy');
    const version = await distLoadsOf(`const { run } = await import(${entry}); process.exitCode = await run(['--version'], { stdout() {} });`, cwd);
    expect(version.some((file) => file.startsWith('run-'))).toBe(true);
    expect(version.some((file) => file.startsWith('yargs-'))).toBe(false);
    const help = await distLoadsOf(`const { run } = await import(${entry}); process.exitCode = await run(['--help'], { stdout() {} });`, cwd);
    expect(help.some((file) => file.startsWith('yargs-'))).toBe(true);
  });
});
