import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnumStyle, NamedOwnerType } from '../../src/model/owner-types.js';
import { renderModule } from '../../src/emit/render-module.js';
import { loadTemplates, type ModuleTemplates } from '../../src/emit/templates.js';
import { MODULE_BREAKING_WORDS, identifierProblem, moduleIdentifierProblem } from '../../src/naming/identifiers.js';
import { nameOwnerTypes } from '../../src/naming/name-owner-types.js';
import { tempDir } from '../support/temp.js';
import { GOLDEN_CASES, GOLDEN_HEADER, HOSTILE_TYPES, NO_SPA_TYPES, ONLY_SPA_TYPES } from './cases.js';

/**
 * Every generated module must compile in every consumer: each compiler of the matrix × each option set a
 * consumer may use, over fixture modules of both enum styles. One tsc process per compiler and option
 * set compiles all fixture modules at once; at most two run at a time (the machine is shared).
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const compilers = {
  '4.9': path.join(root, 'node_modules/typescript-4.9/bin/tsc'),
  '5.9': path.join(root, 'node_modules/typescript/bin/tsc'),
  '6': path.join(root, 'node_modules/typescript-6/bin/tsc'),
  '7': path.join(root, 'node_modules/typescript-7/bin/tsc'),
} as const;
type Compiler = keyof typeof compilers;
const COMPILERS = Object.keys(compilers) as Compiler[];
/** The compilers that have a JavaScript API to read the keyword list from (7 is native). */
const TS_PACKAGES = ['typescript-4.9', 'typescript', 'typescript-6'] as const;

const COMMON = ['--skipLibCheck', '--pretty', 'false', '--noEmit'];
const STRICT = ['--strict', '--isolatedModules', '--noUncheckedIndexedAccess', '--exactOptionalPropertyTypes', '--noUnusedLocals'];
// `--module nodenext` implies an ES-next target; 4.9 gets ES5 and its default lib, as old projects have.
const OLD_TARGET = ['--target', 'es5'];

interface OptionSet {
  readonly name: string;
  readonly args: readonly string[];
  /** The oldest compiler that knows these options; older ones leave the set out. */
  readonly since: Compiler;
  /** Declarations are emitted (to a folder of their own) rather than only checked. */
  readonly declarations?: boolean;
  /**
   * The usage files are compiled too: their `@ts-expect-error` lines assert strict types, and as consumer
   * code they need no declarations of their own.
   */
  readonly usage?: boolean;
}

const OPTION_SETS: readonly OptionSet[] = [
  { name: 'strict, nodenext', args: [...STRICT, '--module', 'nodenext'], since: '4.9', usage: true },
  // Not strict at all, CommonJS, declarations: an older library project.
  { name: 'loose, commonjs, declaration', args: ['--module', 'commonjs', '--declaration'], since: '4.9', declarations: true },
  // noImplicitAny without strictNullChecks: where an empty array literal widens to any[].
  { name: 'noImplicitAny without strictNullChecks', args: ['--noImplicitAny', '--noUnusedLocals', '--isolatedModules', '--module', 'nodenext'], since: '4.9' },
  {
    name: 'isolatedDeclarations',
    args: [...STRICT, '--module', 'nodenext', '--declaration', '--isolatedDeclarations'],
    since: '5.9',
    declarations: true,
  },
  {
    name: 'verbatimModuleSyntax, nodenext',
    args: [...STRICT, '--module', 'nodenext', '--verbatimModuleSyntax'],
    since: '5.9',
    usage: true,
  },
];
const ORDER: readonly Compiler[] = ['4.9', '5.9', '6', '7'];
const supports = (compiler: Compiler, set: OptionSet) => ORDER.indexOf(compiler) >= ORDER.indexOf(set.since);

interface Result {
  readonly code: number;
  readonly output: string;
}

