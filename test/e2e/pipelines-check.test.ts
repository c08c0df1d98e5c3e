import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePortal, type FakePortal } from '../support/fake-portal.mjs';
import { runCli, tempProject } from '../support/run-cli.js';

const CODE = 'pipelines-check-code-7h2q';
const OUT = 'src/generated/ownertypes.ts';

let portal: FakePortal;
beforeAll(async () => {
  portal = await startFakePortal({ code: CODE, dataset: 'seed' });
});
afterAll(async () => {
  await portal.close();
});

describe('--check names what changed in pipelines and stages', () => {
  it('reports renamed and added pipelines and stages in the portal\'s terms, and writes nothing', async () => {
    const cwd = await tempProject({ 'package.json': '{"name":"consumer","private":true}' });
    const env = { B24_WEBHOOK_URL: portal.webhookUrl };
    const first = await runCli([], { cwd, env });
    expect(first.code, first.stderr).toBe(0);
    const written = await readFile(path.join(cwd, OUT), 'utf8');
    expect(written).toContain('Won: "C3:WON"');

    const current = await runCli(['--check'], { cwd, env });
    expect(current.code, current.stderr).toBe(0);

    portal.renamePipeline(2, 3, 'Bulk sales');
    portal.renameStage('C3:UC_YYTFYG', 'Loading', 2);
    const stale = await runCli(['--check'], { cwd, env });
    expect(stale.code, stale.stderr).toBe(1);
    expect(stale.stderr).toContain('pipeline renamed: Category.Deal.Wholesale → Category.Deal.BulkSales (3)');
    expect(stale.stderr).toMatch(/stage renamed: Stage\.Deal\.Wholesale\.Shipping → Stage\.Deal\.BulkSales\.Loading \("C3:UC_YYTFYG"\)/);
    expect(stale.stderr).not.toContain('Nothing changed on the portal');
    expect(stale.stderr).not.toContain(CODE);
    expect(await readFile(path.join(cwd, OUT), 'utf8')).toBe(written);
  });
});

describe('--check says when the module was made from another portal', () => {
  it('names both portals first, before any other change, and writes nothing', async () => {
    // The same data at another address: a module made for one portal, checked against another.
    const other = await startFakePortal({ code: CODE, dataset: 'seed' });
    try {
      const cwd = await tempProject({ 'package.json': '{"name":"consumer","private":true}' });
      const first = await runCli([], { cwd, env: { B24_WEBHOOK_URL: portal.webhookUrl } });
      expect(first.code, first.stderr).toBe(0);
      const written = await readFile(path.join(cwd, OUT), 'utf8');
      const [from, to] = [portal.webhookUrl, other.webhookUrl].map((url) => new URL(url).host);
      const stale = await runCli(['--check'], { cwd, env: { B24_WEBHOOK_URL: other.webhookUrl } });
      expect(stale.code, stale.stderr).toBe(1);
      const lines = stale.stderr.split('\n');
      expect(lines[0]).toBe(`${OUT} is stale:`);
      expect(lines[1]).toBe(
        `  The module was generated from ${from}; this run reads ${to}. SPA, pipeline and stage IDs are valid for one portal: check that this module is meant for it.`,
      );
      expect(stale.stderr).not.toContain('Nothing changed on the portal');
      expect(stale.stderr).not.toContain(CODE);
      expect(await readFile(path.join(cwd, OUT), 'utf8')).toBe(written);
    } finally {
      await other.close();
    }
  });
});
