import vm from 'node:vm';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EnumStyle } from '../../src/model/owner-types.js';
import type { PipelinesData, PortalModel } from '../../src/model/portal.js';
import { renderModule } from '../../src/emit/render-module.js';
import { pipelineBannerLines } from '../../src/emit/sections/banner.js';
import { pipelineStatements } from '../../src/emit/sections/pipelines.js';
import { loadTemplates, type ModuleTemplates } from '../../src/emit/templates.js';
import { namePipelines, type NamedPipelines } from '../../src/naming/name-pipelines.js';
import { GOLDEN_HEADER } from '../golden/cases.js';
import { HOSTILE_OWNER_TYPES, HOSTILE_PIPELINES, HOSTILE_TEXT, renderPortal } from '../golden/pipelines/cases.js';
import { OWNER_TYPES, PORTAL_A, pipeline, stages } from '../golden/pipelines/portals.js';

const styles: readonly EnumStyle[] = ['enum', 'const'];

let templates: ModuleTemplates;
beforeAll(async () => {
  templates = await loadTemplates();
});

interface Evaluated {
  readonly exports: Record<string, unknown>;
  readonly objectPrototype: object;
  readonly globalsAdded: string[];
}

/** Transpiles the module as a consumer's build would and runs it in a fresh realm. */
function evaluate(text: string): Evaluated {
  const output = ts.transpileModule(text, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    reportDiagnostics: true,
  });
  expect(output.diagnostics?.map((diagnostic) => diagnostic.messageText)).toEqual([]);
  const context = vm.createContext({});
  const globals = () => Object.getOwnPropertyNames(vm.runInContext('globalThis', context) as object);
  const before = new Set(globals());
  const run = vm.runInContext(`(function (exports) {\n${output.outputText}\n})`, context) as (exports: object) => void;
  const exports: Record<string, unknown> = {};
  run(exports);
  return {
    exports,
    objectPrototype: vm.runInContext('Object.prototype', context) as object,
    globalsAdded: globals().filter((name) => !before.has(name)),
  };
}

type Tree = { readonly [key: string]: Tree | string | number };
const tree = (value: unknown) => value as Tree;

/** The names a module declares at the top level, in order. */
function topLevelNames(text: string): string[] {
  const file = ts.createSourceFile('module.ts', text, ts.ScriptTarget.Latest, true);
  return file.statements.map((statement) => {
    if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.map((d) => d.name.getText()).join();
    if (ts.isFunctionDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement)) {
      return statement.name?.getText() ?? '?';
    }
    return ts.SyntaxKind[statement.kind];
  });
}

const SECTION_EXPORTS = ['Category', 'Stage', 'StageIdOf', 'StageId', 'categoryNames', 'stageNames', 'stageSemantics', 'isStageId'];

