import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** Prefix of every folder the tests create in the system temp folder; test/support/global-setup.ts checks it. */
export const TEMP_PREFIX = 'gen-ownertypes-test-';

const created = new Set<string>();
let hooked = false;

/**
 * A fresh folder in the system temp folder, removed when the test file finishes (pass or fail). Use this,
 * never `mkdtemp` directly: `npm test` must leave the temp folder as it found it.
 */
export function tempDir(label = 'tmp'): string {
  if (!hooked) {
    hooked = true;
    afterAll(() => {
      for (const dir of created) rmSync(dir, { recursive: true, force: true });
      created.clear();
    });
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), `${TEMP_PREFIX}${label}-`));
  created.add(dir);
  return dir;
}
