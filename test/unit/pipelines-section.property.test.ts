import vm from 'node:vm';
import fc from 'fast-check';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NamedOwnerType } from '../../src/model/owner-types.js';
import type { Pipeline, PipelinesData, Stage } from '../../src/model/portal.js';
import { loadTemplates, type ModuleTemplates } from '../../src/emit/templates.js';
import { renderPortal } from '../golden/pipelines/cases.js';

const OWNER_TYPES: NamedOwnerType[] = [
  { id: 1, identifier: 'Lead', symbolCode: 'LEAD', shortCode: 'L', name: 'Lead', isSpa: false },
  { id: 2, identifier: 'Deal', symbolCode: 'DEAL', shortCode: 'D', name: 'Deal', isSpa: false },
];

let templates: ModuleTemplates;
beforeAll(async () => {
  templates = await loadTemplates();
});

/** Any text, weighted towards what could end a string or comment, or display differently than it compiles. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc
    .array(fc.constantFrom('*/', '/*', '"', "'", '`', '${', '}', '\\', '\n', '\r', '\u2028', '\u2029', '\u202E', '\u2066', '\u200B', '\uFEFF', '@param', '<!--', 'x'), { maxLength: 8 })
    .map((parts) => parts.join('')),
);
/** Stage codes: any text, including ones that are not identifiers or are Object.prototype names. */
const code = fc.oneof(text.filter((c) => c !== ''), fc.constantFrom('__proto__', 'constructor', 'toString', 'NEW', '1', 'UC_ABCDEF'));

const rows = fc.uniqueArray(fc.tuple(code, text, fc.constantFrom<Stage['semantics']>('process', 'success', 'failure')), {
  selector: ([c]) => c,
  maxLength: 6,
});

const stageList = (prefix: string | undefined, list: readonly (readonly [string, string, Stage['semantics']])[]): Stage[] =>
  list.map(([c, name, semantics], index) => ({ statusId: prefix === undefined ? c : `${prefix}:${c}`, code: c, name, sort: index, rowId: index, semantics }));

const portal: fc.Arbitrary<PipelinesData> = fc
  .tuple(rows, fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.option(text, { nil: undefined }), rows), { selector: ([id]) => id, maxLength: 4 }), rows)
  .map(([leadRows, extra, defaultRows]) => ({
    types: [
      { kind: 'stages', entityTypeId: 1, statusEntityId: 'STATUS', stages: stageList(undefined, leadRows) },
      {
        kind: 'pipelines',
        entityTypeId: 2,
        pipelines: [
          { categoryId: 0, name: 'General', sort: 0, isDefault: true, readable: true, statusEntityId: 'DEAL_STAGE', stages: stageList(undefined, defaultRows) },
          ...extra
            .sort(([a], [b]) => a - b)
            .map(([id, name, list]): Pipeline => ({ categoryId: id, name, sort: 0, isDefault: false, readable: true, statusEntityId: `DEAL_STAGE_${id}`, stages: stageList(`C${id}`, list) })),
        ],
      },
    ],
  }));

const EXPORTS = ['Category', 'Stage', 'StageIdOf', 'StageId', 'categoryNames', 'stageNames', 'stageSemantics', 'isStageId'];

describe('pipelines section properties', () => {
  it('any names and codes stay inside their literals and comments and come back exactly', () => {
    fc.assert(
      fc.property(portal, fc.constantFrom('enum' as const, 'const' as const), (data, style) => {
        const module = renderPortal(OWNER_TYPES, data, style, templates);
        expect(module).not.toMatch(/[\u2028\u2029\u202A-\u202E\u2066-\u2069\u200B\uFEFF\r]/);
        const file = ts.createSourceFile('m.ts', module, ts.ScriptTarget.Latest, true);
        const names = file.statements.flatMap((s) =>
          ts.isVariableStatement(s) ? s.declarationList.declarations.map((d) => d.name.getText()) : ts.isFunctionDeclaration(s) || ts.isTypeAliasDeclaration(s) ? [s.name?.getText() ?? ''] : [],
        );
        expect(names.slice(-EXPORTS.length)).toEqual(EXPORTS);
        const output = ts.transpileModule(module, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 }, reportDiagnostics: true });
        expect(output.diagnostics ?? []).toEqual([]);
        const context = vm.createContext({});
        const exports: Record<string, unknown> = {};
        (vm.runInContext(`(function (exports) {\n${output.outputText}\n})`, context) as (e: object) => void)(exports);
        const stageNames = exports['stageNames'] as Record<number, Record<string, string>>;
        const semantics = exports['stageSemantics'] as Record<number, Record<string, string>>;
        const isStageId = exports['isStageId'] as (value: unknown) => boolean;
        for (const entry of data.types) {
          const list = entry.kind === 'stages' ? entry.stages : entry.pipelines.flatMap((p) => p.stages);
          expect(Object.keys(stageNames[entry.entityTypeId]!).sort()).toEqual(list.map((s) => s.statusId).sort());
          for (const s of list) {
            expect(stageNames[entry.entityTypeId]![s.statusId]).toBe(s.name);
            expect(semantics[entry.entityTypeId]![s.statusId]).toBe(s.semantics);
            expect(isStageId(s.statusId)).toBe(true);
          }
          if (entry.kind === 'pipelines') {
            const names = (exports['categoryNames'] as Record<number, Record<number, string>>)[entry.entityTypeId]!;
            for (const p of entry.pipelines) expect(names[p.categoryId]).toBe(p.name);
          }
        }
      }),
      { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 60) },
    );
  });
});
