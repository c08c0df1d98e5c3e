import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** Prefix of every folder the tests create in the temp folder. */
export const TEMP_PREFIX = 'gen-ownertypes-test-';

const created = new Set<string>();

// Registered while the test file is collected (this module is evaluated once per file), so the hook
// belongs to the file; registered before the file's own hooks, it runs after them (hooks unwind as a
// stack), once servers and child processes are closed.
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
  created.clear();
});

/**
 * A fresh folder in the temp folder, removed when the test file finishes (pass or fail). Use this, never
 * `mkdtemp` directly: `npm test` must leave the temp folder as it found it, and test/support/global-setup.ts
 * fails the run when something is left.
 */
export function tempDir(label = 'tmp'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${TEMP_PREFIX}${label}-`));
  created.add(dir);
  return dir;
}
