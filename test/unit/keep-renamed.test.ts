import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NamedOwnerType } from '../../src/model/owner-types.js';
import type { PipelinesData } from '../../src/model/portal.js';
import {
  NO_PREVIOUS_IDENTIFIERS,
  keepRenamed,
  type KeepRenamedNote,
  type PreviousIdentifiers,
} from '../../src/naming/keep-renamed.js';
import { namePipelines } from '../../src/naming/name-pipelines.js';
import { pipeline, stages } from '../golden/pipelines/portals.js';

const system = (id: number, identifier: string): NamedOwnerType => ({ id, identifier, symbolCode: identifier.toUpperCase(), shortCode: '', name: identifier, isSpa: false });
const spa = (id: number, identifier: string): NamedOwnerType => ({ id, identifier, symbolCode: `DYNAMIC_${id}`, shortCode: '', name: identifier, isSpa: true });

/** Deals with pipelines 0 and 3, leads with stages, SPA 156 with one pipeline. */
function portal(names: { spa156?: string; spa190?: string; pipeline3?: string; dealStage?: string; leadStage?: string } = {}) {
  const types = [system(1, 'Lead'), system(2, 'Deal'), spa(156, names.spa156 ?? 'Purchase'), spa(190, names.spa190 ?? 'Tools')];
  const data: PipelinesData = {
    types: [
      { kind: 'stages', entityTypeId: 1, statusEntityId: 'STATUS', stages: stages(undefined, [['NEW', 'New'], ['UC_AAAAAA', names.leadStage ?? 'Callback']]) },
      {
        kind: 'pipelines',
        entityTypeId: 2,
        pipelines: [
          pipeline(0, 'General', 'DEAL_STAGE', stages(undefined, [['NEW', 'New'], ['WON', 'Won', 'S']]), { isDefault: true }),
          pipeline(3, names.pipeline3 ?? 'Wholesale', 'DEAL_STAGE_3', stages('C3', [['NEW', 'New'], ['UC_BBBBBB', names.dealStage ?? 'Signed']])),
        ],
      },
      { kind: 'pipelines', entityTypeId: 156, pipelines: [pipeline(7, 'General', 'DYNAMIC_156_STAGE_7', stages('DT156_7', [['NEW', 'Start']]), { isDefault: true })] },
    ],
  };
  return { types, pipelines: namePipelines([{ ownerTypes: types, pipelines: data }]).portals[0]! };
}

/** What a module of this portal records, as emit/read-generated-module.ts reads it. */
function recorded(current: ReturnType<typeof portal>): PreviousIdentifiers {
  const deal = current.pipelines.types.find((entry) => entry.ownerType.id === 2)!;
  const lead = current.pipelines.types.find((entry) => entry.ownerType.id === 1)!;
  const purchase = current.pipelines.types.find((entry) => entry.ownerType.id === 156)!;
  if (deal.kind !== 'pipelines' || lead.kind !== 'stages' || purchase.kind !== 'pipelines') throw new Error('fixture');
  const owner = (type: NamedOwnerType) => ({ identifier: type.identifier, id: type.id });
  return {
    entityTypeId: current.types.map(owner),
    spa: current.types.filter((type) => type.isSpa).map(owner),
    categoryOwners: [owner(deal.ownerType), owner(purchase.ownerType)],
    pipelines: [...deal.pipelines, ...purchase.pipelines].map((p) => ({ entityTypeId: p.statusEntityId === 'DEAL_STAGE' || p.statusEntityId === 'DEAL_STAGE_3' ? 2 : 156, identifier: p.identifier, categoryId: p.categoryId })),
    stageOwners: [owner(lead.ownerType), owner(deal.ownerType), owner(purchase.ownerType)],
    stages: [
      ...lead.stages.map((s) => ({ entityTypeId: 1, identifier: s.identifier, statusId: s.statusId })),
      ...deal.pipelines.flatMap((p) => p.stages.map((s) => ({ entityTypeId: 2, identifier: s.identifier, statusId: s.statusId }))),
      ...purchase.pipelines.flatMap((p) => p.stages.map((s) => ({ entityTypeId: 156, identifier: s.identifier, statusId: s.statusId }))),
    ],
    unreadable: [],
  };
}

