import { stringLiteral } from '../emit/literals.js';
import type { NamedPipelines } from '../naming/name-pipelines.js';
import type { DeprecatedAliases, OwnerKey } from '../naming/keep-renamed.js';
import type { NamedOwnerType } from '../model/owner-types.js';

/** One owner type as recorded in a module: enough to say what changed between two of them. */
export type ModuleEntry = NamedOwnerType;

// Titles are portal text: escaped the way the module escapes them, so none can garble a terminal.
const show = stringLiteral;
const kind = (entry: ModuleEntry) => (entry.isSpa ? 'SPA' : 'system type');

/**
 * The changes between the module on disk and the one the portal gives now, in the portal's terms: SPAs
 * added or removed, identifiers renamed, IDs moved (the same name under another ID, as between a dev and a
 * prod portal), titles changed, system types that appeared or vanished. Pure; one line per change.
 */
export function describeDrift(before: readonly ModuleEntry[], after: readonly ModuleEntry[], kept: readonly OwnerKey[] = []): string[] {
  const keptAs = new Set(kept.map((alias) => `${alias.id} ${alias.identifier}`));
  const lines: string[] = [];
  const beforeByCode = new Map(before.map((e) => [e.symbolCode, e]));
  const afterByCode = new Map(after.map((e) => [e.symbolCode, e]));
  const removed = before.filter((e) => !afterByCode.has(e.symbolCode));
  const added = after.filter((e) => !beforeByCode.has(e.symbolCode));

  for (const now of after) {
    const was = beforeByCode.get(now.symbolCode);
    if (was === undefined) continue;
    if (was.id !== now.id) lines.push(`ID moved: ${now.identifier} (${now.symbolCode}) ${was.id} → ${now.id}`);
    if (was.identifier !== now.identifier)
      lines.push(
        `renamed: ${was.identifier} → ${now.identifier} (${now.symbolCode}, ID ${now.id})${keptAs.has(`${now.id} ${was.identifier}`) ? ', kept as deprecated' : ''}`,
      );
    if (was.name !== now.name) lines.push(`title changed: ${now.identifier} (ID ${now.id}) ${show(was.name)} → ${show(now.name)}`);
    if (was.shortCode !== now.shortCode)
      lines.push(`short code changed: ${now.identifier} (ID ${now.id}) ${show(was.shortCode)} → ${show(now.shortCode)}`);
  }

  const addedByName = new Map(added.map((e) => [e.identifier, e]));
  const moved = new Set<ModuleEntry>();
  for (const was of removed) {
    const now = addedByName.get(was.identifier);
    if (now === undefined || now.isSpa !== was.isSpa) continue;
    moved.add(was).add(now);
    lines.push(`ID moved: ${now.identifier} ${was.id} → ${now.id} (${was.symbolCode} → ${now.symbolCode})`);
  }
  for (const was of removed) {
    if (!moved.has(was)) lines.push(`${kind(was)} removed: ${was.identifier} = ${was.id} (${was.symbolCode}, ${show(was.name)})`);
  }
  for (const now of added) {
    if (!moved.has(now)) lines.push(`${kind(now)} added: ${now.identifier} = ${now.id} (${now.symbolCode}, ${show(now.name)})`);
  }
  return lines;
}

/**
 * One member of `Category` or `Stage`, as a module records it: where it is (`Category.Deal.Wholesale`,
 * `Stage.Deal.Wholesale.Won`, `Stage.Lead.Converted`) and its value (the category ID as text, or the stage ID).
 */
export interface PipelineEntry {
  readonly kind: 'pipeline' | 'stage';
  /** The owner type's identifier. */
  readonly ownerType: string;
  /** The pipeline's identifier, for stages of types with pipelines. */
  readonly pipeline?: string | undefined;
  readonly identifier: string;
  readonly value: string;
  /** Reached through a deprecated alias (its own key, its pipeline's or its owner type's). */
  readonly deprecated?: boolean;
}

/**
 * The entries of a module about to be written, from the named pipelines; with `deprecated`, also every
 * path its aliases keep (marked), as emit/sections/pipelines.ts writes them.
 */
