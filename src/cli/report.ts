import path from 'node:path';
import type { GenerateResult } from '../generate.js';

/** One result → the line a person reads. */
export function describeResult(result: GenerateResult, cwd: string): string {
  const file = path.relative(cwd, result.outFile) || result.outFile;
  const spas = result.types.filter((t) => t.isSpa).length;
  const what = `${result.types.length} owner types, ${spas} SPA${spas === 1 ? '' : 's'}${result.portal === undefined ? '' : ` from ${result.portal}`}`;
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
