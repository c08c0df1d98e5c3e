import type { NamedOwnerType } from '../model/owner-types.js';
import { moduleIdentifierProblem } from './identifiers.js';
import type { NamedOwnerTypeStages, NamedPipelines } from './name-pipelines.js';

/**
 * Identifiers kept across renames. When an SPA, pipeline or stage keeps its ID but its new name gives
 * another identifier, the identifier the existing module gave it stays beside the new one, with the same
 * value, as a deprecated alias: consumer code keeps compiling and editors strike the old name through. The
 * existing module is the record, so its deprecated aliases count as previous identifiers too, and stay
 * until `--drop-deprecated`.
 *
 * Pure, and per module: the caller reads the existing module (emit/read-generated-module.ts) and passes
 * what it found with the newly named owner types and pipelines of one portal. The result depends on the
 * sets given, never on their order.
 */

/** A part of the module whose identifiers can be kept. */
export type ModuleSection = 'EntityTypeId' | 'Spa' | 'Category' | 'Stage';

/**
 * An identifier of `EntityTypeId`, `Spa`, or an owner-type key of `Category` or `Stage`, with its entity type
 * ID: one the existing module holds, or a deprecated alias to emit.
 */
export interface OwnerKey {
  readonly identifier: string;
  readonly id: number;
}

/** A pipeline key of `Category` (`Category.Deal.Wholesale` = 3, and in `Stage` for pipelines with stages), its owner type by ID. */
interface PipelineKey {
  readonly entityTypeId: number;
  readonly identifier: string;
  readonly categoryId: number;
}

/** A stage key of `Stage` (`Stage.Deal.Wholesale.Won` = `C3:WON`), its owner type by ID. Stage IDs are unique per owner type. */
interface StageKey {
  readonly entityTypeId: number;
  readonly identifier: string;
  readonly statusId: string;
}

/** Identifiers of a module, section by section. */
interface ModuleKeys {
  readonly entityTypeId: readonly OwnerKey[];
  readonly spa: readonly OwnerKey[];
  readonly categoryOwners: readonly OwnerKey[];
  readonly pipelines: readonly PipelineKey[];
  readonly stageOwners: readonly OwnerKey[];
  readonly stages: readonly StageKey[];
}

/** Everything the existing module names, live and deprecated alike. */
export interface PreviousIdentifiers extends ModuleKeys {
  /** Sections the module has but that could not be read (a hand edit, an older gen-ownertypes): nothing of them is kept. */
  readonly unreadable: readonly ModuleSection[];
}

/** What a run without an existing module starts from. */
export const NO_PREVIOUS_IDENTIFIERS: PreviousIdentifiers = {
  entityTypeId: [],
  spa: [],
  categoryOwners: [],
  pipelines: [],
  stageOwners: [],
  stages: [],
  unreadable: [],
};

/** The deprecated aliases of one module, each list sorted by its value, then identifier. */
export type DeprecatedAliases = ModuleKeys;

/** What became of a previous identifier that differs from the live one now. Paths are full: `Stage.Deal.Wholesale.Signed`. */
export type KeepRenamedNote =
  /** Kept as a deprecated alias of `renamedTo`. */
  | { readonly kind: 'kept'; readonly alias: string; readonly renamedTo: string }
  /** Not kept: the old name is live now for something else (`takenBy`), and the live one wins. */
  | { readonly kind: 'collision'; readonly alias: string; readonly renamedTo: string; readonly takenBy: string }
  /** Not kept: the existing module gives this old name to two different values (a hand edit). */
  | { readonly kind: 'ambiguous'; readonly alias: string; readonly renamedTo: string }
  /** Not kept: the old name cannot be an identifier of the module (a hand edit). */
  | { readonly kind: 'unusable'; readonly alias: string; readonly renamedTo: string }
  /** A section of the existing module could not be read: none of its old names is kept. */
  | { readonly kind: 'unreadable'; readonly section: ModuleSection };

export interface KeptRenames {
  readonly aliases: DeprecatedAliases;
  /** Sorted: unreadable sections first, then by alias path. */
  readonly notes: readonly KeepRenamedNote[];
}

