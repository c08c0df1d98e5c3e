import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnumStyle } from '../../../src/model/owner-types.js';
import { loadTemplates } from '../../../src/emit/templates.js';
import { tempDir } from '../../support/temp.js';
import { OWNER_TYPES } from './portals.js';
import { HOSTILE_OWNER_TYPES, HOSTILE_PIPELINES, renderPortal } from './cases.js';

const RENAMED_IMPORT = '"./expected/portal-a-renamed.enum.js"';
import { largePortal } from './scale.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const compilers = {
  '4.9': path.join(root, 'node_modules/typescript-4.9/bin/tsc'),
  '5.9': path.join(root, 'node_modules/typescript/bin/tsc'),
  '6': path.join(root, 'node_modules/typescript-6/bin/tsc'),
  '7': path.join(root, 'node_modules/typescript-7/bin/tsc'),
} as const;
type Compiler = keyof typeof compilers;
const styles: readonly EnumStyle[] = ['enum', 'const'];
const USAGE_IMPORT = '"./expected/portal-a.enum.js"';

const COMMON = ['--isolatedModules', '--noEmit', '--skipLibCheck', '--module', 'nodenext', '--pretty', 'false'];
const STRICT = ['--strict', '--noUncheckedIndexedAccess', '--exactOptionalPropertyTypes', '--noUnusedLocals', ...COMMON];
// TypeScript 6 turns `strict` on by default: off has to be said.
const LOOSE = ['--strict', 'false', ...COMMON];
// `--module nodenext` implies an ES-next target; 4.9 gets ES5 and its default lib, as old projects have.
const OLD_TARGET = ['--target', 'es5'];
// isolatedDeclarations needs declarations; they are written to a folder nobody reads.
const DECLARATIONS = ['--isolatedDeclarations', '--declaration', '--verbatimModuleSyntax'];

interface Result {
  readonly code: number;
  readonly output: string;
}

// Two at a time: the machine is shared, and each compiler process takes a core.
let running = 0;
const queue: (() => void)[] = [];
async function tsc(compiler: Compiler, args: readonly string[], cwd: string): Promise<Result> {
  if (running >= 2) await new Promise<void>((resolve) => queue.push(resolve));
  running += 1;
  try {
    return await new Promise((resolve) => {
      execFile(process.execPath, [compilers[compiler], ...args], { cwd, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, output: `${stdout}${stderr}` });
      });
    });
  } finally {
    running -= 1;
    queue.shift()?.();
  }
}

// Made here, not in beforeAll: tempDir registers its removal with afterAll, which a running hook cannot.
const dir = tempDir('pipelines-matrix');
const files: Record<EnumStyle, string[]> = { enum: [], const: [] };
/** The line where the pipelines section starts, per module file. */
const sectionStart = new Map<string, number>();
const runs = new Map<string, Promise<Result>>();

async function put(relative: string, text: string, style: EnumStyle): Promise<void> {
  await mkdir(path.dirname(path.join(dir, relative)), { recursive: true });
  await writeFile(path.join(dir, relative), text);
  files[style].push(relative);
  const start = text.split('\n').findIndex((line) => line.startsWith('export const Category ='));
  if (start !== -1) sectionStart.set(relative, start);
}

beforeAll(async () => {
  const templates = await loadTemplates();
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  await copyFile(path.join(root, 'templates/stages.ts'), path.join(dir, 'stages.ts'));
  const usage = await readFile(new URL('usage.ts', import.meta.url), 'utf8');
  expect(usage).toContain(USAGE_IMPORT);
  const renamedUsage = await readFile(new URL('usage-renamed.ts', import.meta.url), 'utf8');
  expect(renamedUsage).toContain(RENAMED_IMPORT);
  for (const style of styles) {
    await put(`${style}/ownertypes.ts`, await readFile(new URL(`expected/portal-a.${style}.ts`, import.meta.url), 'utf8'), style);
    await put(`${style}/usage.ts`, usage.replace(USAGE_IMPORT, '"./ownertypes.js"'), style);
    // The module after renames, with consumer code that still uses the old names.
    await put(`${style}/renamed.ts`, await readFile(new URL(`expected/portal-a-renamed.${style}.ts`, import.meta.url), 'utf8'), style);
    await put(`${style}/renamed-usage.ts`, renamedUsage.replace(RENAMED_IMPORT, '"./renamed.js"'), style);
    await put(`${style}/hostile.ts`, renderPortal(HOSTILE_OWNER_TYPES, HOSTILE_PIPELINES, style, templates), style);
    await put(`${style}/no-pipelines.ts`, renderPortal(OWNER_TYPES, { types: [] }, style, templates), style);
  }
  // Proves each declarations run checks isolatedDeclarations at all: this line must fail it.
  await writeFile(path.join(dir, 'probe.ts'), 'export const probe = [1].map((x) => x);\n');
  const all = ['stages.ts', ...files.enum, ...files.const];
  const start = (name: string, compiler: Compiler, args: readonly string[]) => runs.set(name, tsc(compiler, args, dir));
  start('4.9 strict', '4.9', [...STRICT, ...OLD_TARGET, ...all]);
  start('4.9 loose', '4.9', [...LOOSE, ...OLD_TARGET, ...all]);
  for (const compiler of ['5.9', '6', '7'] as const) {
    start(`${compiler} strict`, compiler, [...STRICT, ...all]);
    start(`${compiler} loose`, compiler, [...LOOSE, ...all]);
    start(`${compiler} declarations enum`, compiler, [...STRICT, ...DECLARATIONS, '--emitDeclarationOnly', '--noEmit', 'false', '--outDir', `out-${compiler}-enum`, 'probe.ts', ...files.enum]);
    start(`${compiler} declarations const`, compiler, [...STRICT, ...DECLARATIONS, '--erasableSyntaxOnly', '--emitDeclarationOnly', '--noEmit', 'false', '--outDir', `out-${compiler}-const`, 'probe.ts', ...files.const]);
  }
});

