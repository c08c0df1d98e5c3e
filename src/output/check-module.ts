import { createTwoFilesPatch } from 'diff';
import type { NamedOwnerType } from '../model/owner-types.js';
import type { NamedPipelines } from '../naming/name-pipelines.js';
import type { DeprecatedAliases } from '../naming/keep-renamed.js';
import type { ModuleOrigin } from '../emit/header.js';
import { describeDeprecatedRemoved, describeDrift, describeOriginChange, describePipelineDrift, pipelineEntries } from './drift-report.js';
import type { Drift } from '../shared/drift-text.js';

const MAX_DIFF_LINES = 80;

/** A short unified diff, cut after a screenful: the report above it already says what changed. */
export function shortDiff(label: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(
    `${label} (on disk)`,
    `${label} (from the portal)`,
    before.replace(/\r\n/g, '\n'),
    after,
    undefined,
    undefined,
    { context: 2 },
  );
  // drop the '=====' separator line that jsdiff puts first
  const lines = patch.trimEnd().split('\n').slice(1);
  if (lines.length <= MAX_DIFF_LINES) return lines.join('\n');
  return [...lines.slice(0, MAX_DIFF_LINES), `… ${lines.length - MAX_DIFF_LINES} more diff lines`].join('\n');
}

/** Owner types that kept their ID under another identifier: old identifier → new. */
function ownerRenamesOf(before: readonly NamedOwnerType[], after: readonly NamedOwnerType[]): Map<string, string> {
  const now = new Map(after.map((type) => [type.id, type.identifier]));
  const renames = new Map<string, string>();
  for (const type of before) {
    const identifier = now.get(type.id);
    if (identifier !== undefined && identifier !== type.identifier) renames.set(type.identifier, identifier);
  }
  return renames;
}

export type { Drift } from '../shared/drift-text.js';

/** The drift of a module on disk from the one about to be written. Called only when they differ: it loads ts-morph. */
export async function driftOf(
  existing: string | undefined,
  types: readonly NamedOwnerType[],
  pipelines?: NamedPipelines,
  deprecated?: DeprecatedAliases,
  origins?: { readonly before: ModuleOrigin | undefined; readonly after: ModuleOrigin | undefined },
): Promise<Drift> {
  if (existing === undefined) return { state: 'missing' };
  const { readPreviousModule } = await import('../emit/read-generated-module.js');
  const previous = readPreviousModule(existing);
  const before = previous.ownerTypes;
  const beforePipelines = previous.pipelines;
  if (before === undefined || beforePipelines === undefined) return { state: 'unreadable' };
  const after = pipelines === undefined ? [] : pipelineEntries(pipelines, deprecated);
  return {
    state: 'changed',
    changes: [
      ...(origins === undefined ? [] : describeOriginChange(origins.before, origins.after)),
      ...describeDrift(before, types, deprecated?.entityTypeId),
      ...describePipelineDrift(beforePipelines, after, ownerRenamesOf(before, types)),
      ...describeDeprecatedRemoved(previous.identifiers.entityTypeId, before, beforePipelines, deprecated, after),
    ],
  };
}

