import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePortal, type FakePortal, type RawOwnerType } from '../support/fake-portal.mjs';
import { ROOT } from '../support/run-cli.js';
import { tempDir } from '../support/temp.js';

// The package as users get it: the packed tarball installed into a fresh project, run through `npx` and a
// `prebuild` hook, against a fake portal over real HTTP. One install serves every case (it is most of the
// time): the cases run in order on the same project, and the variants (erasableSyntaxOnly, a Prettier
// config) live in subfolders of it.

const OWN = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
};
const OUT = 'src/generated/ownertypes.ts';
const CONSUMER_VERSION = '9.9.9';
const WEBHOOK_CODE = 'package-test-webhook-code';
const TIMEOUT = 240_000;

const STRICT = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  isolatedModules: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noUnusedLocals: true,
  skipLibCheck: true,
  types: [],
};

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of a shell in the consumer project: without the npm_* variables an enclosing `npm test`
 * sets (they would point the inner npm at this repository's package), and without B24_* secrets unless given.
 */
function consumerEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(?:b24_|init_cwd$)/i.test(key)) continue;
    if (/^npm_/i.test(key) && !/^npm_config_(?:cache|registry|userconfig)$/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NO_UPDATE_NOTIFIER: '1', ...extra };
}

function run(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: consumerEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * `--yes=false`: only the installed tarball may answer, never a download from the registry. Not `--no`:
 * npm 11 then reads the options after the command name as its own (`--check` would silently vanish).
 */
const npx = (args: readonly string[], cwd: string, env?: Record<string, string>) =>
  run('npx', ['--yes=false', 'gen-ownertypes', ...args], cwd, env);
const tsc = (args: readonly string[], cwd: string) => run(path.join(consumer, 'node_modules/.bin/tsc'), ['--pretty', 'false', ...args], cwd);

async function put(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

let work: string;
let consumer: string;
let packed: { filename: string; size: number; unpackedSize: number; files: Array<{ path: string; size: number }> };
let packedFiles: string[];
let portal: FakePortal;
let seed: RawOwnerType[];
let webhook: Record<string, string>;

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist/bin.js'))) {
    throw new Error('dist/ is missing: run npm run build first (npm test does it)');
  }
  work = tempDir('package');
  // --ignore-scripts: prepack would rebuild dist/ under the other test files running from it.
  const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
  expect(pack.code, pack.stderr).toBe(0);
  packed = (JSON.parse(pack.stdout) as Array<typeof packed>)[0]!;
  packedFiles = packed.files.map((f) => f.path).sort();

  consumer = path.join(work, 'consumer');
  await put(
    path.join(consumer, 'package.json'),
    json({
      name: 'consumer-app',
      // Distinct from ours, so --version shows whose package.json it read.
      version: CONSUMER_VERSION,
      private: true,
      type: 'module',
      scripts: { prebuild: 'gen-ownertypes --quiet', build: 'tsc' },
    }),
  );
  const install = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--save-dev', '--save-exact', path.join(work, packed.filename), 'typescript@5.9.3'],
    consumer,
  );
  expect(install.code, `${install.stdout}\n${install.stderr}`).toBe(0);

  portal = await startFakePortal({ code: WEBHOOK_CODE });
  seed = portal.ownerTypes;
  webhook = { B24_WEBHOOK_URL: portal.webhookUrl };
}, TIMEOUT);

afterAll(async () => {
  await portal?.close();
});

