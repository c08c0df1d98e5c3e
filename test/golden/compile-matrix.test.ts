import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnumStyle, NamedOwnerType } from '../../src/model/owner-types.js';
import { renderModule } from '../../src/emit/render-module.js';
import { loadTemplates, type ModuleTemplates } from '../../src/emit/templates.js';
import { tempDir } from '../support/temp.js';
import { GOLDEN_CASES, GOLDEN_HEADER, HOSTILE_TYPES, NO_SPA_TYPES, ONLY_SPA_TYPES } from './cases.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const compilers = {
  '4.9': path.join(root, 'node_modules/typescript-4.9/bin/tsc'),
  '5.9': path.join(root, 'node_modules/typescript/bin/tsc'),
  '6': path.join(root, 'node_modules/typescript-6/bin/tsc'),
  '7': path.join(root, 'node_modules/typescript-7/bin/tsc'),
} as const;
type Compiler = keyof typeof compilers;

const STRICT = [
  '--strict',
  '--isolatedModules',
  '--noUncheckedIndexedAccess',
  '--exactOptionalPropertyTypes',
  '--noUnusedLocals',
  '--noEmit',
  // Checking TypeScript's own lib files is not what this is about, and it is most of the time.
  '--skipLibCheck',
  '--module',
  'nodenext',
  '--pretty',
  'false',
];
const ERASABLE = ['--erasableSyntaxOnly', '--verbatimModuleSyntax'];
// `--module nodenext` implies an ES-next target; 4.9 gets ES5 and its default lib, as old projects have.
const OLD_TARGET = ['--target', 'es5'];
const USAGE_IMPORT = '"../expected/ownertypes.enum.js"';

interface Result {
  readonly code: number;
  readonly output: string;
}

function tsc(compiler: Compiler, args: readonly string[], cwd: string): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [compilers[compiler], ...args], { cwd, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

let dir: string;
let templates: ModuleTemplates;
const files: Record<EnumStyle, string[]> = { enum: [], const: [] };

async function put(relative: string, text: string, style?: EnumStyle): Promise<void> {
  await mkdir(path.dirname(path.join(dir, relative)), { recursive: true });
  await writeFile(path.join(dir, relative), text);
  if (style !== undefined) files[style].push(relative);
}

function render(types: readonly NamedOwnerType[], enumStyle: EnumStyle): string {
  return renderModule({ types, enumStyle, header: GOLDEN_HEADER, templates });
}

const runs = new Map<string, Promise<Result>>();

beforeAll(async () => {
  // KEEP_MATRIX=1 leaves the folder behind, under the ignored .tmp/, to rerun a compiler by hand.
  if (process.env['KEEP_MATRIX'] === '1') {
    await mkdir(path.join(root, '.tmp'), { recursive: true });
    dir = mkdtempSync(path.join(root, '.tmp', 'matrix-'));
  } else {
    dir = tempDir('matrix');
  }
  templates = await loadTemplates();
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  await copyFile(path.join(root, 'templates/guards.ts'), path.join(dir, 'guards.ts'));
  const usage = await readFile(new URL('usage/usage.ts', import.meta.url), 'utf8');
  expect(usage).toContain(USAGE_IMPORT);
  for (const style of ['enum', 'const'] as const) {
    for (const golden of GOLDEN_CASES) {
      const text = await readFile(new URL(`expected/${golden.name}.${style}.ts`, import.meta.url), 'utf8');
      await put(`${style}/${golden.name}/ownertypes.ts`, text, style);
    }
    await put(`${style}/ownertypes/usage.ts`, usage.replace(USAGE_IMPORT, '"./ownertypes.js"'), style);
    await put(`${style}/no-spa.ts`, render(NO_SPA_TYPES, style), style);
    await put(`${style}/only-spa.ts`, render(ONLY_SPA_TYPES, style), style);
    await put(`${style}/hostile.ts`, render(HOSTILE_TYPES, style), style);
    await put(`${style}/empty.ts`, render([], style), style);
  }
  const all = ['guards.ts', ...files.enum, ...files.const];
  const start = (name: string, compiler: Compiler, args: readonly string[]) => runs.set(name, tsc(compiler, args, dir));
  // One process per configuration, all at once.
  start('4.9', '4.9', [...STRICT, ...OLD_TARGET, ...all]);
  start('5.9', '5.9', [...STRICT, ...all]);
  start('6', '6', [...STRICT, ...all]);
  start('7', '7', [...STRICT, ...all]);
  // Both styles in one run: the const modules must pass, and each enum module must fail, on its enum only.
  start('5.9 erasable', '5.9', [...STRICT, ...ERASABLE, ...all]);
  start('6 erasable', '6', [...STRICT, ...ERASABLE, ...all]);
  start('7 erasable', '7', [...STRICT, ...ERASABLE, ...all]);
});

afterAll(async () => {
  await Promise.allSettled(runs.values());
  if (process.env['KEEP_MATRIX'] === '1') console.log(`compile matrix kept in ${dir}`);
});

describe('compile matrix', () => {
  it.each(['4.9', '5.9', '6', '7'])('both styles, the usage file and the template compile with TypeScript %s', async (name) => {
    const result = await runs.get(name);
    expect(result?.output).toBe('');
    expect(result?.code).toBe(0);
  });

  it.each(['5.9', '6', '7'])(
    'under erasableSyntaxOnly with TypeScript %s the const style compiles and the enum style fails',
    async (compiler) => {
      const result = await runs.get(`${compiler} erasable`);
      expect(result?.code).not.toBe(0);
      const errors = (result?.output ?? '').trim().split('\n');
      const enumModules = files.enum.filter((file) => !file.endsWith('usage.ts'));
      expect(errors.map((line) => line.replace(/\(\d+,\d+\)/, '')).sort()).toEqual(
        enumModules.sort().map(
          (file) => `${file}: error TS1294: This syntax is not allowed when 'erasableSyntaxOnly' is enabled.`,
        ),
      );
      // The error points at the enum itself.
      for (const line of errors) expect(line).toMatch(/\(\d+,13\)/);
    },
  );
});

describe('scale', () => {
  it('renders and compiles 5,000 smart processes', async () => {
    const types: NamedOwnerType[] = [
      { id: 1, identifier: 'Lead', symbolCode: 'LEAD', shortCode: 'L', name: 'Lead', isSpa: false },
    ];
    for (let index = 0; index < 5000; index++) {
      const id = 1030 + 2 * index;
      types.push({
        id,
        identifier: `Process${id}`,
        symbolCode: `DYNAMIC_${id}`,
        shortCode: `T${id.toString(16)}`,
        name: `Process "${index}" */ ${'x'.repeat(index % 40)}`,
        isSpa: true,
      });
    }
    const timings: string[] = [];
    for (const style of ['enum', 'const'] as const) {
      const started = performance.now();
      const text = render(types, style);
      const elapsed = performance.now() - started;
      timings.push(`${style}: render ${Math.round(elapsed)} ms, ${Math.round(text.length / 1024)} KiB`);
      expect(elapsed).toBeLessThan(10_000);
      await put(`scale/${style}.ts`, text);
    }
    const started = performance.now();
    const results = await Promise.all([
      tsc('5.9', [...STRICT, 'scale/const.ts'], dir),
      tsc('7', [...STRICT, 'scale/enum.ts', 'scale/const.ts'], dir),
    ]);
    timings.push(`compile (5.9: const, 7: both, in parallel) ${Math.round(performance.now() - started)} ms`);
    for (const result of results) expect(result).toEqual({ code: 0, output: '' });
    console.log(`5,000 SPAs — ${timings.join('; ')}`);
  });
});
