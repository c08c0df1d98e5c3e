import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { ROOT } from '../support/run-cli.js';
import { tempDir } from '../support/temp.js';

const SEED = path.join(ROOT, 'test/fixtures/seed-response.json');

async function runIn(cwd: string, argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await run(argv, { cwd, env, stderr: (t) => (stderr += t), stdout: () => {} });
  return { code, stderr };
}

describe('offline fallback', () => {
  it('no source, and the config names a snapshot that exists: regenerates from it and says so', async () => {
    const cwd = tempDir('offline');
    writeFileSync(path.join(cwd, 'gen-ownertypes.config.json'), JSON.stringify({ snapshot: 'b24/snap.json', out: 'gen/ids.ts', format: false }));
    const first = await runIn(cwd, ['--input', SEED, '--snapshot', 'b24/snap.json', '--out', 'gen/ids.ts']);
    expect(first.code, first.stderr).toBe(0);
    const snapshot = readFileSync(path.join(cwd, 'b24/snap.json'), 'utf8');
    const module = readFileSync(path.join(cwd, 'gen/ids.ts'), 'utf8');

    const offline = await runIn(cwd, []);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stderr).toMatch(/No source given: regenerating offline from the snapshot b24[\\/]snap\.json\. To read the portal, set B24_WEBHOOK_URL/);
    expect(offline.stderr).toContain('is up to date');
    expect(readFileSync(path.join(cwd, 'b24/snap.json'), 'utf8')).toBe(snapshot);
    expect(readFileSync(path.join(cwd, 'gen/ids.ts'), 'utf8')).toBe(module);

    const check = await runIn(cwd, ['--check', '--quiet']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stderr).toBe('');
  });

  it('the snapshot missing: "No source", exit 2', async () => {
    const cwd = tempDir('offline-missing');
    writeFileSync(path.join(cwd, 'gen-ownertypes.config.json'), JSON.stringify({ snapshot: 'b24/snap.json' }));
    const result = await runIn(cwd, []);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No source');
  });
});

describe('config files as Windows editors save them', () => {
  it('a BOM in the config and in --env-file is read', async () => {
    const cwd = tempDir('bom');
    copyFileSync(SEED, path.join(cwd, 'seed.json'));
    writeFileSync(path.join(cwd, 'gen-ownertypes.config.json'), `\uFEFF${JSON.stringify({ out: 'bom.ts', format: false })}`);
    writeFileSync(path.join(cwd, '.env'), '\uFEFFB24_PORTAL_URL=https://bom.bitrix24.com\n');
    const result = await runIn(cwd, ['--input', 'seed.json', '--env-file', '.env']);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(path.join(cwd, 'bom.ts'), 'utf8')).toContain('EntityTypeId');
  });
});

describe('several portals', () => {
  it('are resolved and validated; a failure names its portal', async () => {
    const cwd = tempDir('portals');
    writeFileSync(
      path.join(cwd, 'gen-ownertypes.config.json'),
      JSON.stringify({ portals: { dev: { webhookEnv: 'B24_DEV_URL', out: 'dev.ts' }, demo: { input: 'demo.json', out: 'demo.ts' } } }),
    );
    const missing = await runIn(cwd, []);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Portal "dev": the environment variable B24_DEV_URL');
    const only = await runIn(cwd, ['--only', 'demo']);
    expect(only.code).toBe(2);
    expect(only.stderr).toMatch(/^gen-ownertypes: portal "demo": Cannot read --input .*demo\.json: no such file/m);
    const withOut = await runIn(cwd, ['--out', 'x.ts']);
    expect(withOut.stderr).toContain('--out cannot be used with "portals"');
  });
});