/** What the module is now: one portal's named owner types and, unless `--no-pipelines`, its named pipelines. */
export interface CurrentIdentifiers {
  readonly types: readonly NamedOwnerType[];
  readonly pipelines?: NamedPipelines | undefined;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One place that holds identifiers: its live names, and what each candidate old name would stand for. */
interface Scope<V> {
  /** Where the scope is, for notes: `EntityTypeId`, `Category.Deal`, `Stage.Deal.Wholesale`. */
  readonly path: string;
  /** The owner type the scope belongs to (pipelines and stages). */
  readonly owner: number;
  /** Every identifier that is live in this scope, with the path of what it names. */
  readonly live: ReadonlyMap<string, string>;
  /** The live identifier of each value. */
  readonly byValue: ReadonlyMap<V, string>;
}

interface Candidate<V> {
  readonly scope: Scope<V>;
  readonly value: V;
  readonly identifier: string;
}

/**
 * The rule every section follows: an old name is kept when its value still exists under another live name,
 * the name is not live in the same scope (the live one wins), the existing module does not give it to two
 * values, and it is a usable identifier.
 */
function keepInScopes<V>(candidates: readonly Candidate<V>[], notes: KeepRenamedNote[]): Candidate<V>[] {
  const unique = new Map<string, Candidate<V>>();
  for (const candidate of candidates) {
    const live = candidate.scope.byValue.get(candidate.value);
    if (live === undefined || live === candidate.identifier) continue;
    unique.set(`${candidate.scope.path}\u0000${String(candidate.value)}\u0000${candidate.identifier}`, candidate);
  }
  const values = new Map<string, Set<V>>();
  for (const candidate of unique.values()) {
    const key = `${candidate.scope.path}\u0000${candidate.identifier}`;
    values.set(key, (values.get(key) ?? new Set<V>()).add(candidate.value));
  }
  const kept: Candidate<V>[] = [];
  for (const candidate of unique.values()) {
    const { scope, identifier, value } = candidate;
    const alias = `${scope.path}.${identifier}`;
    const renamedTo = `${scope.path}.${scope.byValue.get(value)!}`;
    const takenBy = scope.live.get(identifier);
    if (takenBy !== undefined) notes.push({ kind: 'collision', alias, renamedTo, takenBy });
    else if ((values.get(`${scope.path}\u0000${identifier}`)?.size ?? 0) > 1) notes.push({ kind: 'ambiguous', alias, renamedTo });
    else if (moduleIdentifierProblem(identifier) !== undefined) notes.push({ kind: 'unusable', alias, renamedTo });
    else {
      notes.push({ kind: 'kept', alias, renamedTo });
      kept.push(candidate);
    }
  }
  return kept;
}

function ownerScope(path: string, types: readonly NamedOwnerType[], allTypes: readonly NamedOwnerType[]): Scope<number> {
  return {
    path,
    owner: -1,
    // Owner-type keys are the identifiers of EntityTypeId in every section: a name live anywhere there is taken.
    live: new Map(allTypes.map((type) => [type.identifier, `EntityTypeId.${type.identifier}`])),
    byValue: new Map(types.map((type) => [type.id, type.identifier])),
  };
}

/** Whether the owner type has a key in `Stage` (see emit/sections/pipelines.ts). */
function hasStages(entry: NamedOwnerTypeStages): boolean {
  return entry.kind === 'stages' || entry.pipelines.some((pipeline) => pipeline.statusEntityId !== undefined);
}

const byIdThenName = <T extends { identifier: string }>(key: (item: T) => number | string) => (a: T, b: T) => {
  const ka = key(a);
  const kb = key(b);
  const byKey = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : compare(String(ka), String(kb));
  return byKey || compare(a.identifier, b.identifier);
};

/**
 * The deprecated aliases to emit beside the live identifiers, and a note on every previous identifier that
 * differs from the live one now (kept, or why not).
 */
export function keepRenamed(previous: PreviousIdentifiers, current: CurrentIdentifiers): KeptRenames {
  const notes: KeepRenamedNote[] = [];
  const types = current.types;
  const ownerAliases = (section: ModuleSection, scoped: readonly NamedOwnerType[], members: readonly OwnerKey[]): OwnerKey[] => {
    const scope = ownerScope(section, scoped, types);
    return keepInScopes(members.map(({ identifier, id }) => ({ scope, value: id, identifier })), notes)
      .map(({ value, identifier }) => ({ id: value, identifier }))
      .sort(byIdThenName((alias) => alias.id));
  };

  const entityTypeId = ownerAliases('EntityTypeId', types, previous.entityTypeId);
  const spa = ownerAliases('Spa', types.filter((type) => type.isSpa), previous.spa);

  const entries = current.pipelines?.types ?? [];
  const withPipelines = entries.flatMap((entry) => (entry.kind === 'pipelines' ? [entry] : []));
  const categoryOwners = ownerAliases('Category', withPipelines.map((entry) => entry.ownerType), previous.categoryOwners);
  const stageOwners = ownerAliases('Stage', entries.filter(hasStages).map((entry) => entry.ownerType), previous.stageOwners);

  const pipelineScopes = new Map<number, Scope<number>>();
  for (const entry of withPipelines) {
    const path = `Category.${entry.ownerType.identifier}`;
    pipelineScopes.set(entry.ownerType.id, {
      path,
      owner: entry.ownerType.id,
      live: new Map(entry.pipelines.map((pipeline) => [pipeline.identifier, `${path}.${pipeline.identifier}`])),
      byValue: new Map(entry.pipelines.map((pipeline) => [pipeline.categoryId, pipeline.identifier])),
    });
  }
  const pipelines = keepInScopes(
    previous.pipelines.flatMap(({ entityTypeId: id, identifier, categoryId }) => {
      const scope = pipelineScopes.get(id);
      return scope === undefined ? [] : [{ scope, value: categoryId, identifier }];
    }),
    notes,
  )
    .map(({ scope, value, identifier }) => ({ entityTypeId: scope.owner, categoryId: value, identifier }))
    .sort((a, b) => a.entityTypeId - b.entityTypeId || a.categoryId - b.categoryId || compare(a.identifier, b.identifier));

  // Stage IDs are unique within an owner type, so the owner type and the stage ID find the stage's scope.
  const scopeOfStage = new Map<string, Scope<string>>();
  const stageKey = (entityTypeId: number, statusId: string) => `${entityTypeId}\u0000${statusId}`;
  for (const entry of entries) {
    const lists =
      entry.kind === 'stages'
        ? [{ path: `Stage.${entry.ownerType.identifier}`, stages: entry.stages }]
        : entry.pipelines
            .filter((pipeline) => pipeline.statusEntityId !== undefined)
            .map((pipeline) => ({ path: `Stage.${entry.ownerType.identifier}.${pipeline.identifier}`, stages: pipeline.stages }));
    for (const { path, stages } of lists) {
      const scope: Scope<string> = {
        path,
        owner: entry.ownerType.id,
        live: new Map(stages.map((stage) => [stage.identifier, `${path}.${stage.identifier}`])),
        byValue: new Map(stages.map((stage) => [stage.statusId, stage.identifier])),
      };
      for (const stage of stages) scopeOfStage.set(stageKey(entry.ownerType.id, stage.statusId), scope);
    }
  }
  const stages = keepInScopes(
    previous.stages.flatMap(({ entityTypeId: id, identifier, statusId }) => {
      const scope = scopeOfStage.get(stageKey(id, statusId));
      return scope === undefined ? [] : [{ scope, value: statusId, identifier }];
    }),
    notes,
  )
    .map(({ scope, value, identifier }) => ({ entityTypeId: scope.owner, statusId: value, identifier }))
    .sort((a, b) => a.entityTypeId - b.entityTypeId || compare(a.statusId, b.statusId) || compare(a.identifier, b.identifier));

  const order = (note: KeepRenamedNote): string =>
    note.kind === 'unreadable' ? `0${note.section}` : `1${note.alias}\u0000${note.kind}\u0000${note.renamedTo}`;
  notes.push(...[...new Set(previous.unreadable)].map((section): KeepRenamedNote => ({ kind: 'unreadable', section })));
  notes.sort((a, b) => compare(order(a), order(b)));
  return { aliases: { entityTypeId, spa, categoryOwners, pipelines, stageOwners, stages }, notes };
}
