import { stringLiteral } from '../emit/literals.js';
import type { NamedOwnerType } from '../model/owner-types.js';
import type { NamedPipelines } from '../naming/name-pipelines.js';

/**
 * What exists on some portals of a run but not on others — owner types (SPAs above all), pipelines and
 * stages — with each portal's ID, in the portal's terms. Pure data, and its rendering; the run decides
 * whether it is a warning or an error (`"consistency"`).
 */

export type ConsistencyKind = 'owner type' | 'SPA' | 'pipeline' | 'stage' | 'section';

/** One thing some portals have and others lack. */
export interface ConsistencyEntry {
  readonly kind: ConsistencyKind;
  /** Where it is in the modules that have it: `Spa.Rental`, `Category.Deal.Service`, `Stage.Deal.Default.Negotiation`. */
  readonly place: string;
  /** The portal's own name for it (title, pipeline or stage NAME), from the first portal that has it. */
  readonly name: string | undefined;
  /** Every portal that has it, in config order, with its ID there (entity type ID, category ID or STATUS_ID). */
  readonly on: ReadonlyArray<{ readonly portal: string; readonly id: number | string }>;
  /** Portals that could have it (they have its owner type or pipeline) but do not, in config order. */
  readonly missingOn: readonly string[];
}

export interface ConsistencyReport {
  /** The portals compared, in config order. */
  readonly portals: readonly string[];
  /** Empty when every portal has the same things. Owner types first, then pipelines, then stages. */
  readonly entries: readonly ConsistencyEntry[];
}

/** One portal as the report sees it. */
export interface ConsistencyInput {
  readonly name: string;
  readonly types: readonly NamedOwnerType[];
  /** `undefined` when the module holds no pipelines (not read, or unavailable). */
  readonly pipelines: NamedPipelines | undefined;
  /** Why pipelines are missing, when they are. */
  readonly pipelinesReason?: string | undefined;
}

interface Tally {
  readonly kind: ConsistencyKind;
  readonly place: string;
  readonly name: string | undefined;
  /** The place whose portals could have this one; `undefined`: every portal compared. */
  readonly parent: string | undefined;
  readonly on: Map<number, number | string>;
}

/** Compares the portals of a run; entries in order of first appearance. */
export function consistencyReport(portals: readonly ConsistencyInput[]): ConsistencyReport {
  const tallies = new Map<string, Tally>();
  const note = (index: number, kind: ConsistencyKind, place: string, name: string | undefined, id: number | string, parent?: string) => {
    let tally = tallies.get(place);
    if (tally === undefined) {
      tally = { kind, place, name, parent, on: new Map() };
      tallies.set(place, tally);
    }
    tally.on.set(index, id);
  };
  const withPipelines = portals.flatMap((portal, index) => (portal.pipelines === undefined ? [] : [index]));
  portals.forEach((portal, index) => {
    for (const type of portal.types) {
      note(index, type.isSpa ? 'SPA' : 'owner type', `${type.isSpa ? 'Spa' : 'EntityTypeId'}.${type.identifier}`, type.name, type.id);
    }
    for (const entry of portal.pipelines?.types ?? []) {
      const owner = `${entry.ownerType.isSpa ? 'Spa' : 'EntityTypeId'}.${entry.ownerType.identifier}`;
      const scope = `${entry.ownerType.identifier}`;
      // Pipelines are compared among the portals that read pipelines and have the owner type.
      const ownerScope = `pipelines of ${owner}`;
      note(index, 'section', ownerScope, undefined, entry.ownerType.id);
      if (entry.kind === 'stages') {
        for (const stage of entry.stages) note(index, 'stage', `Stage.${scope}.${stage.identifier}`, stage.name, stage.statusId, ownerScope);
        continue;
      }
      for (const pipeline of entry.pipelines) {
        const place = `Category.${scope}.${pipeline.identifier}`;
        note(index, 'pipeline', place, pipeline.name, pipeline.categoryId, ownerScope);
        for (const stage of pipeline.stages) {
          note(index, 'stage', `Stage.${scope}.${pipeline.identifier}.${stage.identifier}`, stage.name, stage.statusId, place);
        }
      }
    }
  });

  const entries: ConsistencyEntry[] = [];
  const names = portals.map((portal) => portal.name);
  const eligible = (tally: Tally): number[] => {
    if (tally.parent === undefined) return portals.map((_, index) => index);
    const parent = tallies.get(tally.parent)!;
    // An owner type's pipeline scope is there on every portal that has pipelines and the owner type.
    return [...parent.on.keys()].filter((index) => withPipelines.includes(index));
  };
  for (const tally of tallies.values()) {
    if (tally.kind === 'section') continue;
    const missing = eligible(tally).filter((index) => !tally.on.has(index));
    if (missing.length === 0) continue;
    entries.push({
      kind: tally.kind,
      place: tally.place,
      name: tally.name,
      on: [...tally.on.entries()].sort(([a], [b]) => a - b).map(([index, id]) => ({ portal: names[index]!, id })),
      missingOn: missing.map((index) => names[index]!),
    });
  }
  if (withPipelines.length > 0 && withPipelines.length < portals.length) {
    entries.push({
      kind: 'section',
      place: 'Category, Stage',
      name: undefined,
      on: withPipelines.map((index) => ({ portal: names[index]!, id: '' })),
      missingOn: portals.flatMap((portal, index) => (withPipelines.includes(index) ? [] : [portal.name])),
    });
  }
  const order: Record<ConsistencyKind, number> = { section: 0, 'owner type': 1, SPA: 2, pipeline: 3, stage: 4 };
  entries.sort((a, b) => order[a.kind] - order[b.kind]);
  return { portals: names, entries };
}

/** The report as lines a person reads (empty when the portals agree). Portal text is escaped. */
export function renderConsistency(report: ConsistencyReport, reasons: Readonly<Record<string, string>> = {}): string[] {
  return report.entries.map((entry) => {
    const name = entry.name === undefined ? '' : ` ${stringLiteral(entry.name)}`;
    if (entry.kind === 'section') {
      const why = entry.missingOn.map((portal) => (reasons[portal] === undefined ? portal : `${portal} (${reasons[portal]})`));
      return `pipelines and stages (Category, Stage) are in the modules of ${entry.on.map((o) => o.portal).join(', ')} but not of ${why.join(', ')}`;
    }
    const on = entry.on
      .map(({ portal, id }) => `${portal} (${entry.kind === 'stage' ? stringLiteral(String(id)) : `ID ${id}`})`)
      .join(', ');
    return `${entry.kind} ${entry.place}${name} is on ${on}, not on ${entry.missingOn.join(', ')}`;
  });
}
