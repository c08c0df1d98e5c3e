import { stringLiteral } from '../emit/literals.js';
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
export function describeDrift(before: readonly ModuleEntry[], after: readonly ModuleEntry[]): string[] {
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
      lines.push(`renamed: ${was.identifier} → ${now.identifier} (${now.symbolCode}, ID ${now.id})`);
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
