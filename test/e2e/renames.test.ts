import { execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePortal, type FakePortal } from '../support/fake-portal.mjs';
import { BIN, ROOT, runCli, tempProject } from '../support/run-cli.js';

/**
 * Renames never break a build: after the portal renames an SPA, a pipeline and a user-added stage, the
 * regenerated module keeps the old names as deprecated aliases, consumer code that uses them still
 * compiles, `--check` names each rename, and `--drop-deprecated` removes them.
 */

const CODE = 'renames-code-5k8w';
const OUT = 'src/generated/ownertypes.ts';
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const HOOK = path.join(ROOT, 'test/support/record-imports.mjs');

/** Consumer code written against the module before the renames. */
const CONSUMER = [
  'import { Category, EntityTypeId, Spa, Stage, spaEntityTypeIds, type StageIdOf } from "./generated/ownertypes.js";',
  'export const purchase: 156 = EntityTypeId.Purchase;',
  'export const spa: 156 = Spa.Purchase;',
  'export const wholesale: 3 = Category.Deal.Wholesale;',
  'export const shipping: "C3:UC_YYTFYG" = Stage.Deal.Wholesale.Shipping;',
  'export const spaStage: StageIdOf<"Deal"> = Stage.Deal.Wholesale.Won;',
  'export const purchaseDefault: number = Category.Purchase.Default;',
  'export const ids: readonly number[] = spaEntityTypeIds;',
  '',
].join('\n');

let portal: FakePortal;
beforeAll(async () => {
  portal = await startFakePortal({ code: CODE, dataset: 'seed' });
});
afterAll(async () => {
  await portal.close();
});

function tsc(cwd: string): Promise<{ code: number; output: string }> {
  const args = ['--strict', '--noEmit', '--skipLibCheck', '--module', 'nodenext', '--noUnusedLocals', '--pretty', 'false', 'src/consumer.ts'];
  return new Promise((resolve) => {
    execFile(process.execPath, [TSC, ...args], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: `${stdout}${stderr}` });
    });
  });
}

