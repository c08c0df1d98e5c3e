import { describe, expect, it } from 'vitest';
import type { NamedOwnerType } from '../../src/model/owner-types.js';
import type { OwnerTypeStages, PipelinesData } from '../../src/model/portal.js';
import {
  codeForIdentifier,
  namePipelines,
  stageCandidate,
  type NamedOwnerTypeStages,
  type NamedPipelines,
} from '../../src/naming/name-pipelines.js';
import { OWNER_TYPES, OWNER_TYPES_B, PORTAL_A, PORTAL_B, pipeline, stages } from '../golden/pipelines/portals.js';

const deal: NamedOwnerType = { id: 2, identifier: 'Deal', symbolCode: 'DEAL', shortCode: 'D', name: 'Deal', isSpa: false };
const lead: NamedOwnerType = { id: 1, identifier: 'Lead', symbolCode: 'LEAD', shortCode: 'L', name: 'Lead', isSpa: false };

function only(portal: NamedPipelines, id: number): NamedOwnerTypeStages {
  const entry = portal.types.find((type) => type.ownerType.id === id);
  if (entry === undefined) throw new Error(`no owner type ${id}`);
  return entry;
}

/** Pipeline identifiers by category ID, for deals with these pipelines (name, or undefined for none). */
function dealPipelines(pipelines: readonly (readonly [number, string | undefined, boolean?])[]) {
  const data: PipelinesData = {
    types: [
      {
        kind: 'pipelines',
        entityTypeId: 2,
        pipelines: pipelines.map(([id, name, isDefault]) => pipeline(id, name, undefined, [], { isDefault: isDefault === true })),
      },
    ],
  };
  const result = namePipelines([{ ownerTypes: [deal], pipelines: data }]);
  const entry = only(result.portals[0]!, 2);
  if (entry.kind !== 'pipelines') throw new Error('expected pipelines');
  return {
    names: Object.fromEntries(entry.pipelines.map((p) => [p.categoryId, p.identifier])),
    idCarrying: result.idCarrying.map(({ categoryId, identifier, reason }) => ({ categoryId, identifier, reason })),
  };
}

/** Stage identifiers by code, for one lead dictionary with these stages. */
function leadStages(rows: readonly (readonly [string, string])[]): Record<string, string> {
  const data: PipelinesData = {
    types: [{ kind: 'stages', entityTypeId: 1, statusEntityId: 'STATUS', stages: stages(undefined, rows) }],
  };
  const entry = only(namePipelines([{ ownerTypes: [lead], pipelines: data }]).portals[0]!, 1);
  if (entry.kind !== 'stages') throw new Error('expected stages');
  return Object.fromEntries(entry.stages.map((stage) => [stage.code, stage.identifier]));
}

describe('pipeline names', () => {
  it.each([
    ['a plain name', [[0, 'General', true], [3, 'Wholesale']], { 0: 'Default', 3: 'Wholesale' }],
    ['the default is Default whatever its name', [[0, 'Основная', true]], { 0: 'Default' }],
    ['transliterated', [[0, 'x', true], [3, 'Оптовые продажи'], [5, 'Geräte']], { 0: 'Default', 3: 'OptovyeProdazhi', 5: 'Geraete' }],
    ['no usable name', [[0, 'x', true], [3, ''], [4, '🚀 …'], [5, undefined]], { 0: 'Default', 3: 'Category3', 4: 'Category4', 5: 'Category5' }],
    ['a leading digit', [[0, 'x', true], [3, '2024 sales']], { 0: 'Default', 3: 'Pipeline2024Sales' }],
    ['a name that gives Default', [[0, 'x', true], [3, 'default'], [4, 'Default']], { 0: 'Default', 3: 'Default3', 4: 'Default4' }],
    ['Default is kept even without a default pipeline', [[3, 'Default']], { 3: 'Default3' }],
    ['a collision appends every ID', [[0, 'x', true], [3, 'Sales'], [9, 'sales'], [4, 'Service']], { 0: 'Default', 3: 'Sales3', 9: 'Sales9', 4: 'Service' }],
    ['a name like a fallback', [[0, 'x', true], [3, 'Category 9'], [9, undefined]], { 0: 'Default', 3: 'Category93', 9: 'Category99' }],
    ['an unsafe key', [[0, 'x', true], [3, 'Infinity'], [4, 'constructor']], { 0: 'Default', 3: 'Infinity3', 4: 'Constructor' }],
  ] as const)('%s', (_, pipelines, expected) => {
    expect(dealPipelines(pipelines).names).toEqual(expected);
  });

  it('reports the identifiers that carry a category ID, and why', () => {
    expect(dealPipelines([[0, 'General', true], [3, 'Sales'], [9, 'Sales'], [5, undefined], [6, 'Default'], [7, 'Fine']]).idCarrying).toEqual([
      { categoryId: 3, identifier: 'Sales3', reason: 'collision' },
      { categoryId: 5, identifier: 'Category5', reason: 'unnamed' },
      { categoryId: 6, identifier: 'Default6', reason: 'collision' },
      { categoryId: 9, identifier: 'Sales9', reason: 'collision' },
    ]);
  });

  it('names the reference portal', () => {
    const portal = namePipelines([{ ownerTypes: OWNER_TYPES, pipelines: PORTAL_A }]).portals[0]!;
    const pipelineNames = (id: number) => {
      const entry = only(portal, id);
      return entry.kind === 'pipelines' ? entry.pipelines.map((p) => [p.categoryId, p.identifier]) : [];
    };
    expect(pipelineNames(2)).toEqual([[0, 'Default'], [3, 'Wholesale'], [9, 'Service']]);
    expect(pipelineNames(177)).toEqual([[7, 'Default'], [9, 'SecondPipeline']]);
    expect(pipelineNames(31)).toEqual([[5, 'Default']]);
    expect(pipelineNames(3)).toEqual([[0, 'Default']]);
  });

  it('is refused for pipelines of an owner type the portal does not have', () => {
    const data: PipelinesData = { types: [{ kind: 'pipelines', entityTypeId: 190, pipelines: [] }] };
    expect(() => namePipelines([{ ownerTypes: [deal], pipelines: data }])).toThrow(/entity type 190/);
  });
});

