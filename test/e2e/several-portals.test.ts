import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGeneratedModule, readPreviousModule } from '../../src/emit/read-generated-module.js';
import { seedDataset, startFakePortals, type FakePortals } from '../support/fake-portal.mjs';
import { runCli, tempProject } from '../support/run-cli.js';

// Codes that must never be printed.
const CODES = { dev: 'several-dev-code-4f1a', prod: 'several-prod-code-9c2e', demo: 'several-demo-code-77b0' };
const OUT = { dev: 'src/generated/ownertypes.dev.ts', prod: 'src/generated/ownertypes.prod.ts', demo: 'src/generated/ownertypes.demo.ts' };

/** The seed portal with one more SPA, only on this portal. */
function seedWithRental() {
  const dataset = seedDataset();
  dataset.ownerTypes.push({ ID: 190, NAME: 'Rental', SYMBOL_CODE: 'DYNAMIC_190', SYMBOL_CODE_SHORT: 'Tbe' });
  return dataset;
}

let fakes: FakePortals<'dev' | 'prod' | 'demo'>;
beforeAll(async () => {
  fakes = await startFakePortals({
    dev: { code: CODES.dev, dataset: 'seed' },
    prod: { code: CODES.prod, dataset: 'twin' },
    demo: { code: CODES.demo, dataset: seedWithRental() },
  });
});
afterAll(async () => {
  await fakes.close();
});

const env = () => ({
  B24_DEV_WEBHOOK_URL: fakes.portals.dev.webhookUrl,
  B24_PROD_WEBHOOK_URL: fakes.portals.prod.webhookUrl,
  B24_DEMO_WEBHOOK_URL: fakes.portals.demo.webhookUrl,
});

type Name = keyof typeof OUT;
function config(names: readonly Name[], extra: Record<string, unknown> = {}, snapshots = false): string {
  const portals = Object.fromEntries(
    names.map((name) => [
      name,
      { webhookEnv: `B24_${name.toUpperCase()}_WEBHOOK_URL`, out: OUT[name], ...(snapshots && { snapshot: `b24/${name}.json` }) },
    ]),
  );
  return JSON.stringify({ portals, ...extra });
}

async function project(names: readonly Name[], extra?: Record<string, unknown>, snapshots = false): Promise<string> {
  return tempProject({
    'package.json': '{"name":"consumer","private":true}',
    'gen-ownertypes.config.json': config(names, extra, snapshots),
  });
}

const read = (cwd: string, file: string) => readFile(path.join(cwd, file), 'utf8');
const noSecret = (text: string) => {
  for (const code of Object.values(CODES)) expect(text).not.toContain(code);
};

/** Every identifier of a module, with its value: `EntityTypeId.X = 177`, `Stage.Deal.Wholesale.Won = C3:WON`. */
function members(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const type of readGeneratedModule(text) ?? []) map.set(`EntityTypeId.${type.identifier}`, String(type.id));
  for (const entry of readPreviousModule(text).pipelines ?? []) {
    const scope = entry.pipeline === undefined ? entry.ownerType : `${entry.ownerType}.${entry.pipeline}`;
    map.set(`${entry.kind === 'pipeline' ? 'Category' : 'Stage'}.${scope}.${entry.identifier}`, entry.value);
  }
  return map;
}