/** At most two compiler processes at a time. */
let running = 0;
const waiting: Array<() => void> = [];
async function tsc(compiler: Compiler, args: readonly string[], cwd: string): Promise<Result> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await new Promise((resolve) => {
      execFile(process.execPath, [compilers[compiler], ...args], { cwd, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, output: `${stdout}${stderr}` });
      });
    });
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const argsFor = (compiler: Compiler, set: OptionSet, tag: string): string[] => {
  const args = [...COMMON, ...set.args];
  if (compiler === '4.9' && !set.args.includes('commonjs')) args.push(...OLD_TARGET);
  if (set.declarations === true) {
    args.splice(args.indexOf('--noEmit'), 1);
    args.push('--emitDeclarationOnly', '--outDir', `out/${tag}`);
  }
  return args;
};

const spa = (id: number, identifier: string, name: string, shortCode = `T${id.toString(16)}`): NamedOwnerType => ({
  id,
  identifier,
  symbolCode: `DYNAMIC_${id}`,
  shortCode,
  name,
  isSpa: true,
});

/** 300 smart processes named by the naming stage from titles of every kind. */
function manySpas(): NamedOwnerType[] {
  const titles = ['Orders', 'Orders', 'Закупка оборудования', '采购', '🚀', 'CRMDeals', 'Lead', 'Return', 'Type', 'x'];
  const raw = [
    { id: 1, name: 'Lead', symbolCode: 'LEAD', shortCode: 'L', isSpa: false },
    { id: 2, name: 'Deal', symbolCode: 'DEAL', shortCode: 'D', isSpa: false },
  ];
  for (let index = 0; index < 300; index++) {
    const id = 1030 + 2 * index;
    const name = `${titles[index % titles.length] ?? ''}${index % 3 === 0 ? '' : ` ${index}`}`;
    raw.push({ id, name, symbolCode: `DYNAMIC_${id}`, shortCode: index % 7 === 0 ? '' : `T${id.toString(16)}`, isSpa: true });
  }
  return nameOwnerTypes(raw);
}

/** Every keyword of every TypeScript with a JavaScript API, and a few more words that look special. */
function keywordCandidates(): string[] {
  const require = createRequire(import.meta.url);
  const words = new Set(['arguments', 'eval', 'globalThis', 'Object', 'Symbol', 'Infinity', 'NaN']);
  for (const name of TS_PACKAGES) {
    const ts = require(name) as typeof import('typescript');
    for (let kind = ts.SyntaxKind.FirstKeyword; kind <= ts.SyntaxKind.LastKeyword; kind++) {
      const text = ts.tokenToString(kind);
      if (text !== undefined) words.add(text);
    }
  }
  return [...words].sort();
}

let dir: string;
let templates: ModuleTemplates;
const files: Record<EnumStyle, string[]> = { enum: [], const: [] };
const runs = new Map<string, Promise<Result>>();
const candidates = keywordCandidates();
const accepted = candidates.filter((word) => moduleIdentifierProblem(word) === undefined);
/** The words that fail to compile with some compiler, in some style: filled by the probe. */
let breaking: Promise<Set<string>>;

async function put(relative: string, text: string, style?: EnumStyle): Promise<void> {
  await mkdir(path.dirname(path.join(dir, relative)), { recursive: true });
  await writeFile(path.join(dir, relative), text);
  if (style !== undefined) files[style].push(relative);
}

function render(types: readonly NamedOwnerType[], enumStyle: EnumStyle): string {
  return renderModule({ types, enumStyle, header: GOLDEN_HEADER, templates });
}

const NO_SHORT_CODE_USAGE = `import { EntityTypeId, shortCodeByEntityTypeId, entityTypeIdByShortCode, type ShortCode } from "./only-spa.js";

declare const anyType: EntityTypeId;
const maybe: ShortCode | undefined = shortCodeByEntityTypeId[anyType];
// @ts-expect-error a type may have no short code
const surely: ShortCode = shortCodeByEntityTypeId[anyType];
const first: EntityTypeId.First = entityTypeIdByShortCode.T80;
export { first, maybe, surely };
`;

