import vm from 'node:vm';
import fc from 'fast-check';
import * as prettier from 'prettier';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { buildHeader } from '../../src/emit/header.js';
import { renderModule } from '../../src/emit/render-module.js';
import { loadTemplates } from '../../src/emit/templates.js';
import type { EnumStyle } from '../../src/model/owner-types.js';
import { parseOwnerTypes } from '../../src/model/parse-owner-types.js';
import { nameOwnerTypes } from '../../src/naming/name-owner-types.js';

/**
 * The whole path a portal title takes — parse, name, emit, format — for arbitrary titles: the module must
 * compile under the contract's strict flags, evaluate without side effects, keep every SPA and give each
 * title back verbatim.
 */

const templates = await loadTemplates();
const SYSTEM = [
  { ID: 1, NAME: 'Lead', SYMBOL_CODE: 'LEAD', SYMBOL_CODE_SHORT: 'L' },
  { ID: 2, NAME: 'Deal', SYMBOL_CODE: 'DEAL', SYMBOL_CODE_SHORT: 'D' },
  { ID: 31, NAME: 'Invoice', SYMBOL_CODE: 'SMART_INVOICE', SYMBOL_CODE_SHORT: 'SI' },
];

const hostileFragment = fc.constantFrom(
  '*/', '/*', '`', '${x}', '"', "'", '\\', '\u2028', '\u2029', '\n', '\r\n', '\t', '\u0000', '\u202E', '\uFEFF',
  '🚀', '👨‍👩‍👧', '\uD800', '__proto__', 'constructor', 'hasOwnProperty', 'toString', 'Deal', 'Lead', 'delete',
  'Infinity', 'NaN', '0', '123', ' ', '', '@param', '</script>', 'Закупка', 'Geräte', '设备', 'ﬁ', 'Ⅻ',
);
const title = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(hostileFragment, { maxLength: 6 }).map((parts) => parts.join('')),
  fc.array(fc.oneof(hostileFragment, fc.string({ unit: 'grapheme', maxLength: 6 })), { maxLength: 5 }).map((p) => p.join(' ')),
);
const spaId = fc.oneof(fc.integer({ min: 128, max: 191 }), fc.integer({ min: 515, max: 5000 }).map((n) => n * 2));
const portal = fc.uniqueArray(fc.record({ id: spaId, title }), { selector: (spa) => spa.id, minLength: 1, maxLength: 8 });

function moduleFor(spas: ReadonlyArray<{ id: number; title: string }>, enumStyle: EnumStyle): string {
  const result = [
    ...SYSTEM,
    ...spas.map(({ id, title: name }) => ({ ID: id, NAME: name, SYMBOL_CODE: `DYNAMIC_${id}`, SYMBOL_CODE_SHORT: `T${id.toString(16)}` })),
  ];
  const model = parseOwnerTypes({ result });
  const types = nameOwnerTypes(model.types);
  const header = buildHeader({ portal: 'example.bitrix24.com', types, generatorVersion: '0.0.0', inputsDigest: 'x' });
  return renderModule({ types, enumStyle, header, templates });
}

function evaluate(source: string): Record<string, unknown> {
  const output = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
    reportDiagnostics: true,
  });
  expect(output.diagnostics ?? []).toEqual([]);
  const context = vm.createContext({ module: { exports: {} }, exports: {} });
  const before = Object.getOwnPropertyNames(context).sort();
  vm.runInContext(`(function (module, exports) { ${output.outputText}\n})(module, module.exports);`, context);
  expect(Object.getOwnPropertyNames(context).sort()).toEqual(before);
  const exports = (context.module as { exports: Record<string, unknown> }).exports;
  return { ...exports, realmObjectPrototype: vm.runInContext('Object.prototype', context) as object };
}

function assertRoundTrip(source: string, spas: ReadonlyArray<{ id: number; title: string }>): void {
  const exports = evaluate(source);
  const names = exports.entityTypeNames as Record<number, string>;
  const spa = exports.Spa as Record<string, number>;
  expect(Object.getPrototypeOf(names)).toBe(exports.realmObjectPrototype);
  expect(Object.getPrototypeOf(spa)).toBe(exports.realmObjectPrototype);
  for (const { id, title: name } of spas) {
    expect(names[id]).toBe(name);
    expect((exports.isSpaEntityTypeId as (v: number) => boolean)(id)).toBe(true);
  }
  expect(Object.values(spa).sort((a, b) => a - b)).toEqual(spas.map((s) => s.id).sort((a, b) => a - b));
}

const STRICT: ts.CompilerOptions = {
  strict: true,
  isolatedModules: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noUnusedLocals: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2020,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  skipLibCheck: true,
  types: [],
};

function typeCheck(files: ReadonlyMap<string, string>): string[] {
  const host = ts.createCompilerHost(STRICT);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) => {
    const text = files.get(name);
    return text === undefined ? getSourceFile(name, version) : ts.createSourceFile(name, text, version, true);
  };
  const program = ts.createProgram([...files.keys()], STRICT, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('arbitrary portal titles', () => {
  it('emit a module that evaluates cleanly, keeps every SPA and round-trips every title, then compiles and formats', async () => {
    const samples: Array<{ spas: Array<{ id: number; title: string }>; enumStyle: EnumStyle; source: string }> = [];
    fc.assert(
      fc.property(portal, fc.constantFrom<EnumStyle>('enum', 'const'), (spas, enumStyle) => {
        const source = moduleFor(spas, enumStyle);
        assertRoundTrip(source, spas);
        if (samples.length < 40) samples.push({ spas, enumStyle, source });
      }),
      { numRuns: 150 },
    );

    // Type-checking and formatting cost more: done once, over a batch of the generated modules.
    const files = new Map<string, string>();
    for (const [index, sample] of samples.entries()) {
      const formatted = await prettier.format(sample.source, { parser: 'typescript' });
      assertRoundTrip(formatted, sample.spas);
      files.set(`/virtual/m${index}.ts`, sample.source);
      files.set(`/virtual/f${index}.ts`, formatted);
    }
    expect(typeCheck(files)).toEqual([]);
  });

  it('the type check can fail', () => {
    expect(typeCheck(new Map([['/virtual/bad.ts', 'export const x: number = "no";\nconst unused = 1;\n']]))).toHaveLength(2);
  });
});
