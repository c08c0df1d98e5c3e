import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NamedOwnerType } from '../../src/model/owner-types.js';
import type { OwnerTypeStages, Pipeline, PipelinesData, Stage } from '../../src/model/portal.js';
import { isValidIdentifier } from '../../src/naming/identifiers.js';
import { namePipelines, type NamedPipelines } from '../../src/naming/name-pipelines.js';

const OWNER_TYPES: NamedOwnerType[] = [
  { id: 1, identifier: 'Lead', symbolCode: 'LEAD', shortCode: 'L', name: 'Lead', isSpa: false },
  { id: 2, identifier: 'Deal', symbolCode: 'DEAL', shortCode: 'D', name: 'Deal', isSpa: false },
  { id: 177, identifier: 'Purchase', symbolCode: 'DYNAMIC_177', shortCode: 'Tb1', name: 'Purchase', isSpa: true },
];

/** Names of every kind, weighted towards ones that collide with each other, with `Default` and with fallbacks. */
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 16 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ maxLength: 8 }),
  fc.constantFrom('Sales', 'sales', 'SALES', 'Default', 'default', 'Category 3', 'Won', 'New', 'Infinity', '__proto__', '', '🚀', 'Продажи', '1', '2 x'),
);

const code = fc.oneof(
  fc.constantFrom('NEW', 'WON', 'LOSE', 'IN_PROCESS', 'PREPARATION', 'N', 'S', 'P', 'D', 'INFINITY', 'new', 'A-B', 'A_B', 'AB'),
  fc.stringMatching(/^UC_[A-Z0-9]{6}$/),
  fc.integer({ min: 0, max: 40 }).map(String),
  fc.stringMatching(/^[0-9A-Za-z_-]{1,8}$/),
  fc.string({ minLength: 1, maxLength: 6 }),
);

const stageRows = fc.uniqueArray(fc.tuple(code, text), { selector: ([c]) => c, maxLength: 12 });

function toStages(prefix: string | undefined, rows: readonly (readonly [string, string])[]): Stage[] {
  return rows.map(([c, name], index) => ({
    statusId: prefix === undefined ? c : `${prefix}:${c}`,
    code: c,
    name,
    sort: index * 10,
    rowId: index,
    semantics: 'process',
  }));
}

const pipelines = (entityTypeId: number) =>
  fc
    .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.option(text, { nil: undefined }), stageRows), {
      selector: ([id]) => id,
      minLength: 1,
      maxLength: 8,
    })
    .chain((list) =>
      fc.integer({ min: -1, max: list.length - 1 }).map((defaultIndex): OwnerTypeStages => ({
        kind: 'pipelines',
        entityTypeId,
        pipelines: list
          .map(([id, name, rows], index): Pipeline => ({
            categoryId: id,
            name,
            sort: 0,
            isDefault: index === defaultIndex,
            readable: true,
            statusEntityId: `S_${id}`,
            stages: toStages(entityTypeId === 2 ? `C${id}` : `DT${entityTypeId}_${id}`, rows),
          }))
          .sort((a, b) => a.categoryId - b.categoryId),
      })),
    );

const portal: fc.Arbitrary<PipelinesData> = fc
  .tuple(stageRows, pipelines(2), pipelines(177))
  .map(([leadRows, deals, spa]) => ({
    types: [{ kind: 'stages', entityTypeId: 1, statusEntityId: 'STATUS', stages: toStages(undefined, leadRows) }, deals, spa],
  }));

/** The same data with every list in another order. */
function shuffled(data: PipelinesData): fc.Arbitrary<PipelinesData> {
  const shuffle = <T>(list: readonly T[]) => fc.shuffledSubarray([...list], { minLength: list.length, maxLength: list.length });
  return fc
    .tuple(
      shuffle(data.types),
      fc.tuple(...data.types.map((entry) => (entry.kind === 'stages' ? shuffle(entry.stages) : shuffle(entry.pipelines)))),
    )
    .map(([types]) => ({ types }))
    .chain(({ types }) =>
      fc.tuple(
        ...types.map((entry): fc.Arbitrary<OwnerTypeStages> =>
          entry.kind === 'stages'
            ? shuffle(entry.stages).map((list) => ({ ...entry, stages: list }))
            : shuffle(entry.pipelines)
                .chain((list) => fc.tuple(...list.map((p) => shuffle(p.stages).map((s) => ({ ...p, stages: s })))))
                .map((list) => ({ ...entry, pipelines: list })),
        ),
      ),
    )
    .map((types) => ({ types }));
}