describe.each(styles)('pipelines section, %s style', (enumStyle) => {
  it('holds the reference portal: categories, stages in SORT order, names and semantics', () => {
    const { exports, globalsAdded } = evaluate(renderPortal(OWNER_TYPES, PORTAL_A, enumStyle, templates));
    expect(globalsAdded).toEqual([]);
    const category = tree(exports['Category']);
    const stage = tree(exports['Stage']);
    expect(category).toEqual({
      Deal: { Default: 0, Wholesale: 3, Service: 9 },
      Contact: { Default: 0 },
      SmartInvoice: { Default: 5 },
      EquipmentPurchase: { Default: 7, SecondPipeline: 9 },
    });
    expect(tree(stage['Deal'])['Wholesale']).toMatchObject({ Won: 'C3:WON', WaitingForTheCourt: 'C3:1', Shipping: 'C3:UC_YYTFYG' });
    expect(tree(tree(stage['EquipmentPurchase'])['Default'])['New']).toBe('DT177_7:NEW');
    expect(tree(stage['Lead'])).toMatchObject({ Converted: 'CONVERTED', NewApproach: 'UC_NJ6R1M', CallbackRequested: '1' });
    expect(tree(stage['Quote'])['Approved']).toBe('APPROVED');
    expect(Object.values(tree(tree(stage['SmartInvoice'])['Default']))).toEqual(['DT31_5:N', 'DT31_5:S', 'DT31_5:P', 'DT31_5:D']);
    expect(Object.keys(stage)).toEqual(['Lead', 'Deal', 'Quote', 'SmartInvoice', 'EquipmentPurchase']);

    // Every stage, in the portal's order, under its pipeline.
    for (const entry of PORTAL_A.types) {
      const identifier = OWNER_TYPES.find((type) => type.id === entry.entityTypeId)!.identifier;
      const names = tree(exports['stageNames'])[entry.entityTypeId] as Tree | undefined;
      const semantics = tree(exports['stageSemantics'])[entry.entityTypeId] as Tree | undefined;
      const lists =
        entry.kind === 'stages'
          ? [{ ids: Object.values(tree(stage[identifier])), stages: entry.stages }]
          : entry.pipelines
              .filter((p) => p.statusEntityId !== undefined)
              .map((p) => {
                const key = Object.entries(tree(category[identifier])).find(([, id]) => id === p.categoryId)![0];
                return { ids: Object.values(tree(tree(stage[identifier])[key])), stages: p.stages };
              });
      for (const { ids, stages: list } of lists) {
        const bySort = [...list].sort((a, b) => a.sort - b.sort || a.rowId - b.rowId);
        expect(ids).toEqual(bySort.map((s) => s.statusId));
        for (const s of list) {
          expect(names?.[s.statusId]).toBe(s.name);
          expect(semantics?.[s.statusId]).toBe(s.semantics);
        }
      }
    }
    expect(tree(exports['categoryNames'])).toEqual({
      2: { 0: 'General', 3: 'Wholesale', 9: 'Service' },
      3: { 0: 'Contacts' },
      31: { 5: 'Invoices' },
      177: { 7: 'General', 9: 'Second pipeline' },
    });
  });

  it('puts stages in SORT order whatever order they come in', () => {
    const shuffled: PipelinesData = {
      types: [
        {
          kind: 'stages',
          entityTypeId: 1,
          statusEntityId: 'STATUS',
          stages: [
            { statusId: 'JUNK', code: 'JUNK', name: 'Junk', sort: 70, rowId: 9, semantics: 'failure' },
            { statusId: 'NEW', code: 'NEW', name: 'New', sort: 10, rowId: 5, semantics: 'process' },
            { statusId: 'UC_AAAAAA', code: 'UC_AAAAAA', name: 'Second', sort: 20, rowId: 8, semantics: 'process' },
            { statusId: 'UC_BBBBBB', code: 'UC_BBBBBB', name: 'First', sort: 20, rowId: 7, semantics: 'process' },
          ],
        },
      ],
    };
    const { exports } = evaluate(renderPortal(OWNER_TYPES, shuffled, enumStyle, templates));
    expect(Object.values(tree(tree(exports['Stage'])['Lead']))).toEqual(['NEW', 'UC_BBBBBB', 'UC_AAAAAA', 'JUNK']);
  });

  it('answers isStageId for every stage ID of the portal and nothing else', () => {
    const { exports } = evaluate(renderPortal(OWNER_TYPES, PORTAL_A, enumStyle, templates));
    const isStageId = exports['isStageId'] as (value: unknown) => boolean;
    for (const id of ['NEW', 'WON', 'C3:WON', 'C3:1', 'DT177_9:FAIL', 'DT31_5:D', '1', 'CONVERTED', 'DECLAINED']) {
      expect(isStageId(id), id).toBe(true);
    }
    for (const value of ['C4:WON', 'DT177_8:NEW', 'won', '', '__proto__', 'toString', 'constructor', 'hasOwnProperty', 2, 0, null, undefined, {}, ['NEW']]) {
      expect(isStageId(value), String(value)).toBe(false);
    }
  });

  it('keeps hostile names and codes inside their literals and comments', () => {
    const text = renderPortal(HOSTILE_OWNER_TYPES, HOSTILE_PIPELINES, enumStyle, templates);
    const { exports, objectPrototype, globalsAdded } = evaluate(text);
    expect(globalsAdded).toEqual([]);
    // Nothing escaped into statements of its own.
    expect(topLevelNames(text).slice(-SECTION_EXPORTS.length)).toEqual(SECTION_EXPORTS);
    expect(text).not.toMatch(/[\u2028\u2029\u202A-\u202E\u2066-\u2069\u200B\uFEFF\r]/);
    // No JSDoc tag comes from portal text: every `@` in a comment is escaped.
    for (const line of text.split('\n').filter((l) => l.trimStart().startsWith('/**'))) expect(line).not.toMatch(/(^|[^\\])@/);
    for (const line of text.split('\n').filter((l) => l.trimStart().startsWith('/** '))) expect(line.indexOf('*/')).toBe(line.length - 2);

    const stageNames = tree(exports['stageNames']);
    const semantics = tree(exports['stageSemantics']);
    const categoryNames = tree(exports['categoryNames']);
    for (const entry of HOSTILE_PIPELINES.types) {
      const list = entry.kind === 'stages' ? entry.stages : entry.pipelines.flatMap((p) => p.stages);
      const names = tree(stageNames[entry.entityTypeId]);
      expect(Object.getPrototypeOf(names)).toBe(objectPrototype);
      expect(Object.keys(names).sort()).toEqual(list.map((s) => s.statusId).sort());
      for (const s of list) {
        expect(Object.prototype.hasOwnProperty.call(names, s.statusId), s.statusId).toBe(true);
        expect(names[s.statusId]).toBe(s.name);
        expect(tree(semantics[entry.entityTypeId])[s.statusId]).toBe(s.semantics);
      }
      if (entry.kind === 'pipelines') {
        for (const p of entry.pipelines) {
          expect(tree(categoryNames[entry.entityTypeId])[p.categoryId]).toBe(p.name);
        }
      }
    }
    const isStageId = exports['isStageId'] as (value: unknown) => boolean;
    expect(isStageId('__proto__')).toBe(true);
    expect(isStageId('Q"Q')).toBe(true);
    expect(isStageId('constructor')).toBe(false);
    expect(text).toContain('["__proto__"]: "proto"');
    // The unreadable pipeline: in Category and Stage, not in categoryNames, and said so in its comment.
    expect(tree(tree(exports['Category'])['Deal'])['Category20']).toBe(20);
    expect(Object.keys(tree(categoryNames[2]))).not.toContain('20');
    expect(text).toContain("/** name not given by the portal · category 20 · not readable by the webhook's user */");
  });

  it('escapes names in the member comments', () => {
    const text = renderPortal(HOSTILE_OWNER_TYPES, HOSTILE_PIPELINES, enumStyle, templates);
    expect(text).toContain('/** "*\\/ export const pwned = 1; /*" · category 0 · default */');
    expect(text).toContain('/** "\\@deprecated \\@param x" · NEW · process */');
    expect(text).toContain('· "A*\\/B" · process */');
    expect(text).toContain('/** "line\\u2028break\\u2029para\\nnewline\\r\\n" · category 4 */');
  });

  it('writes empty objects for a portal without pipelines or stages', () => {
    const text = renderPortal(OWNER_TYPES, { types: [] }, enumStyle, templates);
    expect(text).toContain('\nexport const Category = {} as const;\n');
    expect(text).toContain('\nexport const Stage = {} as const;\n');
    expect(text).toContain('\nexport const stageNames: Readonly<Record<never, never>> = {};\n');
    const { exports } = evaluate(text);
    expect((exports['isStageId'] as (value: unknown) => boolean)('NEW')).toBe(false);
  });

  it('leaves the module as it was without the section', () => {
    const without = renderModule({ types: OWNER_TYPES, enumStyle, header: GOLDEN_HEADER, templates });
    const withSection = renderPortal(OWNER_TYPES, PORTAL_A, enumStyle, templates);
    expect(withSection.startsWith(without.slice(0, -1))).toBe(true);
    expect(topLevelNames(withSection).slice(topLevelNames(without).length)).toEqual(SECTION_EXPORTS);
  });
});