export function pipelineEntries(named: NamedPipelines, deprecated?: DeprecatedAliases): PipelineEntry[] {
  const entries: PipelineEntry[] = [];
  const names = <T extends { identifier: string }>(list: readonly T[] | undefined, match: (alias: T) => boolean) =>
    (list ?? []).filter(match).map((alias) => alias.identifier);
  for (const type of named.types) {
    const id = type.ownerType.id;
    const live = type.ownerType.identifier;
    const stageAliases = (statusId: string) => names(deprecated?.stages, (a) => a.entityTypeId === id && a.statusId === statusId);
    const pipelineAliases = (categoryId: number) => names(deprecated?.pipelines, (a) => a.entityTypeId === id && a.categoryId === categoryId);
    const owners = (list: readonly OwnerKey[] | undefined) => [{ key: live, deprecated: false }, ...names(list, (a) => a.id === id).map((key) => ({ key, deprecated: true }))];
    const add = (entry: PipelineEntry, ...flags: boolean[]) => entries.push(flags.some(Boolean) ? { ...entry, deprecated: true } : entry);
    if (type.kind === 'stages') {
      for (const owner of owners(deprecated?.stageOwners)) {
        for (const stage of type.stages) {
          for (const key of [stage.identifier, ...stageAliases(stage.statusId)]) {
            add({ kind: 'stage', ownerType: owner.key, identifier: key, value: stage.statusId }, owner.deprecated, key !== stage.identifier);
          }
        }
      }
      continue;
    }
    for (const owner of owners(deprecated?.categoryOwners)) {
      for (const pipeline of type.pipelines) {
        for (const key of [pipeline.identifier, ...pipelineAliases(pipeline.categoryId)]) {
          add({ kind: 'pipeline', ownerType: owner.key, identifier: key, value: String(pipeline.categoryId) }, owner.deprecated, key !== pipeline.identifier);
        }
      }
    }
    for (const owner of owners(deprecated?.stageOwners)) {
      for (const pipeline of type.pipelines) {
        for (const pipelineKey of [pipeline.identifier, ...pipelineAliases(pipeline.categoryId)]) {
          for (const stage of pipeline.stages) {
            for (const key of [stage.identifier, ...stageAliases(stage.statusId)]) {
              add(
                { kind: 'stage', ownerType: owner.key, pipeline: pipelineKey, identifier: key, value: stage.statusId },
                owner.deprecated,
                pipelineKey !== pipeline.identifier,
                key !== stage.identifier,
              );
            }
          }
        }
      }
    }
  }
  return entries;
}

function place(entry: PipelineEntry): string {
  const scope = entry.pipeline === undefined ? entry.ownerType : `${entry.ownerType}.${entry.pipeline}`;
  return `${entry.kind === 'pipeline' ? 'Category' : 'Stage'}.${scope}.${entry.identifier}`;
}

function shown(entry: PipelineEntry): string {
  return entry.kind === 'pipeline' ? entry.value : show(entry.value);
}

/**
 * The changes of pipelines and stages between the module on disk and the one the portal gives now: IDs
 * moved (the same name, another ID, as between a dev and a prod portal), renames (the same ID under another
 * name), and pipelines or stages added or removed. Pure; one line per change, in the order of `after`.
 *
 * A rename is said once, where it happened: the paths below a renamed owner type (`ownerRenames`, old
 * identifier → new, from the owner-type drift) or a renamed pipeline change too, but their pipelines and
 * stages did not, so they are not listed again; a pipeline's line counts the stages that went with it.
 */
export function describePipelineDrift(
  beforeAll: readonly PipelineEntry[],
  afterAll: readonly PipelineEntry[],
  ownerRenames: ReadonlyMap<string, string> = new Map(),
): string[] {
  // Deprecated aliases are not pipelines or stages of their own: the drift is between the live entries, and
  // a rename says whether the old path is kept.
  const keptValue = new Map(afterAll.filter((entry) => entry.deprecated === true).map((entry) => [place(entry), entry.value]));
  const live = (entry: PipelineEntry) => entry.deprecated !== true;
  // Each entry of the module on disk under its owner type's name now, with its own path for the lines.
  const before = beforeAll
    .filter(live)
    .map((entry): Compared => ({ ...entry, ownerType: ownerRenames.get(entry.ownerType) ?? entry.ownerType, was: place(entry) }));
  const after = afterAll.filter(live);

  const pipelines = diffEntries(before.filter((e) => e.kind === 'pipeline'), after.filter((e) => e.kind === 'pipeline'), keptValue);
  const movedPipeline = new Map(pipelines.renames.map(({ from, to }) => [`${from.ownerType} ${from.identifier}`, to.identifier]));
  const stagesBefore = before
    .filter((e) => e.kind === 'stage')
    .map((entry) => {
      const to = entry.pipeline === undefined ? undefined : movedPipeline.get(`${entry.ownerType} ${entry.pipeline}`);
      return to === undefined ? entry : { ...entry, pipeline: to };
    });
  const stagesAfter = after.filter((e) => e.kind === 'stage');
  const stages = diffEntries(stagesBefore, stagesAfter, keptValue);
  const afterPlaces = new Set(stagesAfter.map(place));
  const lines = [...pipelines.lines];
  for (const { to, line } of pipelines.renames) {
    const carried = stagesBefore.filter((e) => e.ownerType === to.ownerType && e.pipeline === to.identifier && afterPlaces.has(place(e))).length;
    if (carried > 0) lines[line] = `${lines[line]}; its ${carried} stage${carried === 1 ? '' : 's'} with it`;
  }
  return [...lines, ...stages.lines];
}

