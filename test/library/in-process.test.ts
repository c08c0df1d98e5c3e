import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/generate.js';
import { run } from '../../src/cli/run.js';
import { loadConfig } from '../../src/options/load-config.js';
import { generateOptionsFor, resolveRun } from '../../src/options/resolve-options.js';
import type { Logger } from '../../src/shared/logger.js';
import { startFakePortal, type FakePortal } from '../support/fake-portal.mjs';
import { ROOT } from '../support/run-cli.js';
import { tempDir } from '../support/temp.js';

// run() and generate() in this process, against the fake portal: the CLI's exit codes and the render
// cache's rules, without spawning the bin. process.cwd() stays the repository; every run names its cwd.

let portal: FakePortal;
beforeAll(async () => {
  portal = await startFakePortal();
});
afterAll(async () => {
  await portal.close();
});

const OUT = 'src/generated/ownertypes.ts';

/** A project folder in the temp folder, with a package.json so the render cache has a home. */
async function project(files: Record<string, string> = {}): Promise<string> {
  const dir = tempDir('in-process');
  for (const [name, content] of Object.entries({ 'package.json': '{"name":"consumer","private":true}', ...files })) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

async function cli(argv: string[], cwd: string, env: Record<string, string> = { B24_WEBHOOK_URL: portal.webhookUrl }) {
  let stderr = '';
  let stdout = '';
  const code = await run(argv, { cwd, env, stderr: (text) => (stderr += text), stdout: (text) => (stdout += text) });
  return { code, stderr, stdout };
}

/** generate() with a logger that keeps the debug lines, to tell a render from the fast path. */
async function generateIn(cwd: string, options: Partial<Parameters<typeof generate>[0]> = {}) {
  const debug: string[] = [];
  const logger: Logger = { info() {}, warn() {}, debug: (message) => debug.push(message) };
  const result = await generate({ source: { kind: 'webhook', url: portal.webhookUrl }, cwd, logger, ...options });
  const rendered = !debug.some((line) => line.includes('nothing to render'));
  return { result, rendered, debug };
}

describe('run() in-process', () => {
  it('exit codes: 0 written, 0 up to date, 0 --check current, 1 --check stale, 2 usage, 3 portal', async () => {
    const cwd = await project();
    const first = await cli([], cwd);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`Wrote ${OUT} (`);
    const second = await cli([], cwd);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`${OUT} is up to date`);
    expect((await cli(['--check'], cwd)).code).toBe(0);

    portal.renameSpa(177, 'Equipment Rental');
    try {
      const stale = await cli(['--check'], cwd);
      expect(stale.code).toBe(1);
      // The report names the file relative to the run's folder, not to the process's.
      expect(stale.stderr).toContain(`${OUT} is stale:`);
    } finally {
      portal.renameSpa(177, 'Equipment Purchase');
    }
    const usage = await cli(['--timeout', '0'], cwd);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--timeout');
    const wrongCode = portal.webhookUrl.replace(portal.code, 'f'.repeat(portal.code.length));
    const refused = await cli([], cwd, { B24_WEBHOOK_URL: wrongCode });
    expect(refused.code).toBe(3);
    expect(refused.stderr).not.toContain('f'.repeat(portal.code.length));
  });

  it('an option error from the library is printed with the flag', async () => {
    const cwd = await project({ 'a-folder/x': '' });
    const result = await cli(['--out', 'a-folder'], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--out a-folder is a folder. --out must name a regular file');
  });
});

describe('cwd, not process.cwd()', () => {
  it('generate() and resolveRun() resolve every relative path against the cwd they are given', async () => {
    const cwd = await project({
      'gen-ownertypes.config.json': JSON.stringify({ out: 'lib/b24.ts', snapshot: 'b24/snap.json', enumStyle: 'auto' }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { erasableSyntaxOnly: true } }),
      '.env.local': `B24_WEBHOOK_URL=${portal.webhookUrl}\n`,
    });
    expect(process.cwd()).not.toBe(cwd);
    const before = readdirSync(process.cwd()).sort();

    const loaded = await loadConfig(cwd);
    const resolved = resolveRun({}, { B24_WEBHOOK_URL: portal.webhookUrl }, loaded, cwd);
    const options = generateOptionsFor(resolved.targets[0]!, resolved.settings);
    expect(options.out).toBe(path.join(cwd, 'lib/b24.ts'));
    const { result, debug } = await generateIn(cwd, options);
    expect(result.status).toBe('written');
    expect(result.outFile).toBe(path.join(cwd, 'lib/b24.ts'));
    expect(result.snapshot?.file).toBe(path.join(cwd, 'b24/snap.json'));
    // The tsconfig that decided is the one of cwd, named relative to cwd.
    expect(debug).toContain('enum style: lib/b24.ts is in tsconfig.json, which sets erasableSyntaxOnly: using const (an as-const object and a type of the same name)');
    expect(await readFile(path.join(cwd, 'lib/b24.ts'), 'utf8')).toContain('export const EntityTypeId = {');

    // Relative options straight to generate(): out, snapshot and an input file.
    const direct = await generateIn(cwd, { source: { kind: 'input', file: 'b24/snap.json' }, out: 'other/module.ts', snapshot: 'other/snap.json', enumStyle: 'enum' });
    expect(direct.result.outFile).toBe(path.join(cwd, 'other/module.ts'));
    expect(existsSync(path.join(cwd, 'other/snap.json'))).toBe(true);

    // The CLI with a relative --config and --env-file, and the cache under cwd's package.
    const viaCli = await cli(['--env-file', '.env.local', '--config', 'gen-ownertypes.config.json', '--check'], cwd, {});
    expect(viaCli.code, viaCli.stderr).toBe(0);
    expect(existsSync(path.join(cwd, 'node_modules/.cache/gen-ownertypes'))).toBe(true);
    expect(readdirSync(process.cwd()).sort()).toEqual(before);
  });
});