/** Every identifier, keyed by what it names: `Deal 3` for a pipeline, `Deal C3:WON` for a stage. */
function identifiers(named: NamedPipelines): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of named.types) {
    const owner = entry.ownerType.identifier;
    const stageLists = entry.kind === 'stages' ? [entry.stages] : entry.pipelines.map((p) => p.stages);
    if (entry.kind === 'pipelines') for (const p of entry.pipelines) map.set(`${owner} ${p.categoryId}`, p.identifier);
    for (const list of stageLists) for (const s of list) map.set(`${owner} ${s.statusId}`, s.identifier);
  }
  return map;
}

function checkModule(named: NamedPipelines): void {
  for (const entry of named.types) {
    const scopes = entry.kind === 'stages' ? [entry.stages] : [entry.pipelines, ...entry.pipelines.map((p) => p.stages)];
    for (const scope of scopes) {
      const names = scope.map((item) => item.identifier);
      for (const name of names) expect(isValidIdentifier(name), name).toBe(true);
      expect(new Set(names).size).toBe(names.length);
    }
    if (entry.kind === 'pipelines') {
      const firstDefault = entry.pipelines.find((p) => p.isDefault);
      for (const p of entry.pipelines) expect(p.identifier === 'Default').toBe(p === firstDefault);
    }
  }
}

describe('pipeline and stage naming properties', () => {
  it('any names and codes give valid identifiers, unique in each scope, Default only for the default', () => {
    fc.assert(
      fc.property(portal, (data) => {
        checkModule(namePipelines([{ ownerTypes: OWNER_TYPES, pipelines: data }]).portals[0]!);
      }),
      { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 300) },
    );
  });

  it('identifiers do not depend on the order of owner types, pipelines or stages', () => {
    fc.assert(
      fc.property(
        portal.chain((data) => fc.tuple(fc.constant(data), shuffled(data))),
        ([data, other]) => {
          const a = identifiers(namePipelines([{ ownerTypes: OWNER_TYPES, pipelines: data }]).portals[0]!);
          const b = identifiers(namePipelines([{ ownerTypes: [...OWNER_TYPES].reverse(), pipelines: other }]).portals[0]!);
          expect(b).toEqual(a);
        },
      ),
      { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 200) },
    );
  });

  it('several portals: every module is valid and unique, and a stage code names the same stage everywhere', () => {
    fc.assert(
      fc.property(fc.array(portal, { minLength: 2, maxLength: 3 }), (list) => {
        const { portals } = namePipelines(list.map((pipelines) => ({ ownerTypes: OWNER_TYPES, pipelines })));
        portals.forEach(checkModule);
        // Leads have no pipelines: the same code must give the same identifier on every portal.
        const leadNames = new Map<string, string>();
        for (const named of portals) {
          const entry = named.types.find((type) => type.ownerType.id === 1);
          if (entry?.kind !== 'stages') continue;
          for (const stage of entry.stages) {
            const seen = leadNames.get(stage.code);
            if (seen !== undefined) expect(stage.identifier).toBe(seen);
            leadNames.set(stage.code, stage.identifier);
          }
        }
        // The default pipelines are matched by their flag: the same stage code names the same stage in each.
        const defaultNames = new Map<string, string>();
        for (const named of portals) {
          const entry = named.types.find((type) => type.ownerType.id === 2);
          const p = entry?.kind === 'pipelines' ? entry.pipelines.find((x) => x.identifier === 'Default') : undefined;
          for (const stage of p?.stages ?? []) {
            const seen = defaultNames.get(stage.code);
            if (seen !== undefined) expect(stage.identifier).toBe(seen);
            defaultNames.set(stage.code, stage.identifier);
          }
        }
      }),
      { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 150) },
    );
  });
});
