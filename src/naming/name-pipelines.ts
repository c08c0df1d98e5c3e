import transliterate from '@sindresorhus/transliterate';
import type { NamedOwnerType } from '../model/owner-types.js';
import type { Pipeline, PipelinesData, Stage } from '../model/portal.js';
import { isValidIdentifier, toPascalCase } from './identifiers.js';
import { settle } from './settle.js';

/**
 * Identifiers for pipelines (per owner type) and stages (per pipeline, or per owner type without pipelines).
 *
 * Names are settled over every portal of a run at once, so the same pipeline or stage has the same identifier
 * in every portal's module: pipelines match by the default flag, else by name; stages by the code after the
 * pipeline prefix. Owner types match by their identifier, which the owner-type naming has already settled
 * across portals. Where names differ, the first portal in the list names the thing.
 */

/** One portal's input: its owner types with their identifiers, and its pipelines and stages. */
export interface PortalPipelines {
  /** Every owner type of the portal that `pipelines` mentions, with its identifier. */
  readonly ownerTypes: readonly NamedOwnerType[];
  readonly pipelines: PipelinesData;
}

export interface NamedStage extends Stage {
  /** The key in `Stage.<OwnerType>.<Pipeline>` (or `Stage.<OwnerType>`): `Won`, `InProcess`. */
  readonly identifier: string;
}

export interface NamedPipeline extends Omit<Pipeline, 'stages'> {
  /** The key in `Category.<OwnerType>` and `Stage.<OwnerType>`: `Default`, `Wholesale`, `Category9`. */
  readonly identifier: string;
  readonly stages: readonly NamedStage[];
}

export type NamedOwnerTypeStages =
  | {
      readonly kind: 'pipelines';
      readonly ownerType: NamedOwnerType;
      /** Sorted by category ID. */
      readonly pipelines: readonly NamedPipeline[];
    }
  | {
      readonly kind: 'stages';
      readonly ownerType: NamedOwnerType;
      readonly statusEntityId: string;
      /** In the portal's order. */
      readonly stages: readonly NamedStage[];
    };

/** One portal's pipelines and stages with their identifiers. */
export interface NamedPipelines {
  /** Sorted by entity type ID. */
  readonly types: readonly NamedOwnerTypeStages[];
}

/**
 * A pipeline identifier that carries a portal's category ID (`Category9`, `Sales3`): it differs from portal
 * to portal, so code written against it breaks on the next portal. Worth a warning.
 */
export interface IdCarryingName {
  /** Index of the portal whose category ID the identifier carries (the first portal that has the pipeline). */
  readonly portal: number;
  readonly ownerType: string;
  readonly entityTypeId: number;
  readonly categoryId: number;
  /** The pipeline's name on that portal; `undefined` when the portal does not say it. */
  readonly name: string | undefined;
  readonly identifier: string;
  /** `unnamed`: nothing usable in the name (or no name); `collision`: the ID was appended to make it unique. */
  readonly reason: 'unnamed' | 'collision';
}

export interface PipelineNames {
  /** Index for index with the portals given. */
  readonly portals: readonly NamedPipelines[];
  /** Sorted by owner type identifier, then category ID. */
  readonly idCarrying: readonly IdCarryingName[];
}

/** The default pipeline's identifier in every owner type. */
const DEFAULT_PIPELINE = 'Default';

/** Codes the portal makes up for stages users add: `UC_` and six random characters. */
const USER_STAGE_CODE = /^UC_[A-Z0-9]{6}$/i;
/** Codes of stages added on older cores: a counter. */
const NUMERIC_CODE = /^[0-9]+$/;

/** Transliterated ASCII PascalCase, as SPA titles are named; can be empty or start with a digit. */
function pascalFromText(text: string): string {
  // NFKC first, as for SPA titles: compatibility forms become letters and digits rather than separators.
  return toPascalCase(transliterate(text.normalize('NFKC')));
}

/**
 * A stage code in identifier characters, reversibly: letters, digits and `_` stay, anything else becomes
 * `$` and six hex digits. Reversible so that two codes never give the same suffix, which no number of
 * collision rounds could separate (`A-B` and `A_B`).
 */
export function codeForIdentifier(code: string): string {
  let result = '';
  for (const char of code) {
    result += /^[A-Za-z0-9_]$/.test(char) ? char : `$${char.codePointAt(0)!.toString(16).toUpperCase().padStart(6, '0')}`;
  }
  return result;
}

/** A name that starts with a digit gets a word in front, as SPA titles get `Spa`. */
function withLeadingLetter(name: string, word: string): string {
  return /^[0-9]/.test(name) ? `${word}${name}` : name;
}

