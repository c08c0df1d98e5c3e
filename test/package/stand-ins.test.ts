import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ONE_COLUMN, createStringWidth, type StringWidth } from '../../scripts/stand-ins/string-width.mjs';
import { undiciDrift } from '../../scripts/stand-ins/undici.mjs';
import { ROOT } from '../support/run-cli.js';
import { tempDir } from '../support/temp.js';

// The build bundles stand-ins for undici's index and for string-width (scripts/stand-ins/). These tests
// fail when the installed packages drift away from what the stand-ins assume.

const require = createRequire(import.meta.url);
const UNDICI = path.dirname(require.resolve('undici/package.json'));

describe('the undici stand-in', () => {
  it('matches the installed undici: the files, exports and request() wrapper it takes from index.js', () => {
    expect(undiciDrift(UNDICI)).toEqual([]);
  });

  it.each([
    ['a line it relies on is gone', (index: string) => index.replace('Object.assign(Dispatcher.prototype, api)', ''), /Object\.assign/],
    ['request() wraps differently', (index: string) => index.replace('makeDispatcher(api.request)', 'makeRequest(api.request)'), /module\.exports\.request/],
    ['the wrapper uses a name the stand-in lacks', (index: string) => index.replace('getGlobalDispatcher() } = opts', 'getGlobalDispatcher(), extra = defaults() } = opts'), /uses defaults/],
    ['the wrapper is gone', (index: string) => index.replace('function makeDispatcher (fn) {', 'const makeDispatcher = (fn) => {'), /makeDispatcher/],
  ])('reports drift when %s', (_name, change, problem) => {
    const copy = path.join(tempDir('undici'), 'undici');
    cpSync(path.join(UNDICI, 'index.js'), path.join(copy, 'index.js'));
    cpSync(path.join(UNDICI, 'lib'), path.join(copy, 'lib'), { recursive: true });
    writeFileSync(path.join(copy, 'index.js'), change(readFileSync(path.join(copy, 'index.js'), 'utf8')));
    expect(undiciDrift(copy).join('\n')).toMatch(problem);
  });
});

describe("the ts-morph files the code cache loads (scripts/stand-ins/ts-morph.mjs)", () => {
  // In a process of its own, so that require.cache holds what loading ts-morph loads and nothing else.
  const script = `
    import { createRequire } from 'node:module';
    import { statSync } from 'node:fs';
    import { tsMorphFiles } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'scripts', 'stand-ins', 'ts-morph.mjs')).href)};
    const require = createRequire(${JSON.stringify(path.join(ROOT, 'package.json'))});
    const files = tsMorphFiles(require);
    const tsMorph = require('ts-morph');
    const cache = require.cache;
    console.log(JSON.stringify({
      files,
      loaded: files.map((file) => cache[file] !== undefined),
      requiredBy: files.slice(1).map((file, i) => cache[file]?.children.includes(cache[files[i]]) ?? false),
      sameTs: tsMorph.ts.createSourceFile === cache[files[0]]?.exports.createSourceFile && tsMorph.ts.version === cache[files[0]]?.exports.version,
      otherLarge: Object.keys(cache).filter((file) => !files.includes(file) && statSync(file).size >= 256 * 1024),
    }));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  const report = JSON.parse(result.stdout || '{}') as { files: string[]; loaded: boolean[]; requiredBy: boolean[]; sameTs: boolean; otherLarge: string[] };

  it('are TypeScript, @ts-morph/common and ts-morph, each loaded by the next, and ts-morph uses that TypeScript', () => {
    expect(result.stderr).toBe('');
    expect(report.files.map((file) => path.relative(ROOT, file).split(path.sep).join('/'))).toEqual([
      'node_modules/@ts-morph/common/dist/typescript.js',
      'node_modules/@ts-morph/common/dist/ts-morph-common.js',
      'node_modules/ts-morph/dist/ts-morph.js',
    ]);
    expect(report.loaded).toEqual([true, true, true]);
    expect(report.requiredBy).toEqual([true, true]);
    expect(report.sameTs).toBe(true);
  });

  it('are all the large files loading ts-morph loads', () => {
    expect(report.otherLarge).toEqual([]);
  });
});

/** Every string-width in yargs' tree, by where it is installed: the stand-in replaces each of them. */
function installedStringWidths(): string[] {
  const found = new Set<string>();
  const yargs = path.dirname(require.resolve('yargs/package.json'));
  for (const from of [yargs, path.join(ROOT, 'node_modules', 'cliui'), path.join(ROOT, 'node_modules', 'wrap-ansi')]) {
    try {
      found.add(createRequire(path.join(from, 'package.json')).resolve('string-width'));
    } catch {
      // not in this tree
    }
  }
  return [...found];
}

const versions = await Promise.all(
  installedStringWidths().map(async (file) => {
    const version = (JSON.parse(readFileSync(path.join(path.dirname(file), 'package.json'), 'utf8')) as { version: string }).version;
    const real = ((await import(pathToFileURL(file).href)) as { default: StringWidth }).default;
    return { name: `string-width ${version} (${path.relative(ROOT, file)})`, real };
  }),
);

const ONE_COLUMN_SAMPLE = [...' ~AZaz09-_=.,:;!?()[]{}<>|/\\\'"`@#$%^&*+ \u00a0éüßøÆñ±×÷ŁőŽŸƒǅɏАЖЯяёЁЂҐґ‐–—‘’“”•…‰′″‹›⁄←↑→↓⇒∀∑√∞≈≠≤≥⊂⋯'];
const ANSI = ['\u001b[1m', '\u001b[22m', '\u001b[31m', '\u001b[39m', '\u001b[4m', '\u001b[0m'];
const oneColumnText = fc.array(fc.oneof(fc.constantFrom(...ONE_COLUMN_SAMPLE), fc.constantFrom(...ANSI)), { maxLength: 40 }).map((parts) => parts.join(''));
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'grapheme-composite', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.tuple(fc.constantFrom(...ANSI), fc.string({ unit: 'grapheme', maxLength: 8 })).map(([a, b]) => `${a}${b}`),
);
const OPTIONS = [{}, { ambiguousIsNarrow: false }, { countAnsiEscapeCodes: true }, { ambiguousIsNarrow: true }] as const;

describe.each(versions)('the string-width stand-in against $name', ({ real }) => {
  it('measures one-column text (all of the help) as the real one does, without loading it', () => {
    let loads = 0;
    const standIn = createStringWidth(() => {
      loads++;
      return real;
    });
    fc.assert(fc.property(oneColumnText, (text) => standIn(text) === real(text)), { numRuns: 2000 });
    expect(loads).toBe(0);
  });

  it('counts every character of the shortcut as one column, as the real one does', () => {
    const wider: string[] = [];
    for (let codePoint = 0; codePoint < 0x3000; codePoint++) {
      const character = String.fromCodePoint(codePoint);
      if (ONE_COLUMN.test(character) && real(character) !== 1) wider.push(`U+${codePoint.toString(16).toUpperCase()}`);
    }
    expect(wider).toEqual([]);
  });

  it('gives the same width as the real one for any text and options', () => {
    const standIn = createStringWidth(() => real);
    fc.assert(
      fc.property(anyText, fc.constantFrom(...OPTIONS), (text, options) => standIn(text, options) === real(text, options)),
      { numRuns: 3000 },
    );
  });
});

it('yargs’ tree has at least one string-width for the stand-in to replace', () => {
  expect(versions.length).toBeGreaterThan(0);
});