describe('the render cache', () => {
  it('an up-to-date run skips rendering; a deleted record, a hand edit or other inputs render again', async () => {
    const cwd = await project();
    expect((await generateIn(cwd)).rendered).toBe(true);
    const again = await generateIn(cwd);
    expect(again.result.status).toBe('unchanged');
    expect(again.rendered).toBe(false);

    await rm(path.join(cwd, 'node_modules/.cache'), { recursive: true });
    const noRecord = await generateIn(cwd);
    expect(noRecord.rendered).toBe(true);
    expect(noRecord.result.status).toBe('unchanged');

    const file = path.join(cwd, OUT);
    const text = await readFile(file, 'utf8');
    // A hand edit that renames nothing (a renamed identifier would be kept as a deprecated alias).
    await writeFile(file, text.replace('/** "Equipment Purchase"', '/** "Edited by hand"'));
    const edited = await generateIn(cwd);
    expect(edited.rendered).toBe(true);
    expect(edited.result.status).toBe('written');
    expect(await readFile(file, 'utf8')).toBe(text);

    const aliased = await generateIn(cwd, { aliases: { 177: 'Equipment' } });
    expect(aliased.rendered).toBe(true);
    expect(aliased.result.status).toBe('written');
  });

  it('--check never writes a record: a check after a check still renders', async () => {
    const cwd = await project();
    await generateIn(cwd, { check: true });
    expect(existsSync(path.join(cwd, 'node_modules/.cache'))).toBe(false);
    expect((await generateIn(cwd, { check: true })).rendered).toBe(true);
  });

  it('the governing tsconfig: erasableSyntaxOnly set, a nearer tsconfig.json, an extends chain edited', async () => {
    const cwd = await project({ 'base.json': JSON.stringify({ compilerOptions: {} }), 'tsconfig.json': JSON.stringify({ extends: './base.json' }) });
    expect((await generateIn(cwd)).rendered).toBe(true);
    expect((await generateIn(cwd)).rendered).toBe(false);

    await writeFile(path.join(cwd, 'base.json'), JSON.stringify({ compilerOptions: { erasableSyntaxOnly: true } }));
    expect((await generateIn(cwd)).rendered).toBe(true);
    expect(await readFile(path.join(cwd, OUT), 'utf8')).toContain('export const EntityTypeId = {');
    expect((await generateIn(cwd)).rendered).toBe(false);

    await writeFile(path.join(cwd, 'src/tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true } }));
    expect((await generateIn(cwd)).rendered).toBe(true);
    expect(await readFile(path.join(cwd, OUT), 'utf8')).toContain('export enum EntityTypeId {');

    // A fixed enum style does not depend on the tsconfig: changing it does not cost a render.
    expect((await generateIn(cwd, { enumStyle: 'enum' })).rendered).toBe(true);
    await writeFile(path.join(cwd, 'src/tsconfig.json'), JSON.stringify({ compilerOptions: { erasableSyntaxOnly: true } }));
    expect((await generateIn(cwd, { enumStyle: 'enum' })).rendered).toBe(false);
  });

  it('the Prettier setup: a config file, the package.json key, .editorconfig, .prettierignore at cwd', async () => {
    const cwd = await project();
    const file = path.join(cwd, OUT);
    await generateIn(cwd);
    expect((await generateIn(cwd)).rendered).toBe(false);

    await writeFile(path.join(cwd, '.prettierrc.json'), JSON.stringify({ singleQuote: true }));
    expect((await generateIn(cwd)).rendered).toBe(true);
    expect(await readFile(file, 'utf8')).toContain("'Equipment Purchase'");

    await writeFile(path.join(cwd, 'package.json'), JSON.stringify({ name: 'consumer', private: true, prettier: { printWidth: 40 } }));
    expect((await generateIn(cwd)).rendered).toBe(true);
    // A package.json change outside its "prettier" key is not a Prettier change.
    await writeFile(path.join(cwd, 'package.json'), JSON.stringify({ name: 'consumer', version: '2.0.0', private: true, prettier: { printWidth: 40 } }));
    expect((await generateIn(cwd)).rendered).toBe(false);

    await writeFile(path.join(cwd, 'src/.editorconfig'), '[*]\nindent_style = tab\n');
    expect((await generateIn(cwd)).rendered).toBe(true);

    await writeFile(path.join(cwd, '.prettierignore'), 'src/generated/\n');
    expect((await generateIn(cwd)).rendered).toBe(true);
    expect((await generateIn(cwd)).rendered).toBe(false);

    // Without formatting, the Prettier setup does not matter.
    expect((await generateIn(cwd, { format: false })).rendered).toBe(true);
    await rm(path.join(cwd, '.prettierrc.json'));
    expect((await generateIn(cwd, { format: false, enumStyle: 'enum' })).rendered).toBe(true);
    expect((await generateIn(cwd, { format: false, enumStyle: 'enum' })).rendered).toBe(false);
  });

  it("the project's own Prettier: another version of it renders again", async () => {
    // Installed before the first run: Node caches package.json lookups for the life of the process, so a
    // Prettier installed under a running watcher is seen on its next start.
    const cwd = await project();
    const real = path.dirname(createRequire(path.join(ROOT, 'noop.js')).resolve('prettier'));
    const own = path.join(cwd, 'node_modules/prettier');
    await mkdir(own, { recursive: true });
    const pkg = (version: string) => JSON.stringify({ name: 'prettier', version, main: 'index.cjs' });
    await writeFile(path.join(own, 'package.json'), pkg('3.0.0'));
    await writeFile(path.join(own, 'index.cjs'), `module.exports = require(${JSON.stringify(path.join(real, 'index.cjs'))});\n`);
    const realEsm = JSON.stringify(pathToFileURL(path.join(real, 'index.mjs')).href);
    await writeFile(path.join(own, 'index.mjs'), `export * from ${realEsm};\nexport { default } from ${realEsm};\n`);

    const first = await generateIn(cwd);
    expect(first.debug.some((line) => line.includes(path.join(own, 'index.cjs')))).toBe(true);
    expect((await generateIn(cwd)).rendered).toBe(false);
    await writeFile(path.join(own, 'package.json'), pkg('3.0.1'));
    expect((await generateIn(cwd)).rendered).toBe(true);
    expect((await generateIn(cwd)).rendered).toBe(false);
  });

  it('outside any package there is no record: every run renders, and says the same bytes', async () => {
    const cwd = tempDir('no-package');
    const options = { enumStyle: 'enum', format: false } as const;
    expect((await generateIn(cwd, options)).result.status).toBe('written');
    // enum and no Prettier need no record: the banner alone proves the file current.
    expect((await generateIn(cwd, options)).rendered).toBe(false);
    // auto needs the tsconfig's fingerprint, which has nowhere to live: every run renders.
    expect((await generateIn(cwd, { format: false })).result.status).toBe('written');
    const auto = await generateIn(cwd, { format: false });
    expect(auto.rendered).toBe(true);
    expect(auto.result.status).toBe('unchanged');
  });
});

describe("a portal error's advice names where the caller set the source", () => {
  const wrongCode = () => portal.webhookUrl.replace(/\/rest\/(\d+)\/[^/]+\//, '/rest/$1/not-the-code/');

  it("generate(): the `source` option's fields by default, never the command line's flags or variables", async () => {
    const cwd = await project();
    const error = await generate({ source: { kind: 'webhook', url: wrongCode() }, cwd }).then(
      () => new Error('generate() resolved'),
      (caught: unknown) => caught as Error,
    );
    expect(error.message).toContain('INVALID_CREDENTIALS');
    expect(error.message).toContain('Check `source.url` (Developer resources');
    expect(error.message).not.toMatch(/--webhook|B24_WEBHOOK_URL/);
  });

  it('generate(): the names given in `sourceNames`', async () => {
    const cwd = await project();
    const error = await generate({ source: { kind: 'webhook', url: wrongCode() }, sourceNames: { webhook: 'CRM_HOOK in .env' }, cwd }).then(
      () => new Error('generate() resolved'),
      (caught: unknown) => caught as Error,
    );
    expect(error.message).toContain('Check CRM_HOOK in .env (Developer resources');
  });

  it('the CLI: the flag or the variable the webhook came from', async () => {
    const cwd = await project();
    const byVariable = await cli([], cwd, { B24_WEBHOOK_URL: wrongCode() });
    expect(byVariable.code).toBe(3);
    expect(byVariable.stderr).toContain('Check B24_WEBHOOK_URL (Developer resources');
    const byFlag = await cli(['--webhook', wrongCode()], cwd, {});
    expect(byFlag.code).toBe(3);
    expect(byFlag.stderr).toContain('Check --webhook (Developer resources');
    expect(byFlag.stderr).not.toContain('not-the-code');
  });
});