/**
 * Which candidate words break the module, with each compiler under the strict set: a probe module per
 * word and style, the real emitter's output with the word swapped in for a placeholder identifier. A
 * syntax error hides every file's semantic errors, so each round drops the files that failed and runs again.
 */
async function probeKeywords(): Promise<Set<string>> {
  const placeholder = 'ZzPlaceholder';
  const probes: string[] = [];
  for (const style of ['enum', 'const'] as const) {
    const text = render([...NO_SPA_TYPES, spa(177, placeholder, 'Probe')], style);
    for (const [index, word] of candidates.entries()) {
      // Numbered, not named: `Object` and `object` would differ only in case.
      const file = `probe/${style}-${index}.ts`;
      await put(file, text.replaceAll(placeholder, word));
      probes.push(file);
    }
  }
  const failed = new Set<string>();
  await Promise.all(
    COMPILERS.map(async (compiler) => {
      let remaining = probes;
      for (let round = 0; round < 6 && remaining.length > 0; round++) {
        const args = argsFor(compiler, OPTION_SETS[0]!, `probe-${compiler}`);
        const result = await tsc(compiler, [...args, ...remaining], dir);
        if (result.code === 0) return;
        const failing = new Set(
          [...result.output.matchAll(/^probe\/(enum|const)-(\d+)\.ts\(/gm)].map((match) => `probe/${match[1]}-${match[2]}.ts`),
        );
        if (failing.size === 0) throw new Error(`TypeScript ${compiler} failed outside the probes:\n${result.output}`);
        for (const file of failing) failed.add(candidates[Number(/-(\d+)\.ts$/.exec(file)?.[1])] ?? file);
        remaining = remaining.filter((file) => !failing.has(file));
      }
    }),
  );
  return failed;
}

beforeAll(async () => {
  dir = tempDir('matrix');
  templates = await loadTemplates();
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  await copyFile(path.join(root, 'templates/guards.ts'), path.join(dir, 'guards.ts'));
  const usage = await readFile(new URL('usage/usage.ts', import.meta.url), 'utf8');
  const usageImport = '"../expected/ownertypes.enum.js"';
  expect(usage).toContain(usageImport);
  const keywordTypes = [...NO_SPA_TYPES, ...accepted.map((word, index) => spa(1030 + 2 * index, word, word))];
  const many = manySpas();
  for (const style of ['enum', 'const'] as const) {
    for (const golden of GOLDEN_CASES) {
      const text = await readFile(new URL(`expected/${golden.name}.${style}.ts`, import.meta.url), 'utf8');
      await put(`${style}/${golden.name}/ownertypes.ts`, text, style);
    }
    await put(`${style}/ownertypes/usage.ts`, usage.replace(usageImport, '"./ownertypes.js"'), style);
    await put(`${style}/no-spa.ts`, render(NO_SPA_TYPES, style), style);
    await put(`${style}/one-spa.ts`, render([...NO_SPA_TYPES, spa(177, 'Purchase', 'Purchase')], style), style);
    await put(`${style}/only-spa.ts`, render(ONLY_SPA_TYPES, style), style);
    await put(`${style}/only-spa-usage.ts`, NO_SHORT_CODE_USAGE, style);
    await put(`${style}/hostile.ts`, render(HOSTILE_TYPES, style), style);
    await put(`${style}/empty.ts`, render([], style), style);
    await put(`${style}/keywords.ts`, render(keywordTypes, style), style);
    await put(`${style}/many.ts`, render(many, style), style);
  }
  const all = ['guards.ts', ...files.enum, ...files.const];
  const modules = all.filter((file) => !/usage\.ts$/.test(file));
  for (const compiler of COMPILERS) {
    for (const set of OPTION_SETS) {
      if (supports(compiler, set)) {
        const args = argsFor(compiler, set, `${compiler}-${set.name.replace(/\W+/g, '-')}`);
        runs.set(`${compiler}: ${set.name}`, tsc(compiler, [...args, ...(set.usage === true ? all : modules)], dir));
      }
    }
    if (compiler !== '4.9') {
      // Both styles in one run: the const modules must pass, and each enum module must fail, on its enum only.
      const args = [...argsFor(compiler, OPTION_SETS[0]!, 'erasable'), '--erasableSyntaxOnly', '--verbatimModuleSyntax'];
      runs.set(`${compiler} erasable`, tsc(compiler, [...args, ...all], dir));
    }
  }
  breaking = probeKeywords();
});

afterAll(async () => {
  // The folder is removed after this file's tests; no compiler may still be writing into it.
  await Promise.allSettled([...runs.values(), breaking]);
});

describe('compile matrix', () => {
  const cases = COMPILERS.flatMap((compiler) =>
    OPTION_SETS.filter((set) => supports(compiler, set)).map((set) => `${compiler}: ${set.name}`),
  );
  it.each(cases)('every fixture module, both styles, the usage files and the template compile — TypeScript %s', async (name) => {
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
      const enumModules = files.enum.filter((file) => !/usage\.ts$/.test(file));
      expect(errors.map((line) => line.replace(/\(\d+,\d+\)/, '')).sort()).toEqual(
        enumModules.sort().map(
          (file) => `${file}: error TS1294: This syntax is not allowed when 'erasableSyntaxOnly' is enabled.`,
        ),
      );
      // The error points at the enum itself.
      for (const line of errors) expect(line).toMatch(/\(\d+,13\)/);
    },
  );

  // Waits for every compiler of the matrix to judge every keyword: a limit for a shared, noisy machine.
  it("refuses exactly the keywords that break a module: the naming stage's list matches every TypeScript", { timeout: 300_000 }, async () => {
    const failing = await breaking;
    const listed = candidates.filter((word) => MODULE_BREAKING_WORDS.has(word));
    expect([...failing].sort()).toEqual(listed);
    // Every listed word is a keyword of some TypeScript of the matrix: nothing in the list is stale.
    expect([...MODULE_BREAKING_WORDS].filter((word) => !candidates.includes(word))).toEqual([]);
    // The accepted ones, contextual keywords among them, name owner types of the keywords fixture above.
    expect(accepted).toEqual(expect.arrayContaining(['type', 'declare', 'namespace', 'of', 'async', 'readonly', 'keyof']));
    for (const word of failing) expect(identifierProblem(word)).toBeDefined();
  });
});

describe('scale', () => {
  // A limit for a shared, noisy machine, not a measure: the compilers of the matrix go first.
  it('renders and compiles 5,000 smart processes', { timeout: 300_000 }, async () => {
    await Promise.allSettled([...runs.values(), breaking]);
    const types: NamedOwnerType[] = [
      { id: 1, identifier: 'Lead', symbolCode: 'LEAD', shortCode: 'L', name: 'Lead', isSpa: false },
    ];
    for (let index = 0; index < 5000; index++) {
      const id = 1030 + 2 * index;
      types.push(spa(id, `Process${id}`, `Process "${index}" */ ${'x'.repeat(index % 40)}`));
    }
    const timings: string[] = [];
    for (const style of ['enum', 'const'] as const) {
      const started = performance.now();
      const text = render(types, style);
      timings.push(`${style}: render ${Math.round(performance.now() - started)} ms, ${Math.round(text.length / 1024)} KiB`);
      await put(`scale/${style}.ts`, text);
    }
    const started = performance.now();
    const results = await Promise.all([
      tsc('5.9', [...COMMON, ...STRICT, '--module', 'nodenext', 'scale/const.ts'], dir),
      tsc('7', [...COMMON, ...STRICT, '--module', 'nodenext', 'scale/enum.ts', 'scale/const.ts'], dir),
    ]);
    timings.push(`compile (5.9: const, 7: both) ${Math.round(performance.now() - started)} ms`);
    for (const result of results) expect(result).toEqual({ code: 0, output: '' });
    console.log(`5,000 SPAs — ${timings.join('; ')}`);
  });
});