describe('several portals in one run', () => {
  it('dev and its export/import twin: two modules with the same identifiers and their own IDs', async () => {
    const cwd = await project(['dev', 'prod'], { enumStyle: 'const' });
    const run = await runCli([], { cwd, env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^dev: wrote src\/generated\/ownertypes\.dev\.ts \(12 owner types, 2 SPAs, 8 pipelines, 66 stages from 127\.0\.0\.1:\d+\)\.$/m);
    expect(run.stderr).toMatch(/^prod: wrote src\/generated\/ownertypes\.prod\.ts \(12 owner types, 2 SPAs, 8 pipelines, 66 stages from 127\.0\.0\.1:\d+\)\.$/m);
    expect(run.stderr).not.toContain('portals differ');
    noSecret(run.stderr);

    const dev = members(await read(cwd, OUT.dev));
    const prod = members(await read(cwd, OUT.prod));
    expect([...prod.keys()].sort()).toEqual([...dev.keys()].sort());
    expect(dev.get('EntityTypeId.EquipmentPurchase')).toBe('177');
    expect(prod.get('EntityTypeId.EquipmentPurchase')).toBe('1046');
    expect(dev.get('Stage.Deal.Wholesale.Won')).toBe('C3:WON');
    expect(prod.get('Stage.Deal.Wholesale.Won')).toBe('C4:WON');
    expect(dev.get('Category.EquipmentPurchase.SecondPipeline')).toBe('9');
    expect(prod.get('Category.EquipmentPurchase.SecondPipeline')).toBe('90');
    expect(await read(cwd, OUT.prod)).toContain('EquipmentPurchase: 1046');

    // Current on the next run, and under --check.
    const again = await runCli([], { cwd, env: env() });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/^dev: src\/generated\/ownertypes\.dev\.ts is up to date/m);
    const check = await runCli(['--check'], { cwd, env: env() });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stderr).toMatch(/^prod: src\/generated\/ownertypes\.prod\.ts is current/m);
  });

  it('three portals: the one with an extra SPA is reported with its ID, as a warning by default', async () => {
    const cwd = await project(['dev', 'prod', 'demo'], {}, true);
    const run = await runCli([], { cwd, env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('warning: portals differ: SPA Spa.Rental "Rental" is on demo (ID 190), not on dev, prod');
    // Its pipeline and stages are not listed one by one: the SPA says it all.
    expect(run.stderr).not.toMatch(/portals differ: (pipeline|stage) \w+\.Rental/);
    for (const name of ['dev', 'prod', 'demo'] as const) {
      expect(existsSync(path.join(cwd, OUT[name]))).toBe(true);
      expect(existsSync(path.join(cwd, `b24/${name}.json`))).toBe(true);
    }
    expect(await read(cwd, OUT.demo)).toContain('Rental = 190');
    expect(await read(cwd, OUT.dev)).not.toContain('Rental');
  });

  it('"consistency": "error": exit 1 and nothing written; --check reports it too', async () => {
    const cwd = await project(['demo', 'dev'], { consistency: 'error' });
    const run = await runCli([], { cwd, env: env() });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('SPA Spa.Rental "Rental" is on demo (ID 190), not on dev');
    expect(run.stderr).toContain('"consistency": "error", so no file was written');
    expect(existsSync(path.join(cwd, OUT.demo))).toBe(false);
    expect(existsSync(path.join(cwd, OUT.dev))).toBe(false);

    const check = await runCli(['--check'], { cwd, env: env() });
    expect(check.code, check.stderr).toBe(1);
    expect(check.stderr).toContain('Spa.Rental');
    expect(check.stderr).toMatch(/^demo: src\/generated\/ownertypes\.demo\.ts does not exist/m);

    // With --only, one portal cannot disagree with itself.
    const only = await runCli(['--only', 'dev'], { cwd, env: env() });
    expect(only.code, only.stderr).toBe(0);
    expect(existsSync(path.join(cwd, OUT.dev))).toBe(true);
    expect(existsSync(path.join(cwd, OUT.demo))).toBe(false);
  });

  it('one portal with a wrong secret: exit 3 naming it, and no file of any portal is written', async () => {
    const cwd = await project(['dev', 'prod'], {}, true);
    const first = await runCli([], { cwd, env: env() });
    expect(first.code, first.stderr).toBe(0);
    const before = await Promise.all([OUT.dev, OUT.prod, 'b24/dev.json', 'b24/prod.json'].map((file) => read(cwd, file)));
    fakes.portals.dev.renameSpa(177, 'Tools');
    const wrong = fakes.portals.prod.webhookUrl.replace(CODES.prod, 'wrong-secret-code-31d5');
    const run = await runCli([], { cwd, env: { ...env(), B24_PROD_WEBHOOK_URL: wrong } });
    try {
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(/portal "prod": .*(401|INVALID_CREDENTIALS|NO_AUTH_FOUND)/i);
      // The advice names the variable this portal's secret comes from, not the single-portal one.
      expect(run.stderr).toContain('B24_PROD_WEBHOOK_URL (portals.prod.webhookEnv)');
      expect(run.stderr).not.toMatch(/B24_WEBHOOK_URL|--webhook/);
      expect(run.stderr).not.toContain('wrong-secret-code-31d5');
      noSecret(run.stderr);
      const after = await Promise.all([OUT.dev, OUT.prod, 'b24/dev.json', 'b24/prod.json'].map((file) => read(cwd, file)));
      expect(after).toEqual(before);
    } finally {
      fakes.portals.dev.renameSpa(177, 'Equipment Purchase');
    }
  });

  it('--only picks portals; --check names the stale one and writes nothing', async () => {
    const cwd = await project(['dev', 'prod']);
    const only = await runCli(['--only', 'prod'], { cwd, env: env() });
    expect(only.code, only.stderr).toBe(0);
    expect(existsSync(path.join(cwd, OUT.prod))).toBe(true);
    expect(existsSync(path.join(cwd, OUT.dev))).toBe(false);
    const unknown = await runCli(['--only', 'prdo'], { cwd, env: env() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--only: no portal named "prdo"');
    expect(unknown.stderr).toContain('Did you mean prod? Known portals: dev, prod');

    const all = await runCli([], { cwd, env: env() });
    expect(all.code, all.stderr).toBe(0);
    const prodBefore = await read(cwd, OUT.prod);
    fakes.portals.prod.renamePipeline(2, 4, 'Bulk sales');
    try {
      const check = await runCli(['--check'], { cwd, env: env() });
      expect(check.code, check.stderr).toBe(1);
      expect(check.stderr).toMatch(/^dev: src\/generated\/ownertypes\.dev\.ts is current/m);
      expect(check.stderr).toMatch(/^prod: src\/generated\/ownertypes\.prod\.ts is stale:/m);
      // Pipelines match by name: renamed on prod alone, it is another pipeline than dev's Wholesale.
      expect(check.stderr).toContain('  pipeline renamed: Category.Deal.Wholesale → Category.Deal.BulkSales (4)');
      expect(check.stderr).toContain('portals differ: pipeline Category.Deal.Wholesale "Wholesale" is on dev (ID 3), not on prod');
      expect(check.stderr).toContain('portals differ: pipeline Category.Deal.BulkSales "Bulk sales" is on prod (ID 4), not on dev');
      expect(check.stderr).toContain('--- src/generated/ownertypes.prod.ts (on disk)');
      expect(await read(cwd, OUT.prod)).toBe(prodBefore);
      noSecret(check.stderr);
    } finally {
      fakes.portals.prod.renamePipeline(2, 4, 'Wholesale');
    }
  });

  it('a collision on one portal gives the same appended-ID identifier in every module', async () => {
    const dataset = seedDataset();
    dataset.ownerTypes.push({ ID: 190, NAME: 'Equipment Purchase', SYMBOL_CODE: 'DYNAMIC_190', SYMBOL_CODE_SHORT: 'Tbe' });
    fakes.portals.demo.setDataset(dataset);
    try {
      const cwd = await project(['demo', 'prod']);
      const run = await runCli([], { cwd, env: env() });
      expect(run.code, run.stderr).toBe(0);
      const demo = members(await read(cwd, OUT.demo));
      const prod = members(await read(cwd, OUT.prod));
      expect(demo.get('EntityTypeId.EquipmentPurchase177')).toBe('177');
      expect(demo.get('EntityTypeId.EquipmentPurchase190')).toBe('190');
      // prod has one Equipment Purchase, matched to demo's 177 by title: it carries demo's ID, as in demo's module.
      expect(prod.get('EntityTypeId.EquipmentPurchase177')).toBe('1046');
      expect(prod.has('EntityTypeId.EquipmentPurchase')).toBe(false);
      expect(run.stderr).toMatch(/warning: demo: smart process 177 is named EquipmentPurchase177/);
      expect(run.stderr).toContain('portals differ: SPA Spa.EquipmentPurchase190 "Equipment Purchase" is on demo (ID 190), not on prod');
    } finally {
      fakes.portals.demo.setDataset(seedWithRental());
    }
  });

  it('aliases per portal match SPAs that differ in title', async () => {
    fakes.portals.prod.renameSpa(1046, 'Закупка оборудования');
    try {
      const cwd = await tempProject({
        'package.json': '{"name":"consumer","private":true}',
        'gen-ownertypes.config.json': JSON.stringify({
          portals: {
            dev: { webhookEnv: 'B24_DEV_WEBHOOK_URL', out: OUT.dev, aliases: { '177': 'Equipment' } },
            prod: { webhookEnv: 'B24_PROD_WEBHOOK_URL', out: OUT.prod, aliases: { DYNAMIC_1046: 'Equipment' } },
          },
        }),
      });
      const run = await runCli([], { cwd, env: env() });
      expect(run.code, run.stderr).toBe(0);
      expect(members(await read(cwd, OUT.prod)).get('Stage.Equipment.Default.Success')).toBe('DT1046_88:SUCCESS');
      expect(run.stderr).not.toContain('portals differ');
    } finally {
      fakes.portals.prod.renameSpa(1046, 'Equipment Purchase');
    }
  });

  it('the same config file and a snapshot of one portal as its input', async () => {
    const cwd = await project(['dev'], {}, true);
    expect((await runCli([], { cwd, env: env() })).code).toBe(0);
    await writeFile(
      path.join(cwd, 'gen-ownertypes.config.json'),
      JSON.stringify({
        portals: {
          dev: { input: 'b24/dev.json', out: OUT.dev },
          prod: { webhookEnv: 'B24_PROD_WEBHOOK_URL', out: OUT.prod },
        },
      }),
    );
    const run = await runCli([], { cwd, env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^dev: src\/generated\/ownertypes\.dev\.ts is up to date/m);
    expect([...members(await read(cwd, OUT.prod)).keys()].sort()).toEqual([...members(await read(cwd, OUT.dev)).keys()].sort());
  });
});