afterAll(async () => {
  await Promise.allSettled(runs.values());
});

/** `file(line,col): error TS1234: …` → file, 0-based line, code. */
function errors(output: string): { file: string; line: number; code: string; text: string }[] {
  return output
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((text) => {
      const match = /^(.+?)\((\d+),\d+\): error (TS\d+)/.exec(text);
      if (match === null) return { file: '', line: -1, code: '', text };
      return { file: match[1]!, line: Number(match[2]) - 1, code: match[3]!, text };
    });
}

describe('pipelines compile matrix', () => {
  it.each(['4.9', '5.9', '6', '7'])('both styles and the usage checks compile with TypeScript %s, strict and not', async (compiler) => {
    for (const mode of ['strict', 'loose']) {
      const result = await runs.get(`${compiler} ${mode}`);
      expect(result?.output, mode).toBe('');
      expect(result?.code, mode).toBe(0);
    }
  });

  it.each(['5.9', '6', '7'])(
    'the section passes isolatedDeclarations and verbatimModuleSyntax (the const style also erasableSyntaxOnly) with TypeScript %s',
    async (compiler) => {
      for (const style of styles) {
        const result = await runs.get(`${compiler} declarations ${style}`);
        const found = errors(result?.output ?? '');
        const probe = found.filter((error) => error.file === 'probe.ts');
        expect(probe.map((error) => error.code), style).toEqual(['TS9010']);
        // Only the owner-type part may fail isolatedDeclarations (its maps refer to EntityTypeId members),
        // and only with TS9013; the pipelines section and the consumer's file must be clean.
        for (const error of found.filter((e) => e.file !== 'probe.ts')) {
          expect(error.code, error.text).toBe('TS9013');
          const start = sectionStart.get(error.file.replace(/\\/g, '/'));
          expect(start, error.text).toBeDefined();
          expect(error.line, error.text).toBeLessThan(start!);
        }
      }
    },
  );
});

describe('scale', () => {
  it('renders and compiles 200 SPAs with two pipelines each (over 2,000 stages)', async () => {
    const { ownerTypes, pipelines } = largePortal(200, 6);
    const stageCount = pipelines.types.reduce(
      (sum, entry) => sum + (entry.kind === 'stages' ? entry.stages.length : entry.pipelines.reduce((n, p) => n + p.stages.length, 0)),
      0,
    );
    expect(stageCount).toBeGreaterThan(2000);
    const templates = await loadTemplates();
    const timings: string[] = [];
    for (const style of styles) {
      const started = performance.now();
      const text = renderPortal(ownerTypes, pipelines, style, templates);
      timings.push(`${style}: render ${Math.round(performance.now() - started)} ms, ${Math.round(text.length / 1024)} KiB`);
      await writeFile(path.join(dir, `scale-${style}.ts`), text);
    }
    // A consumer that uses the types, so the checker resolves StageIdOf and StageId over every stage.
    await writeFile(
      path.join(dir, 'scale-usage.ts'),
      [
        'import { Stage, isStageId, type StageId, type StageIdOf } from "./scale-const.js";',
        'export const all: StageId = Stage.Process1030.Default.Stage0;',
        'export const one: StageIdOf<"Process1428"> = Stage.Process1428.Pipeline199.Step2X;',
        '// @ts-expect-error a stage of another SPA',
        'export const wrong: StageIdOf<"Process1428"> = Stage.Process1030.Default.Stage0;',
        'export const check = (value: unknown): StageId | undefined => (isStageId(value) ? value : undefined);',
        '',
      ].join('\n'),
    );
    const started = performance.now();
    const results = await Promise.all([
      tsc('5.9', [...STRICT, 'scale-const.ts', 'scale-usage.ts'], dir),
      tsc('7', [...STRICT, 'scale-enum.ts', 'scale-const.ts', 'scale-usage.ts'], dir),
    ]);
    timings.push(`compile with a consumer (5.9: const, 7: both, in parallel) ${Math.round(performance.now() - started)} ms`);
    for (const result of results) expect(result).toEqual({ code: 0, output: '' });
    console.log(`200 SPAs × 2 pipelines, ${stageCount} stages — ${timings.join('; ')}`);
  });
});