describe('stage names', () => {
  it.each([
    ['from the code', [['NEW', 'Unprocessed'], ['IN_PROCESS', 'Working'], ['FINAL_INVOICE', 'x']], { NEW: 'New', IN_PROCESS: 'InProcess', FINAL_INVOICE: 'FinalInvoice' }],
    ['user-added stages from their NAME', [['UC_NJ6R1M', 'New approach'], ['UC_7F3K2A', 'Проверка']], { UC_NJ6R1M: 'NewApproach', UC_7F3K2A: 'Proverka' }],
    ['numeric codes from their NAME', [['1', 'Callback'], ['2', '2nd call']], { 1: 'Callback', 2: 'Stage2ndCall' }],
    ['the code when the NAME gives nothing', [['UC_Q9J6VV', ''], ['1', '🚀'], ['UC_ABCDEF', '—']], { UC_Q9J6VV: 'UC_Q9J6VV', 1: 'Stage1', UC_ABCDEF: 'UC_ABCDEF' }],
    ['a NAME that collides with a code', [['WON', 'Won'], ['UC_AB12CD', 'Won'], ['LOSE', 'Lost']], { WON: 'Won_WON', UC_AB12CD: 'Won_UC_AB12CD', LOSE: 'Lose' }],
    ['numeric codes that collide', [['1', 'Call'], ['2', 'Call']], { 1: 'Call_1', 2: 'Call_2' }],
    ['codes that only differ in punctuation', [['A-B', 'x'], ['A_B', 'x']], { 'A-B': 'AB_A$00002DB', A_B: 'AB_A_B' }],
    ['an unsafe key', [['INFINITY', 'x'], ['NAN', 'y']], { INFINITY: 'Infinity_INFINITY', NAN: 'Nan' }],
    ['lower-case and odd codes', [['new', 'x'], ['-', ''], ['1ST', 'x']], { new: 'New', '-': 'Stage$00002D', '1ST': 'Stage1st' }],
  ] as const)('%s', (_, rows, expected) => {
    expect(leadStages(rows)).toEqual(expected);
  });

  it('names collisions only inside one pipeline', () => {
    const portal = namePipelines([{ ownerTypes: OWNER_TYPES, pipelines: PORTAL_A }]).portals[0]!;
    const entry = only(portal, 2);
    if (entry.kind !== 'pipelines') throw new Error('expected pipelines');
    const byId = Object.fromEntries(entry.pipelines.flatMap((p) => p.stages.map((s) => [s.statusId, s.identifier])));
    expect(byId).toMatchObject({ WON: 'Won', 'C3:WON': 'Won', 'C3:1': 'WaitingForTheCourt', 'C3:UC_YYTFYG': 'Shipping', UC_Q9J6VV: 'ContractSigned' });
  });

  it('encodes codes reversibly', () => {
    expect(codeForIdentifier('UC_AB12CD')).toBe('UC_AB12CD');
    expect(codeForIdentifier('A-B')).toBe('A$00002DB');
    expect(codeForIdentifier('A$B')).toBe('A$000024B');
    expect(codeForIdentifier('😀')).toBe('$01F600');
    expect(stageCandidate('UC_ABCDEF', 'Zakaz')).toBe('Zakaz');
  });
});