/** The heavy packages a run loads (see lazy-loading.test.ts). */
async function heavyImportsOf(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; heavy: string[] }> {
  const record = path.join(cwd, `imports-${Math.random().toString(36).slice(2)}.txt`);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', HOOK, BIN, ...args], { cwd, env: { ...process.env, ...env, RECORD_IMPORTS_TO: record }, stdio: 'ignore' });
    child.on('error', reject).on('close', resolve);
  });
  const urls = (await readFile(record, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  expect(urls.length).toBeGreaterThan(0);
  return { code, heavy: [...new Set(urls.flatMap((url) => /\/node_modules\/(ts-morph|typescript|prettier)\//.exec(url)?.[1] ?? []))] };
}

describe('renames on the portal', () => {
  it('keep the old names as deprecated aliases until --drop-deprecated', async () => {
    const cwd = await tempProject({
      'package.json': '{"name":"consumer","private":true,"type":"module"}',
      'src/consumer.ts': CONSUMER,
    });
    const env = { B24_WEBHOOK_URL: portal.webhookUrl };
    const file = path.join(cwd, OUT);

    expect((await runCli([], { cwd, env })).code).toBe(0);
    const before = await readFile(file, 'utf8');
    expect(before).not.toContain('@deprecated');
    const compiles = await tsc(cwd);
    expect(compiles.output).toBe('');

    portal.renameSpa(156, 'Procurement');
    portal.renamePipeline(2, 3, 'Bulk sales');
    portal.renameStage('C3:UC_YYTFYG', 'Loading', 2);

    const check = await runCli(['--check'], { cwd, env });
    expect(check.code, check.stderr).toBe(1);
    expect(check.stderr).toContain('renamed: Purchase → Procurement (DYNAMIC_156, ID 156), kept as deprecated');
    expect(check.stderr).toContain('pipeline renamed: Category.Deal.Wholesale → Category.Deal.BulkSales (3), kept as deprecated');
    expect(check.stderr).toContain('stage renamed: Stage.Deal.Wholesale.Shipping → Stage.Deal.BulkSales.Loading ("C3:UC_YYTFYG"), kept as deprecated');
    expect(check.stderr).not.toContain(CODE);
    expect(await readFile(file, 'utf8')).toBe(before);

    const write = await runCli([], { cwd, env });
    expect(write.code, write.stderr).toBe(0);
    expect(write.stderr).not.toContain('warning');
    const renamed = await readFile(file, 'utf8');
    for (const line of [
      '@deprecated Renamed to EntityTypeId.Procurement (the same value)',
      '@deprecated Renamed to Spa.Procurement (the same value)',
      '@deprecated Renamed to Category.Procurement (the same value)',
      '@deprecated Renamed to Category.Deal.BulkSales (the same value)',
      '@deprecated Renamed to Stage.Deal.BulkSales.Loading (the same value)',
    ]) {
      expect(renamed).toContain(line);
    }
    expect(renamed).toContain('Procurement = 156');
    expect(renamed).toContain('Purchase = Procurement');
    const stillCompiles = await tsc(cwd);
    expect(stillCompiles.output).toBe('');

    // The module holds the aliases already: current, and without loading ts-morph or Prettier.
    const again = await heavyImportsOf([], cwd, env);
    expect(again.code).toBe(0);
    expect(again.heavy).toEqual([]);
    const current = await runCli(['--check'], { cwd, env });
    expect(current.code, current.stderr).toBe(0);
    expect((await runCli([], { cwd, env })).stderr).toContain('is up to date');
    expect(await readFile(file, 'utf8')).toBe(renamed);

    const dropCheck = await runCli(['--check', '--drop-deprecated'], { cwd, env });
    expect(dropCheck.code, dropCheck.stderr).toBe(1);
    expect(dropCheck.stderr).toContain('deprecated alias removed: EntityTypeId.Purchase (156)');
    const drop = await runCli(['--drop-deprecated'], { cwd, env });
    expect(drop.code, drop.stderr).toBe(0);
    const dropped = await readFile(file, 'utf8');
    expect(dropped).not.toContain('@deprecated');
    expect(dropped).not.toMatch(/\bPurchase = /);
    const broken = await tsc(cwd);
    expect(broken.code).not.toBe(0);
    expect(broken.output).toMatch(/Property 'Purchase' does not exist/);
    expect((await runCli(['--drop-deprecated'], { cwd, env })).stderr).toContain('is up to date');

    // Put back for the other tests of this file.
    portal.renameSpa(156, 'Purchase');
    portal.renamePipeline(2, 3, 'Wholesale');
    portal.renameStage('C3:UC_YYTFYG', 'Shipping', 2);
  });

  it('a hand-edited module is read as well as it can be, and a warning says what was not kept, even with --quiet', async () => {
    const cwd = await tempProject({ 'package.json': '{"name":"consumer","private":true}' });
    const env = { B24_WEBHOOK_URL: portal.webhookUrl };
    const file = path.join(cwd, OUT);
    expect((await runCli([], { cwd, env })).code).toBe(0);
    const text = await readFile(file, 'utf8');
    // A hand edit no generator writes: the Stage section cannot be read back.
    await writeFile(file, text.replace('export const Stage = {', 'export const Stage = {\n  ...{},'));
    portal.renameSpa(156, 'Procurement');
    portal.renameStage('C3:UC_YYTFYG', 'Loading', 2);
    try {
      const run = await runCli(['--quiet'], { cwd, env });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/warning: ownertypes\.ts: the Stage section of the existing module cannot be read back \(edited by hand, or written by an older gen-ownertypes\), so renamed stages \(and pipelines, owner types\) keep no deprecated alias in Stage\./);
      const written = await readFile(file, 'utf8');
      expect(written).toContain('@deprecated Renamed to EntityTypeId.Procurement');
      expect(written).not.toContain('@deprecated Renamed to Stage.');
      expect(run.stderr).not.toContain(CODE);
    } finally {
      portal.renameSpa(156, 'Purchase');
      portal.renameStage('C3:UC_YYTFYG', 'Shipping', 2);
    }
  });

  it('an identifier that now means another pipeline warns on every run, even with --quiet', async () => {
    const cwd = await tempProject({ 'package.json': '{"name":"consumer","private":true}' });
    const env = { B24_WEBHOOK_URL: portal.webhookUrl };
    expect((await runCli([], { cwd, env })).code).toBe(0);
    // Two deal pipelines swap names: each identifier now means the other's ID.
    const names = portal.dataset.pipelines.filter((p) => p.entityTypeId === 2 && p.categoryId !== 0).map((p) => [p.categoryId, p.name] as const);
    expect(names.length).toBeGreaterThanOrEqual(2);
    const [[a, nameA], [b, nameB]] = names as [readonly [number, string], readonly [number, string]];
    portal.renamePipeline(2, a, nameB);
    portal.renamePipeline(2, b, nameA);
    try {
      const run = await runCli(['--quiet'], { cwd, env });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(`warning: Category.Deal.`);
      expect(run.stderr).toMatch(new RegExp(`Category\\.Deal\\.\\w+ is now (${a}|${b}), not (${a}|${b}) as in the existing module`));
    } finally {
      portal.renamePipeline(2, a, nameA);
      portal.renamePipeline(2, b, nameB);
    }
  });
});
