import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, generatePortals, loadConfig, resolveRun, PortalError } from '../../src/index.js';
import { seedDataset, startFakePortals, type FakePortals } from '../support/fake-portal.mjs';
import { tempDir } from '../support/temp.js';

// The library entry for several portals, in-process: what it returns is data; the CLI only renders it.

let fakes: FakePortals<'dev' | 'prod'>;
beforeAll(async () => {
  const dev = seedDataset();
  dev.ownerTypes.push({ ID: 190, NAME: 'Rental', SYMBOL_CODE: 'DYNAMIC_190', SYMBOL_CODE_SHORT: 'Tbe' });
  fakes = await startFakePortals({ dev: { dataset: dev }, prod: { dataset: 'twin' } });
});
afterAll(async () => {
  await fakes.close();
});

async function resolved(cwd: string, env: Record<string, string>, flags: { check?: boolean } = {}) {
  await writeFile(
    path.join(cwd, 'gen-ownertypes.config.json'),
    JSON.stringify({
      format: false,
      portals: {
        dev: { webhookEnv: 'DEV_URL', out: 'gen/dev.ts', snapshot: 'b24/dev.json' },
        prod: { webhookEnv: 'PROD_URL', out: 'gen/prod.ts' },
      },
    }),
  );
  return resolveRun(flags, env, await loadConfig(cwd), cwd);
}

describe('generatePortals()', () => {
  it('returns per-file results, warnings and the consistency report as data', async () => {
    const cwd = tempDir('portals-lib');
    const env = { DEV_URL: fakes.portals.dev.webhookUrl, PROD_URL: fakes.portals.prod.webhookUrl };
    const warned: string[] = [];
    const result = await generatePortals({ ...(await resolved(cwd, env)), logger: { info() {}, debug() {}, warn: (m) => warned.push(m) } });
    expect(result.files.map((f) => [f.portal, f.kind, path.relative(cwd, f.file), f.status])).toEqual([
      ['dev', 'module', path.join('gen', 'dev.ts'), 'written'],
      ['dev', 'snapshot', path.join('b24', 'dev.json'), 'written'],
      ['prod', 'module', path.join('gen', 'prod.ts'), 'written'],
    ]);
    expect(result.inconsistent).toBe(false);
    expect(result.consistency.entries).toEqual([
      { kind: 'SPA', place: 'Spa.Rental', name: 'Rental', on: [{ portal: 'dev', id: 190 }], missingOn: ['prod'] },
    ]);
    expect(result.warnings).toContainEqual({ portal: undefined, message: 'portals differ: SPA Spa.Rental "Rental" is on dev (ID 190), not on prod' });
    expect(warned).toContain('portals differ: SPA Spa.Rental "Rental" is on dev (ID 190), not on prod');
    const ids = result.portals.map((p) => p.types.find((t) => t.identifier === 'EquipmentPurchase')?.id);
    expect(ids).toEqual([177, 1046]);

    fakes.portals.prod.renameSpa(1048, 'Purchases');
    try {
      const check = await generatePortals({ ...(await resolved(cwd, env, { check: true })), diff: true });
      const prod = check.files.find((f) => f.portal === 'prod')!;
      expect(prod.status).toBe('stale');
      // Matched to dev's Purchase by its code, prod's SPA keeps the name dev gives it: only the title changed.
      expect(prod.drift).toEqual({
        state: 'changed',
        changes: [
          {
            change: 'title-changed',
            subject: 'spa',
            path: 'EntityTypeId.Purchase',
            from: 'Purchase',
            to: 'Purchases',
            id: 1048,
            text: 'title changed: Purchase (ID 1048) "Purchase" → "Purchases"',
          },
        ],
      });
      expect(prod.diff).toContain('(on disk)');
      expect(check.files.filter((f) => f.portal === 'dev').map((f) => f.status)).toEqual(['current', 'current']);
      const noDiff = await generatePortals(await resolved(cwd, env, { check: true }));
      expect(noDiff.files.find((f) => f.portal === 'prod')).not.toHaveProperty('diff');
    } finally {
      fakes.portals.prod.renameSpa(1048, 'Purchase');
    }
  });

  it('a failing portal rejects with its name and the portal error class, and writes nothing', async () => {
    const cwd = tempDir('portals-lib-fail');
    const env = { DEV_URL: fakes.portals.dev.webhookUrl, PROD_URL: fakes.portals.prod.webhookUrl.replace(fakes.portals.prod.code, 'nope') };
    const error = await generatePortals(await resolved(cwd, env)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortalError);
    expect((error as Error).message).toMatch(/^portal "prod": /);
    expect(existsSync(path.join(cwd, 'gen'))).toBe(false);
    expect(existsSync(path.join(cwd, 'b24'))).toBe(false);
  });

  it('generate() for one portal keeps its result and gains files and warnings', async () => {
    const cwd = tempDir('portals-lib-one');
    const result = await generate({ source: { kind: 'webhook', url: fakes.portals.dev.webhookUrl }, cwd, out: 'gen/one.ts', format: false });
    expect(result.status).toBe('written');
    expect(result.files).toEqual([{ file: result.outFile, kind: 'module', portal: undefined, status: 'written' }]);
    expect(result.warnings).toEqual([]);
  });
});
