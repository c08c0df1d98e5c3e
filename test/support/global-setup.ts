import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The test run gets a temp folder of its own: TMPDIR, TMP and TEMP point into it for the test workers and
 * every process they start (the CLI, tsc, npm). At the end the run fails if anything is left in it, naming
 * what, so a test that forgets to clean up is caught the day it is written; then the folder is removed,
 * and the system temp folder is as the run found it.
 */
export default function setup(): () => void {
  const saved = { TMPDIR: process.env['TMPDIR'], TMP: process.env['TMP'], TEMP: process.env['TEMP'] };
  const root = mkdtempSync(path.join(os.tmpdir(), 'gen-ownertypes-test-run-'));
  process.env['TMPDIR'] = process.env['TMP'] = process.env['TEMP'] = root;
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    let left: string[] = [];
    try {
      left = readdirSync(root).sort();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    if (left.length > 0) {
      // vitest reports an error thrown here but still exits 0: set the exit code too.
      process.exitCode = 1;
      throw new Error(
        `the tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp folder: ${left.join(', ')}. ` +
          'Make temp folders with tempDir() from test/support/temp.ts, which removes them.',
      );
    }
  };
}