/** An entry of the module on disk, as compared: placed where it would be now, and `was`, its own path. */
type Compared = PipelineEntry & { readonly was: string };

/**
 * One kind of entries compared: moved IDs, renames (the same value at another place), added and removed.
 * Each rename comes with the index of its line.
 */
function diffEntries(
  before: readonly Compared[],
  after: readonly PipelineEntry[],
  keptValue: ReadonlyMap<string, string>,
): { lines: string[]; renames: { from: Compared; to: PipelineEntry; line: number }[] } {
  const lines: string[] = [];
  const renames: { from: Compared; to: PipelineEntry; line: number }[] = [];
  const beforeByPlace = new Map(before.map((entry) => [place(entry), entry]));
  const afterPlaces = new Set(after.map(place));
  // A value identifies a pipeline within its owner type, and a stage within its owner type too (stage IDs
  // carry the pipeline's prefix), so a rename is the same value at another place.
  const valueKey = (entry: PipelineEntry) => `${entry.kind} ${entry.ownerType} ${entry.value}`;
  const removed = before.filter((entry) => !afterPlaces.has(place(entry)));
  const removedByValue = new Map(removed.map((entry) => [valueKey(entry), entry]));
  const renamedFrom = new Set<Compared>();
  const what = (entry: PipelineEntry) => (entry.kind === 'pipeline' ? 'pipeline' : 'stage');
  for (const now of after) {
    const same = beforeByPlace.get(place(now));
    if (same !== undefined) {
      if (same.value !== now.value) lines.push(`${what(now)} ID moved: ${place(now)} ${shown(same)} → ${shown(now)}`);
      continue;
    }
    const renamed = removedByValue.get(valueKey(now));
    if (renamed !== undefined && !renamedFrom.has(renamed)) {
      renamedFrom.add(renamed);
      renames.push({ from: renamed, to: now, line: lines.length });
      const kept = keptValue.get(renamed.was) === renamed.value ? ', kept as deprecated' : '';
      lines.push(`${what(now)} renamed: ${renamed.was} → ${place(now)} (${shown(now)})${kept}`);
      continue;
    }
    lines.push(`${what(now)} added: ${place(now)} = ${shown(now)}`);
  }
  for (const gone of removed) {
    if (!renamedFrom.has(gone)) lines.push(`${what(gone)} removed: ${gone.was} = ${shown(gone)}`);
  }
  return { lines, renames };
}

/**
 * The deprecated aliases the module on disk holds that the new one leaves out (`--drop-deprecated`, or what
 * they stood for is gone): owner-type aliases by name, the aliases in `Category` and `Stage` as a count.
 */
export function describeDeprecatedRemoved(
  previousMembers: readonly OwnerKey[],
  previousLive: readonly ModuleEntry[],
  previousPipelines: readonly PipelineEntry[],
  deprecated: DeprecatedAliases | undefined,
  after: readonly PipelineEntry[],
): string[] {
  const live = new Set(previousLive.map((entry) => entry.identifier));
  const kept = new Set((deprecated?.entityTypeId ?? []).map((alias) => alias.identifier));
  const lines = previousMembers
    .filter((member) => !live.has(member.identifier) && !kept.has(member.identifier))
    .map((member) => `deprecated alias removed: EntityTypeId.${member.identifier} (${member.id})`);
  const places = new Set(after.map(place));
  const gone = previousPipelines.filter((entry) => entry.deprecated === true && !places.has(place(entry))).length;
  if (gone > 0) lines.push(`deprecated aliases removed from Category and Stage: ${gone} path${gone === 1 ? '' : 's'}`);
  return lines;
}