describe('the packed tarball', { timeout: TIMEOUT }, () => {
  it('holds the built code, templates, schema, README and package.json, and nothing from development', () => {
    const allowed = /^(?:dist\/.+\.(?:js|d\.ts)|templates\/[^/]+\.ts|gen-ownertypes\.schema\.json|README\.md|package\.json|LICENSE)$/;
    expect(packedFiles.filter((file) => !allowed.test(file))).toEqual([]);
    expect(packedFiles.filter((file) => /(?:^|\/)(?:test|fixtures|src|bench|examples|scripts|node_modules)\//.test(file))).toEqual([]);
    for (const required of ['package.json', 'README.md', 'gen-ownertypes.schema.json', 'templates/guards.ts', 'dist/bin.js', 'dist/index.js', 'dist/index.d.ts']) {
      expect(packedFiles).toContain(required);
    }
    // Every file the manifest points at is in the tarball.
    const exported = Object.values(OWN.exports).flatMap((entry) => (typeof entry === 'string' ? [entry] : Object.values(entry)));
    for (const target of [...Object.values(OWN.bin), ...exported]) {
      expect(packedFiles).toContain(path.posix.normalize(target));
    }
    // ts-morph, TypeScript and Prettier stay external dependencies; bundling one by mistake makes a chunk of
    // megabytes.
    expect(packed.files.filter((file) => file.size > 1_500_000).map((file) => file.path)).toEqual([]);
  });

  it('installs a bin, and --version prints the package’s own version, not the consumer’s', async () => {
    expect(existsSync(path.join(consumer, 'node_modules/.bin/gen-ownertypes'))).toBe(true);
    const result = await npx(['--version'], consumer);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(OWN.version);
    expect(OWN.version).not.toBe(CONSUMER_VERSION);
    expect(result.code).toBe(0);
  });

  it('exposes the programmatic API to the consumer', async () => {
    const result = await run(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(OWN.name)}); console.log(typeof m.generate, typeof m.run)`],
      consumer,
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('function function');
  });
});

describe('a fresh consumer project', { timeout: TIMEOUT }, () => {
  it('npx gen-ownertypes: exit 2 without a source; writes the module from B24_WEBHOOK_URL; --check then passes', async () => {
    portal.setOwnerTypes(seed);
    const missing = await npx([], consumer);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('B24_WEBHOOK_URL');
    expect(existsSync(path.join(consumer, OUT))).toBe(false);

    const stale = await npx(['--check'], consumer, webhook);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`${OUT} does not exist`);

    const result = await npx([], consumer, webhook);
    expect(result.stderr).toContain(`Wrote ${OUT} (12 owner types, 2 SPAs, 8 pipelines, 66 stages from 127.0.0.1:${portal.port}).`);
    expect(result.code).toBe(0);
    const text = await readFile(path.join(consumer, OUT), 'utf8');
    expect(text.split('\n')[0]).toBe('// Code generated by gen-ownertypes. DO NOT EDIT.');
    expect(text).toContain(`@generated by gen-ownertypes ${OWN.version} `);
    expect(text).toMatch(/^export enum EntityTypeId \{$/m);
    expect(text).toMatch(/^ {2}Purchase = 156,$/m);
    // No Prettier config in the project: Prettier's defaults.
    expect(text).toMatch(/^ {2}1: "LEAD",$/m);
    expect(text).not.toContain(WEBHOOK_CODE);

    const check = await npx(['--check'], consumer, webhook);
    expect(check.stderr).toContain(`${OUT} is current`);
    expect(check.code).toBe(0);
  });

  it('npm run build: prebuild regenerates the module, then tsc compiles code that needs what is new in it', async () => {
    await put(path.join(consumer, 'tsconfig.json'), json({ compilerOptions: { ...STRICT, rootDir: 'src', outDir: 'dist' }, include: ['src'] }));
    await put(
      path.join(consumer, 'src/index.ts'),
      [
        "import { EntityTypeId, Spa, entityTypeNames, isSpaEntityTypeId, type SymbolCode } from './generated/ownertypes.js';",
        '',
        'export function label(entityTypeId: number): string {',
        '  return isSpaEntityTypeId(entityTypeId) ? `SPA ${entityTypeNames[entityTypeId]}` : `type ${entityTypeId}`;',
        '}',
        '',
        'const deal: EntityTypeId = EntityTypeId.Deal;',
        "const code: SymbolCode = 'DYNAMIC_1030';",
        '// Exists only once the prebuild hook has regenerated the module from the portal.',
        'console.log(JSON.stringify({ deal, code, contracts: Spa.Contracts, label: label(Spa.Contracts), spas: Object.keys(Spa) }));',
        '',
      ].join('\n'),
    );
    portal.setOwnerTypes([...seed, { ID: 1030, NAME: 'Contracts', SYMBOL_CODE: 'DYNAMIC_1030', SYMBOL_CODE_SHORT: 'T406' }]);

    // Without the hook the code does not compile: the module on disk has no Contracts yet.
    const before = await tsc(['--noEmit'], consumer);
    expect(before.stdout).toMatch(/Property 'Contracts' does not exist/);
    expect(before.code).not.toBe(0);

    const build = await run('npm', ['run', 'build'], consumer, webhook);
    expect(build.code, `${build.stdout}\n${build.stderr}`).toBe(0);
    expect(build.stdout).toMatch(/> consumer-app@9\.9\.9 prebuild\n> gen-ownertypes --quiet\n[\s\S]*> consumer-app@9\.9\.9 build\n> tsc\n/);
    // --quiet: a successful regeneration says nothing.
    expect(build.stderr).not.toContain('Wrote');
    expect(await readFile(path.join(consumer, OUT), 'utf8')).toMatch(/^ {2}Contracts = 1030,$/m);

    const ran = await run(process.execPath, ['dist/index.js'], consumer);
    expect(ran.stderr).toBe('');
    expect(JSON.parse(ran.stdout)).toEqual({
      deal: 2,
      code: 'DYNAMIC_1030',
      contracts: 1030,
      label: 'SPA Contracts',
      spas: ['Purchase', 'EquipmentPurchase', 'Contracts'],
    });
  });

  it('a failing prebuild stops the build, names no secret, and leaves the module as it was', async () => {
    const module = path.join(consumer, OUT);
    const before = await readFile(module);
    const compiledAt = (await stat(path.join(consumer, 'dist/index.js'))).mtimeMs;
    portal.setOwnerTypes(seed);
    portal.enqueue({ error: 'INVALID_CREDENTIALS' });
    const build = await run('npm', ['run', 'build'], consumer, webhook);
    expect(build.code).not.toBe(0);
    expect(build.stderr).toContain('gen-ownertypes:');
    expect(build.stdout + build.stderr).not.toContain(WEBHOOK_CODE);
    expect(build.stdout).not.toMatch(/^> tsc$/m);
    expect(await readFile(module)).toEqual(before);
    expect((await stat(path.join(consumer, 'dist/index.js'))).mtimeMs).toBe(compiledAt);
  });

  it('under a tsconfig with erasableSyntaxOnly, the default output is an as-const object that compiles there', async () => {
    const dir = path.join(consumer, 'erasable');
    await put(
      path.join(dir, 'tsconfig.json'),
      json({ compilerOptions: { ...STRICT, erasableSyntaxOnly: true, verbatimModuleSyntax: true, noEmit: true }, include: ['src'] }),
    );
    await put(
      path.join(dir, 'src/use.ts'),
      [
        "import { EntityTypeId, isEntityTypeId } from './generated/ownertypes.js';",
        '',
        '// Used exactly as the enum would be: a value, a type, and a member as a type.',
        'export const deal: EntityTypeId = EntityTypeId.Deal;',
        'export const purchase: EntityTypeId.Purchase = EntityTypeId.Purchase;',
        'export function parse(value: unknown): EntityTypeId | undefined {',
        '  return isEntityTypeId(value) ? value : undefined;',
        '}',
        '',
      ].join('\n'),
    );
    portal.setOwnerTypes(seed);
    // Run from the subfolder, as in a monorepo package: npx still finds the bin of the project above.
    const result = await npx(['--verbose'], dir, webhook);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/sets erasableSyntaxOnly: using const/);
    const text = await readFile(path.join(dir, OUT), 'utf8');
    expect(text).not.toMatch(/\benum\s+EntityTypeId\b/);
    expect(text).toMatch(/^export const EntityTypeId = \{$/m);
    expect(text).toMatch(/^export type EntityTypeId = /m);

    const compiled = await tsc(['-p', dir], consumer);
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.code).toBe(0);
    // The enum module next door is what that tsconfig would reject.
    await put(path.join(dir, 'src/enum-style.ts'), await readFile(path.join(consumer, OUT), 'utf8'));
    const rejected = await tsc(['-p', dir], consumer);
    expect(rejected.stdout).toMatch(/src\/enum-style\.ts.*erasableSyntaxOnly/);
    await rm(path.join(dir, 'src/enum-style.ts'));
  });

  it("formats with the consumer's Prettier config for the output path, and --check agrees with it", async () => {
    const dir = path.join(consumer, 'styled');
    const out = `styled/${OUT}`;
    await put(path.join(dir, '.prettierrc'), json({ singleQuote: true, semi: false }));
    portal.setOwnerTypes(seed);
    const result = await npx(['--out', out], consumer, webhook);
    expect(result.stderr).toContain(`Wrote ${out}`);
    expect(result.code).toBe(0);
    const text = await readFile(path.join(consumer, out), 'utf8');
    expect(text).toMatch(/^ {2}1: 'LEAD',$/m);
    expect(text).not.toContain('"LEAD"');
    expect(text.split('\n').filter((line) => /;\s*$/.test(line))).toEqual([]);
    expect(text).toMatch(/^} as const$/m);

    const check = await npx(['--check', '--out', out], consumer, webhook);
    expect(check.stderr).toContain(`${out} is current`);
    expect(check.code).toBe(0);

    // Without that config the same file is stale: the config is what shaped it.
    await rm(path.join(dir, '.prettierrc'));
    const stale = await npx(['--check', '--out', out], consumer, webhook);
    expect(stale.stderr).toContain(`${out} is stale`);
    expect(stale.code).toBe(1);
  });
});