describe('keepRenamed', () => {
  it('keeps nothing without an existing module, or when nothing was renamed', () => {
    const now = portal();
    expect(keepRenamed(NO_PREVIOUS_IDENTIFIERS, now)).toEqual({
      aliases: { entityTypeId: [], spa: [], categoryOwners: [], pipelines: [], stageOwners: [], stages: [] },
      notes: [],
    });
    expect(keepRenamed(recorded(now), now).notes).toEqual([]);
  });

  it('keeps the old name of a renamed SPA, pipeline and stage in every section, with full paths in the notes', () => {
    const before = recorded(portal());
    const now = portal({ spa156: 'Procurement', pipeline3: 'BulkSales', dealStage: 'Loading', leadStage: 'Recall' });
    const { aliases, notes } = keepRenamed(before, now);
    expect(aliases).toEqual({
      entityTypeId: [{ id: 156, identifier: 'Purchase' }],
      spa: [{ id: 156, identifier: 'Purchase' }],
      categoryOwners: [{ id: 156, identifier: 'Purchase' }],
      pipelines: [{ entityTypeId: 2, categoryId: 3, identifier: 'Wholesale' }],
      stageOwners: [{ id: 156, identifier: 'Purchase' }],
      stages: [
        { entityTypeId: 1, statusId: 'UC_AAAAAA', identifier: 'Callback' },
        { entityTypeId: 2, statusId: 'C3:UC_BBBBBB', identifier: 'Signed' },
      ],
    });
    expect(notes).toEqual<KeepRenamedNote[]>([
      { kind: 'kept', alias: 'Category.Deal.Wholesale', renamedTo: 'Category.Deal.BulkSales' },
      { kind: 'kept', alias: 'Category.Purchase', renamedTo: 'Category.Procurement' },
      { kind: 'kept', alias: 'EntityTypeId.Purchase', renamedTo: 'EntityTypeId.Procurement' },
      { kind: 'kept', alias: 'Spa.Purchase', renamedTo: 'Spa.Procurement' },
      { kind: 'kept', alias: 'Stage.Deal.BulkSales.Signed', renamedTo: 'Stage.Deal.BulkSales.Loading' },
      { kind: 'kept', alias: 'Stage.Lead.Callback', renamedTo: 'Stage.Lead.Recall' },
      { kind: 'kept', alias: 'Stage.Purchase', renamedTo: 'Stage.Procurement' },
    ]);
  });

  it('counts the deprecated aliases of the existing module as previous names: a second rename keeps both', () => {
    const first = recorded(portal());
    const withAlias: PreviousIdentifiers = {
      ...recorded(portal({ spa156: 'Procurement' })),
      entityTypeId: [...recorded(portal({ spa156: 'Procurement' })).entityTypeId, ...first.entityTypeId.filter((m) => m.id === 156)],
    };
    const { aliases } = keepRenamed(withAlias, portal({ spa156: 'Sourcing' }));
    expect(aliases.entityTypeId).toEqual([
      { id: 156, identifier: 'Procurement' },
      { id: 156, identifier: 'Purchase' },
    ]);
  });

  it('drops an old name that is live now (the live one wins) and says so; an old name of a vanished ID is silently gone', () => {
    // Two SPAs swap titles: each old name is the other's live name now.
    const { aliases, notes } = keepRenamed(recorded(portal()), portal({ spa156: 'Tools', spa190: 'Purchase' }));
    expect(aliases.entityTypeId).toEqual([]);
    expect(aliases.spa).toEqual([]);
    expect(notes).toContainEqual({ kind: 'collision', alias: 'EntityTypeId.Purchase', renamedTo: 'EntityTypeId.Tools', takenBy: 'EntityTypeId.Purchase' });
    expect(notes).toContainEqual({ kind: 'collision', alias: 'Spa.Tools', renamedTo: 'Spa.Purchase', takenBy: 'EntityTypeId.Tools' });

    const gone = recorded(portal());
    const now = portal();
    const without = { ...now, types: now.types.filter((type) => type.id !== 190) };
    expect(keepRenamed(gone, without).notes).toEqual([]);
  });

  it('keeps nothing of an unreadable section and says which; a hand edit that gives one name two values keeps neither', () => {
    const before: PreviousIdentifiers = {
      ...recorded(portal()),
      stages: [],
      stageOwners: [],
      unreadable: ['Stage'],
      entityTypeId: [...recorded(portal()).entityTypeId, { identifier: 'Old', id: 156 }, { identifier: 'Old', id: 190 }, { identifier: 'class', id: 190 }],
    };
    const { aliases, notes } = keepRenamed(before, portal({ dealStage: 'Loading' }));
    expect(aliases.stages).toEqual([]);
    expect(aliases.entityTypeId).toEqual([]);
    expect(notes[0]).toEqual({ kind: 'unreadable', section: 'Stage' });
    expect(notes).toContainEqual({ kind: 'ambiguous', alias: 'EntityTypeId.Old', renamedTo: 'EntityTypeId.Purchase' });
    expect(notes).toContainEqual({ kind: 'unusable', alias: 'EntityTypeId.class', renamedTo: 'EntityTypeId.Tools' });
  });
});