describe('several portals', () => {
  it('gives the same pipeline and stage the same identifier on a renumbered portal', () => {
    const { portals, idCarrying } = namePipelines([
      { ownerTypes: OWNER_TYPES, pipelines: PORTAL_A },
      { ownerTypes: OWNER_TYPES_B, pipelines: PORTAL_B },
    ]);
    const keys = (portal: NamedPipelines) =>
      portal.types.map((entry) =>
        entry.kind === 'stages'
          ? [entry.ownerType.identifier, entry.stages.map((s) => [s.code, s.identifier])]
          : [entry.ownerType.identifier, entry.pipelines.map((p) => [p.identifier, p.stages.map((s) => [s.code, s.identifier])])],
      );
    expect(keys(portals[1]!)).toEqual(keys(portals[0]!));
    expect(idCarrying).toEqual([]);
    const deals = only(portals[1]!, 2);
    expect(deals.kind === 'pipelines' && deals.pipelines.map((p) => [p.categoryId, p.identifier])).toEqual([
      [0, 'Default'],
      [4, 'Wholesale'],
      [11, 'Service'],
    ]);
  });

  it('lets the first portal name a stage, matched by code', () => {
    const portal = (name: string): PipelinesData => ({
      types: [{ kind: 'stages', entityTypeId: 1, statusEntityId: 'STATUS', stages: stages(undefined, [['UC_ABCDEF', name]]) }],
    });
    const names = (order: readonly string[]) =>
      namePipelines(order.map((name) => ({ ownerTypes: [lead], pipelines: portal(name) }))).portals.map((p) => {
        const entry = only(p, 1);
        return entry.kind === 'stages' ? entry.stages[0]!.identifier : '';
      });
    expect(names(['Check', 'Verify'])).toEqual(['Check', 'Check']);
    expect(names(['Verify', 'Check'])).toEqual(['Verify', 'Verify']);
  });

  it('settles names over every portal, so each module is unique and shared names agree', () => {
    const withPipelines = (list: readonly (readonly [number, string])[]): PipelinesData => ({
      types: [
        {
          kind: 'pipelines',
          entityTypeId: 2,
          pipelines: [pipeline(0, 'General', 'DEAL_STAGE', [], { isDefault: true }), ...list.map(([id, name]) => pipeline(id, name, undefined, []))],
        } satisfies OwnerTypeStages,
      ],
    });
    const { portals, idCarrying } = namePipelines([
      { ownerTypes: [deal], pipelines: withPipelines([[3, 'Sales']]) },
      { ownerTypes: [deal], pipelines: withPipelines([[5, 'sales'], [6, 'Sales']]) },
    ]);
    const ids = portals.map((p) => {
      const entry = only(p, 2);
      return entry.kind === 'pipelines' ? entry.pipelines.map((x) => x.identifier) : [];
    });
    // "Sales" is one pipeline on both portals (named with portal 0's ID); "sales" only exists on portal 1.
    expect(ids).toEqual([['Default', 'Sales3'], ['Default', 'Sales5', 'Sales3']]);
    expect(idCarrying.map(({ portal, categoryId }) => [portal, categoryId])).toEqual([[0, 3], [1, 5]]);
  });

  it('separates pipelines first seen on different portals under the same ID', () => {
    const withPipelines = (list: readonly (readonly [number, string | undefined])[]): PipelinesData => ({
      types: [{ kind: 'pipelines', entityTypeId: 2, pipelines: list.map(([id, name]) => pipeline(id, name, undefined, [])) }],
    });
    const { portals } = namePipelines([
      { ownerTypes: [deal], pipelines: withPipelines([[3, 'Sales'], [18, undefined]]) },
      { ownerTypes: [deal], pipelines: withPipelines([[3, 'sales'], [18, undefined], [20, 'Category 18']]) },
    ]);
    const ids = portals.map((p) => {
      const entry = only(p, 2);
      return entry.kind === 'pipelines' ? entry.pipelines.map((x) => [x.categoryId, x.identifier]) : [];
    });
    expect(ids).toEqual([
      [[3, 'Sales3'], [18, 'Category1818']],
      [[3, 'Sales3_p1'], [18, 'Category1818'], [20, 'Category1820']],
    ]);
  });
});