interface Derived {
  readonly name: string;
  /** Nothing usable was left of the portal's name: the fallback carries an ID. */
  readonly unnamed: boolean;
}

function pipelineCandidate(name: string | undefined, categoryId: number): Derived {
  const pascal = name === undefined ? '' : pascalFromText(name);
  if (pascal === '') return { name: `Category${categoryId}`, unnamed: true };
  return { name: withLeadingLetter(pascal, 'Pipeline'), unnamed: false };
}

/**
 * A stage's name before collisions: from its code after the prefix, except codes the portal made up
 * (`UC_…`) and counters (`1`), which are named from the stage's NAME. When the NAME gives nothing usable,
 * the code itself stands in: `UC_Q9J6VV` as it is (it is an identifier already), `1` as `Stage1` —
 * readable, and as stable across portals as the code.
 */
export function stageCandidate(code: string, name: string): string {
  const fromName = USER_STAGE_CODE.test(code) || NUMERIC_CODE.test(code);
  const primary = fromName ? pascalFromText(name) : toPascalCase(code);
  if (primary !== '') return withLeadingLetter(primary, 'Stage');
  const encoded = codeForIdentifier(code);
  if (encoded !== '' && /^[A-Za-z]/.test(encoded) && isValidIdentifier(encoded)) return encoded;
  return `Stage${/^[A-Za-z]/.test(encoded) ? '_' : ''}${encoded}`;
}

/** The suffix a stage gets when its name collides: `_` and its code (`Won_UC_AB12CD`, `Proverka_1`). */
function stageSuffix(code: string): string {
  return `_${codeForIdentifier(code)}`;
}

/** Settles candidates whose derived name may be unusable: an unusable name gets its suffix, like a collision. */
function settleValid(candidates: readonly { name: string; suffix: string }[], taken?: ReadonlySet<string>): string[] {
  return settle(
    candidates.map(({ name, suffix }) => ({ name: isValidIdentifier(name) ? name : `${name}${suffix}`, suffix })),
    taken,
  );
}

interface StageGroup {
  readonly code: string;
  /** The stage of the first portal that has this code: it names the group. */
  readonly first: Stage;
  identifier: string;
}

interface PipelineGroup {
  readonly key: string;
  readonly isDefault: boolean;
  /** The first portal that has this pipeline, and its pipeline: they name the group. */
  readonly portal: number;
  readonly first: Pipeline;
  readonly stages: Map<string, StageGroup>;
  identifier: string;
}

interface OwnerScope {
  readonly identifier: string;
  readonly entityTypeId: number;
  readonly pipelines: Map<string, PipelineGroup>;
  /** Stages of a type without pipelines. */
  readonly stages: Map<string, StageGroup>;
}

/** Keys that match a portal's pipelines of one owner type with the other portals' pipelines. */
function pipelineKeys(pipelines: readonly Pipeline[]): Map<Pipeline, { key: string; isDefault: boolean }> {
  const keys = new Map<Pipeline, { key: string; isDefault: boolean }>();
  const sorted = [...pipelines].sort((a, b) => a.categoryId - b.categoryId);
  // The model gives one default pipeline per type; should a portal flag two, the lowest ID is the default.
  const defaultPipeline = sorted.find((pipeline) => pipeline.isDefault);
  const seen = new Map<string, number>();
  for (const pipeline of sorted) {
    if (pipeline === defaultPipeline) {
      keys.set(pipeline, { key: 'default', isDefault: true });
    } else if (pipeline.name === undefined) {
      // Without a name only the ID is left to match by; it gives the same `Category<ID>` anyway.
      keys.set(pipeline, { key: `unnamed:${pipeline.categoryId}`, isDefault: false });
    } else {
      // Two pipelines of one name on one portal stay two: the n-th of a name matches the n-th elsewhere.
      const occurrence = seen.get(pipeline.name) ?? 0;
      seen.set(pipeline.name, occurrence + 1);
      keys.set(pipeline, { key: `name:${occurrence}:${pipeline.name}`, isDefault: false });
    }
  }
  return keys;
}

/**
 * What each pipeline of one owner type gets appended on a collision: its category ID on the first portal
 * that has it. IDs are unique on one portal, but pipelines first seen on different portals may share one
 * (`Sales` with ID 3 on the first, `sales` with ID 3 on the second); equal suffixes could never separate
 * them, so every such pipeline but the first portal's gets its portal's number too (`3_p1`).
 */
function pipelineSuffixes(groups: readonly PipelineGroup[]): string[] {
  const firstPortal = new Map<number, number>();
  for (const { first, portal } of groups) {
    firstPortal.set(first.categoryId, Math.min(portal, firstPortal.get(first.categoryId) ?? portal));
  }
  return groups.map(({ first, portal }) =>
    firstPortal.get(first.categoryId) === portal ? String(first.categoryId) : `${first.categoryId}_p${portal}`,
  );
}

