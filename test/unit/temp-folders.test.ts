import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMP_PREFIX, tempDir } from '../support/temp.js';

describe('the test run temp folder', () => {
  it('is a private folder of this run, for the workers and the processes they start', () => {
    const base = os.tmpdir();
    expect(path.basename(base)).toMatch(/^gen-ownertypes-test-run-/);
    expect(process.env['TMP']).toBe(base);
    expect(process.env['TEMP']).toBe(base);
  });

  it('tempDir makes a fresh folder in it each call', () => {
    const a = tempDir('a');
    const b = tempDir('a');
    expect(a).not.toBe(b);
    expect(path.dirname(a)).toBe(os.tmpdir());
    expect(path.basename(a).startsWith(`${TEMP_PREFIX}a-`)).toBe(true);
    expect(existsSync(a) && existsSync(b)).toBe(true);
  });
});