describe('pipelines section checks', () => {
  const named = (): NamedPipelines => namePipelines([{ ownerTypes: OWNER_TYPES, pipelines: PORTAL_A }]).portals[0]!;
  const build = (pipelines: NamedPipelines) => () => pipelineStatements({ pipelines, template: templates.stages ?? '' });

  it('refuses identifiers and IDs that would not compile or would clash', () => {
    expect(build(named())).not.toThrow();
    const mutate = (fn: (types: any[]) => void): NamedPipelines => {
      const copy = structuredClone(named()) as { types: any[] };
      fn(copy.types);
      return copy as NamedPipelines;
    };
    const deal = (types: any[]) => types.find((t) => t.ownerType.id === 2);
    expect(build(mutate((t) => (deal(t).pipelines[1].identifier = 'Default')))).toThrow(/Two pipelines of Deal share "Default"/);
    expect(build(mutate((t) => (deal(t).pipelines[1].identifier = 'a-b')))).toThrow(/cannot name a pipeline/);
    expect(build(mutate((t) => (deal(t).pipelines[1].stages[1].identifier = 'New')))).toThrow(/stages of one pipeline of Deal share "New"/);
    expect(build(mutate((t) => (deal(t).pipelines[1].stages[1].identifier = '__proto__')))).toThrow(/cannot name a stage/);
    expect(build(mutate((t) => (deal(t).pipelines[1].stages[1].statusId = 'C3:NEW')))).toThrow(/stages of Deal share "C3:NEW"/);
    expect(build(mutate((t) => (deal(t).pipelines[1].categoryId = -1)))).toThrow(/not a category ID/);
    expect(build(mutate((t) => t.push(deal(t))))).toThrow(/Two owner types/);
  });

  it('needs the stages template', () => {
    expect(() => pipelineStatements({ pipelines: named(), template: '' })).toThrow(/stages template exports no function/);
  });
});