function addStages(groups: Map<string, StageGroup>, stages: readonly Stage[]): void {
  for (const stage of stages) {
    if (!groups.has(stage.code)) groups.set(stage.code, { code: stage.code, first: stage, identifier: '' });
  }
}

function settleStages(groups: Map<string, StageGroup>): void {
  const list = [...groups.values()];
  const names = settleValid(list.map(({ code, first }) => ({ name: stageCandidate(code, first.name), suffix: stageSuffix(code) })));
  list.forEach((group, index) => (group.identifier = names[index]!));
}

/**
 * Names the pipelines and stages of one or more portals. Each portal's result keeps its data as given and
 * adds identifiers; the identifiers depend on the set of pipelines and stages, never on their order.
 */
export function namePipelines(portals: readonly PortalPipelines[]): PipelineNames {
  const scopes = new Map<string, OwnerScope>();
  const resolved = portals.map((portal, index) => {
    const byId = new Map(portal.ownerTypes.map((type) => [type.id, type]));
    return portal.pipelines.types.map((entry) => {
      const ownerType = byId.get(entry.entityTypeId);
      if (ownerType === undefined) {
        throw new Error(`Pipelines of entity type ${entry.entityTypeId} belong to no owner type of portal ${index}.`);
      }
      const scopeKey = `${entry.kind}:${ownerType.identifier}`;
      let scope = scopes.get(scopeKey);
      if (scope === undefined) {
        scope = { identifier: ownerType.identifier, entityTypeId: ownerType.id, pipelines: new Map(), stages: new Map() };
        scopes.set(scopeKey, scope);
      }
      if (entry.kind === 'stages') {
        addStages(scope.stages, entry.stages);
        return { entry, ownerType, scope, keys: undefined };
      }
      const keys = pipelineKeys(entry.pipelines);
      for (const pipeline of entry.pipelines) {
        const { key, isDefault } = keys.get(pipeline)!;
        let group = scope.pipelines.get(key);
        if (group === undefined) {
          group = { key, isDefault, portal: index, first: pipeline, stages: new Map(), identifier: '' };
          scope.pipelines.set(key, group);
        }
        addStages(group.stages, pipeline.stages);
      }
      return { entry, ownerType, scope, keys };
    });
  });

  const idCarrying: IdCarryingName[] = [];
  for (const scope of scopes.values()) {
    settleStages(scope.stages);
    const named = [...scope.pipelines.values()].filter((group) => !group.isDefault);
    const derived = named.map((group) => pipelineCandidate(group.first.name, group.first.categoryId));
    const suffixes = pipelineSuffixes(named);
    const names = settleValid(
      derived.map(({ name }, index) => ({ name, suffix: suffixes[index]! })),
      new Set([DEFAULT_PIPELINE]),
    );
    named.forEach((group, index) => {
      group.identifier = names[index]!;
      const { name, unnamed } = derived[index]!;
      if (unnamed || group.identifier !== name) {
        idCarrying.push({
          portal: group.portal,
          ownerType: scope.identifier,
          entityTypeId: scope.entityTypeId,
          categoryId: group.first.categoryId,
          name: group.first.name,
          identifier: group.identifier,
          reason: unnamed && group.identifier === name ? 'unnamed' : 'collision',
        });
      }
    });
    for (const group of scope.pipelines.values()) {
      if (group.isDefault) group.identifier = DEFAULT_PIPELINE;
      settleStages(group.stages);
    }
  }
  idCarrying.sort((a, b) => (a.ownerType < b.ownerType ? -1 : a.ownerType > b.ownerType ? 1 : a.categoryId - b.categoryId));

  const nameStages = (groups: Map<string, StageGroup>, stages: readonly Stage[]): NamedStage[] =>
    stages.map((stage) => ({ ...stage, identifier: groups.get(stage.code)!.identifier }));

  return {
    portals: resolved.map((entries) => ({
      types: entries.map(({ entry, ownerType, scope, keys }): NamedOwnerTypeStages => {
        if (entry.kind === 'stages') {
          return {
            kind: 'stages',
            ownerType,
            statusEntityId: entry.statusEntityId,
            stages: nameStages(scope.stages, entry.stages),
          };
        }
        return {
          kind: 'pipelines',
          ownerType,
          pipelines: entry.pipelines.map((pipeline) => {
            const group = scope.pipelines.get(keys!.get(pipeline)!.key)!;
            return { ...pipeline, identifier: group.identifier, stages: nameStages(group.stages, pipeline.stages) };
          }),
        };
      }),
    })),
    idCarrying,
  };
}
