/**
 * One change between the module on disk and the portal now, in the portal's terms. `path` is where it is in
 * the module now (`EntityTypeId.Rental`, `Category.Deal.Wholesale`, `Stage.Deal.Wholesale.Won`), or was,
 * for a removal; `from` and `to` are what changed (identifiers or paths for a rename, IDs for a move,
 * titles, the portals or versions a module was made from); `id` is the owner type's, pipeline's or stage's
 * ID where it has one that stayed. `text` is the line the CLI prints.
 */
export interface DriftChange {
  readonly change: 'added' | 'removed' | 'renamed' | 'id-moved' | 'title-changed' | 'short-code-changed' | 'alias-removed' | 'other-portal' | 'other-version';
  readonly subject: 'system-type' | 'spa' | 'pipeline' | 'stage' | 'alias' | 'module';
  readonly path?: string;
  readonly from?: string | number;
  readonly to?: string | number;
  readonly id?: string | number;
  /** For a pipeline renamed: how many of its stages went with it (and are not listed again). */
  readonly stages?: number;
  readonly text: string;
}

/**
 * What `--check` found in a stale or missing module, as data: `missing`; `unreadable` (edited by hand, or
 * not generated: it would be replaced); or `changed`, with the changes in the portal's terms (none when
 * only the text differs: a hand edit, another style or formatting setting).
 * Here, in the leaf, so the library's report and the CLI's text come from one renderer.
 */
export type Drift =
  | { readonly state: 'missing' }
  | { readonly state: 'unreadable' }
  | { readonly state: 'changed'; readonly changes: readonly DriftChange[] };

/** A drift as the lines a person reads, then the diff when one is given. */
export function renderDrift(label: string, drift: Drift, typeCount: number, diff?: string): string {
  if (drift.state === 'missing') {
    return `${label} does not exist; run gen-ownertypes without --check to create it (${typeCount} owner types).`;
  }
  const lines =
    drift.state === 'unreadable'
      ? [`${label} is not a module gen-ownertypes can read back (edited by hand, or not generated); it would be replaced.`]
      : drift.changes.length > 0
        ? drift.changes.map((change) => change.text)
        : [
            'Nothing changed on the portal; the text differs (a hand edit, another enum style or formatting setting, or another gen-ownertypes version).',
          ];
  return [`${label} is stale:`, ...lines.map((line) => `  ${line}`), ...(diff === undefined ? [] : ['', diff])].join('\n');
}
