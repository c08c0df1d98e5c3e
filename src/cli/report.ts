import path from 'node:path';
import type { GenerateResult, PortalResult } from '../generate.js';
import { renderDrift } from '../shared/drift-text.js';

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** What a module holds: `12 owner types, 2 SPAs, 8 pipelines, 66 stages from example.bitrix24.com`. */
function contents(result: Pick<GenerateResult, 'types' | 'counts'>, host: string | undefined): string {
  const spas = result.types.filter((t) => t.isSpa).length;
  const sections = result.counts === undefined ? '' : `, ${plural(result.counts.pipelines, 'pipeline')}, ${plural(result.counts.stages, 'stage')}`;
  return `${plural(result.types.length, 'owner type')}, ${plural(spas, 'SPA')}${sections}${host === undefined ? '' : ` from ${host}`}`;
}

/** One result → the line a person reads. */
export function describeResult(result: GenerateResult, cwd: string): string {
  const file = path.relative(cwd, result.outFile) || result.outFile;
  const what = contents(result, result.portal);
  switch (result.status) {
    case 'written':
      return `Wrote ${file} (${what}).`;
    case 'unchanged':
      return `${file} is up to date (${what}).`;
    case 'current':
      return `${file} is current (${what}).`;
    default:
      return result.report ?? `${file} is ${result.status}.`;
  }
}

export function isStale(status: GenerateResult['status']): boolean {
  return status === 'stale' || status === 'missing';
}

/** The snapshot's line, and whether it is stale (under --check). */
export function describeSnapshot(snapshot: NonNullable<GenerateResult['snapshot']>, cwd: string): { text: string; stale: boolean } {
  const file = path.relative(cwd, snapshot.file) || snapshot.file;
  const status = snapshot.status;
  if (isStale(status)) return { text: `Snapshot ${file} is ${status}.`, stale: true };
  return { text: `Snapshot ${file} ${status === 'written' ? 'written' : `is ${status === 'unchanged' ? 'up to date' : status}`}.`, stale: false };
}

/** An error's stack and its causes, for --verbose. */
export function formatStack(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    lines.push(depth === 0 ? String((current as Error)?.stack ?? current) : `caused by: ${String((current as Error)?.stack ?? current)}`);
    current = (current as Error)?.cause;
  }
  return lines.join('\n');
}

/** One portal's lines of a several-portals run: `dev: wrote src/generated/ownertypes.dev.ts (12 owner types, …).` */
export function describePortalFiles(result: PortalResult, cwd: string): Array<{ text: string; stale: boolean }> {
  const lines: Array<{ text: string; stale: boolean }> = [];
  const name = result.name === undefined ? '' : `${result.name}: `;
  const what = contents(result, result.host);
  for (const file of [result.module, result.snapshot]) {
    if (file === undefined) continue;
    const label = path.relative(cwd, file.file) || file.file;
    const thing = file.kind === 'module' ? label : `snapshot ${label}`;
    const about = file.kind === 'module' ? ` (${what})` : '';
    switch (file.status) {
      case 'written':
        lines.push({ text: `${name}wrote ${thing}${about}.`, stale: false });
        break;
      case 'unchanged':
        lines.push({ text: `${name}${thing} is up to date${about}.`, stale: false });
        break;
      case 'current':
        lines.push({ text: `${name}${thing} is current${about}.`, stale: false });
        break;
      default: {
        const text =
          file.kind === 'module' && file.drift !== undefined
            ? renderDrift(label, file.drift, result.types.length, file.diff)
            : `${thing} is ${file.status}.`;
        lines.push({ text: `${name}${text}`, stale: true });
      }
    }
  }
  return lines;
}
