import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { NamedOwnerType } from '../model/owner-types.js';
import type { NamedPipelines } from '../naming/name-pipelines.js';
import { describeDrift, describePipelineDrift, pipelineEntries } from './drift-report.js';
import { renderDrift, type Drift } from '../shared/drift-text.js';

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

export type { Drift } from '../shared/drift-text.js';

/** The drift of a module on disk from the one about to be written. Called only when they differ: it loads ts-morph. */
export async function driftOf(existing: string | undefined, types: readonly NamedOwnerType[], pipelines?: NamedPipelines): Promise<Drift> {
  if (existing === undefined) return { state: 'missing' };
  const { readGeneratedModule, readGeneratedPipelines } = await import('../emit/read-generated-module.js');
  const before = readGeneratedModule(existing);
  const beforePipelines = readGeneratedPipelines(existing);
  if (before === undefined || beforePipelines === undefined) return { state: 'unreadable' };
  return {
    state: 'changed',
    changes: [...describeDrift(before, types), ...describePipelineDrift(beforePipelines, pipelines === undefined ? [] : pipelineEntries(pipelines))],
  };
}

/** The `--check` report for a stale or missing module: the drift and a short diff. Loads ts-morph. */
export async function describeChanges(
  existing: string | undefined,
  expected: string,
  types: readonly NamedOwnerType[],
  outFile: string,
  pipelines?: NamedPipelines,
): Promise<string> {
  const label = path.relative(process.cwd(), outFile) || outFile;
  const drift = await driftOf(existing, types, pipelines);
  return renderDrift(label, drift, types.length, existing === undefined ? undefined : shortDiff(label, existing, expected));
}