describe('banner lines', () => {
  const model = (pipelines: PortalModel['pipelines'], spaDetails: PortalModel['spaDetails'] = { status: 'ok', data: [] }) => ({ pipelines, spaDetails });

  it('counts the section and names what could not be read', () => {
    expect(pipelineBannerLines(model({ status: 'ok', data: PORTAL_A }))).toEqual([
      'Pipelines and stages: 7 pipelines, 53 stages of 6 owner types (Category, Stage, StageId).',
    ]);
    const unreadable: PipelinesData = {
      types: [{ kind: 'pipelines', entityTypeId: 2, pipelines: [pipeline(9, undefined, 'DEAL_STAGE_9', stages('C9', [['NEW', 'x']]), { readable: false })] }],
    };
    expect(pipelineBannerLines(model({ status: 'ok', data: unreadable }, { status: 'unavailable', reason: 'crm.type.list: ACCESS_DENIED */' }))).toEqual([
      'Pipelines and stages: 1 pipeline, 1 stage of 1 owner type (Category, Stage, StageId).',
      "Not readable by the webhook's user, emitted from the stage dictionaries (entity type/category): 2/9.",
      'SPA codes not read: "crm.type.list: ACCESS_DENIED *\\/".',
    ]);
  });

  it('says when the module holds owner types only', () => {
    expect(pipelineBannerLines(model({ status: 'unavailable', reason: '--no-pipelines' }, { status: 'unavailable', reason: 'x' }))).toEqual([
      'Pipelines and stages: not in this module ("--no-pipelines").',
    ]);
  });
});

it('hostile text covers what the section must keep inert', () => {
  // A guard for the fixture itself: each kind of hostile text is still in it.
  const joined = HOSTILE_TEXT.join('');
  for (const piece of ['*/', '"', "'", '`', '${', '\u2028', '\u202E', '@', '\\']) expect(joined).toContain(piece);
});
