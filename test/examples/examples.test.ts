import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/run-cli.js';

// The example's own tsconfig, compiled with the root TypeScript 5.9 against the root node_modules
// (@bitrix24/b24jssdk and @types/node are root dev dependencies), so the suite needs no install in examples/.
const example = path.join(ROOT, 'examples/consumer');
const tscBin = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const SNAPSHOT = 'b24/ownertypes.snapshot.json';
const MODULE = 'src/generated/ownertypes.ts';

function tsc(project: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [tscBin, '-p', project, '--noEmit', '--pretty', 'false'], (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: `${stdout}${stderr}` });
    });
  });
}

// Copies to break on purpose live under the root's ignored .tmp/, so that imports still resolve to the
// root's node_modules.
const scratch = path.join(ROOT, '.tmp');
const copies: string[] = [];
async function copyOfExample(): Promise<string> {
  await mkdir(scratch, { recursive: true });
  const copy = await mkdtemp(path.join(scratch, 'example-'));
  copies.push(copy);
  await cp(example, copy, { recursive: true, filter: (source) => !source.split(path.sep).includes('node_modules') });
  return copy;
}
afterAll(async () => {
  await Promise.all(copies.map((copy) => rm(copy, { recursive: true, force: true })));
});

describe('examples/consumer', () => {
  it('is wired the way the README tells users to wire their project', async () => {
    const pkg = JSON.parse(await readFile(path.join(example, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.scripts['prebuild']).toBe('gen-ownertypes --quiet');
    expect(pkg.scripts['build']).toBe('tsc');
    expect(pkg.devDependencies).toHaveProperty('gen-ownertypes');
    const config = JSON.parse(await readFile(path.join(example, 'gen-ownertypes.config.json'), 'utf8')) as Record<string, unknown>;
    expect(config['$schema']).toBe('./node_modules/gen-ownertypes/gen-ownertypes.schema.json');
    expect(config['out']).toBe(MODULE);
    expect(config['snapshot']).toBe(SNAPSHOT);
    const source = await readFile(path.join(example, 'src/crm-items.ts'), 'utf8');
    expect(source).toContain("method: 'crm.item.list'");
    expect(source).toContain('entityTypeId: EntityTypeId.Purchase');
  });

  it('type-checks with TypeScript 5.9 against its committed module and @bitrix24/b24jssdk', async () => {
    const result = await tsc(path.join(example, 'tsconfig.json'));
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('fails to type-check once regenerated from a portal that lost the SPA the code uses', async () => {
    const copy = await copyOfExample();
    const snapshot = JSON.parse(await readFile(path.join(copy, SNAPSHOT), 'utf8')) as {
      ownerTypes: Array<{ ID: number }>;
      pipelines: { types: Array<{ entityTypeId: number }> };
      spaDetails: { types: Array<{ entityTypeId: number }> };
    };
    // The SPA is gone from the portal, with its pipelines and its details.
    snapshot.ownerTypes = snapshot.ownerTypes.filter((type) => type.ID !== 156);
    snapshot.pipelines.types = snapshot.pipelines.types.filter((type) => type.entityTypeId !== 156);
    snapshot.spaDetails.types = snapshot.spaDetails.types.filter((type) => type.entityTypeId !== 156);
    await writeFile(path.join(copy, 'b24/deleted-purchase.json'), JSON.stringify(snapshot));
    const regenerated = await runCli(['--input', 'b24/deleted-purchase.json'], { cwd: copy });
    expect(regenerated.code).toBe(0);
    expect(await readFile(path.join(copy, MODULE), 'utf8')).not.toContain('Purchase = 156');

    const result = await tsc(path.join(copy, 'tsconfig.json'));
    expect(result.output).toMatch(/src\/crm-items\.ts\(\d+,\d+\): error TS2339: Property 'Purchase' does not exist/);
    expect(result.code).not.toBe(0);
  });

  it('its committed module and snapshot are exactly what the built CLI writes from that snapshot', async () => {
    const result = await runCli(['--check', '--input', SNAPSHOT], { cwd: example });
    expect(result.stderr).toContain(`${MODULE} is current`);
    expect(result.stderr).toContain(`Snapshot ${SNAPSHOT} is current`);
    expect(result.code).toBe(0);
  });

  it('--check catches a hand edit of the committed module', async () => {
    const copy = await copyOfExample();
    const file = path.join(copy, MODULE);
    const original = await readFile(file, 'utf8');
    expect(original).toContain('Purchase = 156,');
    const edited = original.replace('Purchase = 156,', 'Purchase = 157,');
    await writeFile(file, edited);
    const result = await runCli(['--check', '--input', SNAPSHOT], { cwd: copy });
    expect(result.stderr).toContain(`${MODULE} is stale`);
    expect(result.code).toBe(1);
    expect(await readFile(file, 'utf8')).toBe(edited);
  });

  it('the CI snippet checks the live portal with the secret, and offline against the committed snapshot', async () => {
    const workflow = await readFile(path.join(ROOT, 'examples/ci/github-actions.yml'), 'utf8');
    expect(workflow).toMatch(/- run: npx gen-ownertypes --check\n\s+env:\n\s+B24_WEBHOOK_URL: \$\{\{ secrets\.B24_WEBHOOK_URL \}\}/);
    expect(workflow).toContain(`npx gen-ownertypes --check --input ${SNAPSHOT}`);
    expect(workflow).not.toMatch(/\t/);
  });
});

describe('examples/multi-portal', () => {
  const multi = path.join(ROOT, 'examples/multi-portal');
  const OFFLINE = 'gen-ownertypes.offline.json';

  it('picks each portal\'s module through the "#b24" import condition, and the same code type-checks against both', async () => {
    const pkg = JSON.parse(await readFile(path.join(multi, 'package.json'), 'utf8')) as { imports: Record<string, Record<string, string>> };
    expect(pkg.imports['#b24']).toMatchObject({ dev: './src/generated/ownertypes.dev.ts', prod: './src/generated/ownertypes.prod.ts' });
    const results = await Promise.all(['dev', 'prod'].map((portal) => tsc(path.join(multi, `tsconfig.${portal}.json`))));
    for (const result of results) {
      expect(result.output).toBe('');
      expect(result.code).toBe(0);
    }
    const source = await readFile(path.join(multi, 'src/deals.ts'), 'utf8');
    expect(source).toContain("from '#b24'");
    for (const used of ['Spa.EquipmentPurchase', 'Category.Deal.Wholesale', 'Stage.Deal.Wholesale.Won']) expect(source).toContain(used);
    const dev = await readFile(path.join(multi, 'src/generated/ownertypes.dev.ts'), 'utf8');
    const prod = await readFile(path.join(multi, 'src/generated/ownertypes.prod.ts'), 'utf8');
    expect(dev).toContain('EquipmentPurchase: 177,');
    expect(prod).toContain('EquipmentPurchase: 1046,');
  });

  it('a module that lacks what the code uses fails the build of that portal only', async () => {
    await mkdir(scratch, { recursive: true });
    const copy = await mkdtemp(path.join(scratch, 'multi-'));
    copies.push(copy);
    await cp(multi, copy, { recursive: true, filter: (source) => !source.split(path.sep).includes('node_modules') });
    const file = path.join(copy, 'src/generated/ownertypes.prod.ts');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\bWholesale\b/g, 'Bulk'));
    const [dev, prod] = await Promise.all([tsc(path.join(copy, 'tsconfig.dev.json')), tsc(path.join(copy, 'tsconfig.prod.json'))]);
    expect(dev.code).toBe(0);
    expect(prod.output).toMatch(/src\/deals\.ts\(\d+,\d+\): error TS2339: Property 'Wholesale' does not exist/);
  });

  it('its committed modules are exactly what the built CLI writes from the committed snapshots', async () => {
    const result = await runCli(['--check', '--config', OFFLINE], { cwd: multi });
    expect(result.stderr).toMatch(/^dev: src\/generated\/ownertypes\.dev\.ts is current/m);
    expect(result.stderr).toMatch(/^prod: src\/generated\/ownertypes\.prod\.ts is current/m);
    expect(result.stderr).not.toContain('portals differ');
    expect(result.code).toBe(0);
  });
});