describe('keepRenamed, properties', () => {
  const identifier = fc.constantFrom('Purchase', 'Procurement', 'Tools', 'Lead', 'Deal', 'Default', 'Wholesale', 'Signed', 'New', 'Won', 'Old', 'class', 'X1');
  const previous = fc.record({
    entityTypeId: fc.array(fc.record({ identifier, id: fc.constantFrom(1, 2, 156, 190, 999) }), { maxLength: 10 }),
    spa: fc.array(fc.record({ identifier, id: fc.constantFrom(156, 190, 999) }), { maxLength: 6 }),
    categoryOwners: fc.array(fc.record({ identifier, id: fc.constantFrom(2, 156) }), { maxLength: 4 }),
    pipelines: fc.array(fc.record({ entityTypeId: fc.constantFrom(2, 156), identifier, categoryId: fc.constantFrom(0, 3, 7, 8) }), { maxLength: 8 }),
    stageOwners: fc.array(fc.record({ identifier, id: fc.constantFrom(1, 2, 156) }), { maxLength: 4 }),
    stages: fc.array(
      fc.record({ entityTypeId: fc.constantFrom(1, 2, 156), identifier, statusId: fc.constantFrom('NEW', 'WON', 'UC_AAAAAA', 'C3:NEW', 'C3:UC_BBBBBB', 'DT156_7:NEW') }),
      { maxLength: 12 },
    ),
    unreadable: fc.constant([]),
  });
  const names = fc.record({
    spa156: fc.constantFrom('Purchase', 'Procurement', 'Tools'),
    spa190: fc.constantFrom('Tools', 'Purchase', 'Kit'),
    pipeline3: fc.constantFrom('Wholesale', 'BulkSales', 'Signed'),
    dealStage: fc.constantFrom('Signed', 'Loading', 'New'),
    leadStage: fc.constantFrom('Callback', 'Recall'),
  }).filter((n) => n.spa156 !== n.spa190);
  const shuffled = <T>(list: readonly T[], seed: number): T[] => [...list].map((item, i) => ({ item, key: (i * 7919 + seed) % 101 })).sort((a, b) => a.key - b.key).map(({ item }) => item);

  it('never gives an alias that collides with a live identifier or another alias of its scope, and depends on no order', () => {
    fc.assert(
      fc.property(previous, names, fc.integer({ min: 0, max: 100 }), (before, n, seed) => {
        const now = portal(n);
        const result = keepRenamed(before, now);
        const live = new Set(now.types.map((type) => type.identifier));
        const { aliases } = result;
        for (const list of [aliases.entityTypeId, aliases.spa, aliases.categoryOwners, aliases.stageOwners]) {
          const seen = new Set<string>();
          for (const alias of list) {
            expect(live.has(alias.identifier)).toBe(false);
            expect(seen.has(alias.identifier)).toBe(false);
            seen.add(alias.identifier);
          }
        }
        for (const alias of aliases.pipelines) {
          const entry = now.pipelines.types.find((e) => e.ownerType.id === alias.entityTypeId);
          expect(entry?.kind === 'pipelines' && entry.pipelines.some((p) => p.identifier === alias.identifier)).toBe(false);
        }
        const byScope = new Map<string, Set<string>>();
        for (const alias of aliases.stages) {
          const entry = now.pipelines.types.find((e) => e.ownerType.id === alias.entityTypeId)!;
          const scope = entry.kind === 'stages' ? entry.stages : entry.pipelines.find((p) => p.stages.some((s) => s.statusId === alias.statusId))!.stages;
          expect(scope.some((s) => s.identifier === alias.identifier)).toBe(false);
          const key = `${alias.entityTypeId} ${scope[0]!.statusId}`;
          const seen = byScope.get(key) ?? new Set<string>();
          expect(seen.has(alias.identifier)).toBe(false);
          byScope.set(key, seen.add(alias.identifier));
        }
        const reordered: PreviousIdentifiers = {
          ...before,
          entityTypeId: shuffled(before.entityTypeId, seed),
          spa: shuffled(before.spa, seed),
          categoryOwners: shuffled(before.categoryOwners, seed),
          pipelines: shuffled(before.pipelines, seed),
          stageOwners: shuffled(before.stageOwners, seed),
          stages: shuffled(before.stages, seed),
        };
        expect(keepRenamed(reordered, { types: shuffled(now.types, seed), pipelines: now.pipelines })).toEqual(result);
        expect(keepRenamed(before, now)).toEqual(result);
      }),
      { numRuns: 300 },
    );
  });
});
