/**
 * What `--check` found in a stale or missing module, as data: `missing`; `unreadable` (edited by hand, or
 * not generated: it would be replaced); or `changed`, with one line per change in the portal's terms (none
 * when only the text differs: a hand edit, another style or formatting setting, another version).
 * Here, in the leaf, so the library's report and the CLI's text come from one renderer.
 */
export type Drift =
  | { readonly state: 'missing' }
  | { readonly state: 'unreadable' }
  | { readonly state: 'changed'; readonly changes: readonly string[] };

/** A drift as the lines a person reads, then the diff when one is given. */
export function renderDrift(label: string, drift: Drift, typeCount: number, diff?: string): string {
  if (drift.state === 'missing') {
    return `${label} does not exist; run gen-ownertypes without --check to create it (${typeCount} owner types).`;
  }
  const lines =
    drift.state === 'unreadable'
      ? [`${label} is not a module gen-ownertypes can read back (edited by hand, or not generated); it would be replaced.`]
      : drift.changes.length > 0
        ? drift.changes
        : [
            'Nothing changed on the portal; the text differs (a hand edit, another enum style or formatting setting, or another gen-ownertypes version).',
          ];
  return [`${label} is stale:`, ...lines.map((line) => `  ${line}`), ...(diff === undefined ? [] : ['', diff])].join('\n');
}
