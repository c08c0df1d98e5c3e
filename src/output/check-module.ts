import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { NamedOwnerType } from '../model/owner-types.js';
import type { NamedPipelines } from '../naming/name-pipelines.js';
import type { DeprecatedAliases } from '../naming/keep-renamed.js';
import { describeDeprecatedRemoved, describeDrift, describePipelineDrift, pipelineEntries } from './drift-report.js';

const MAX_DIFF_LINES = 80;

/** A short unified diff, cut after a screenful: the report above it already says what changed. */
function shortDiff(label: string, before: string, after: string): string {
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

/** The `--check` report for a stale or missing module. Called only on that path: it loads ts-morph. */
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

export async function describeChanges(
  existing: string | undefined,
  expected: string,
  types: readonly NamedOwnerType[],
  outFile: string,
  cwd: string,
  pipelines?: NamedPipelines,
  deprecated?: DeprecatedAliases,
): Promise<string> {
  const label = path.relative(cwd, outFile) || outFile;
  if (existing === undefined) {
    return `${label} does not exist; run gen-ownertypes without --check to create it (${types.length} owner types).`;
  }
  const { readPreviousModule } = await import('../emit/read-generated-module.js');
  const previous = readPreviousModule(existing);
  const before = previous.ownerTypes;
  const beforePipelines = previous.pipelines;
  const after = pipelines === undefined ? [] : pipelineEntries(pipelines, deprecated);
  const lines =
    before === undefined || beforePipelines === undefined
      ? [`${label} is not a module gen-ownertypes can read back (edited by hand, or not generated); it would be replaced.`]
      : [
          ...describeDrift(before, types, deprecated?.entityTypeId),
          ...describePipelineDrift(beforePipelines, after, ownerRenamesOf(before, types)),
          ...describeDeprecatedRemoved(previous.identifiers.entityTypeId, before, beforePipelines, deprecated, after),
        ];
  if (lines.length === 0) {
    lines.push(
      'Nothing changed on the portal; the text differs (a hand edit, another enum style or formatting setting, or another gen-ownertypes version).',
    );
  }
  return [`${label} is stale:`, ...lines.map((line) => `  ${line}`), '', shortDiff(label, existing, expected)].join('\n');
}
