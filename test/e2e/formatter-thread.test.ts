import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/generate.js';
import { startFakePortal, type FakePortal } from '../support/fake-portal.mjs';
import { runCli, tempProject } from '../support/run-cli.js';

// The built CLI formats on a thread of its own (src/format/formatter.ts); the sources, run in-process as
// here, format in the calling thread. Both must write the same bytes, for a small module and for a large
// one formatted by sample.
const OUT = 'src/generated/ownertypes.ts';
const portals: Record<string, FakePortal> = {};

beforeAll(async () => {
  portals.seed = await startFakePortal({ code: 'thread-seed-code' });
  portals.large = await startFakePortal({ code: 'thread-large-code', dataset: 'large' });
});
afterAll(async () => {
  await Promise.all(Object.values(portals).map((portal) => portal.close()));
});

describe('formatting on its own thread', () => {
  it.each(['seed', 'large'])('the %s portal: the built CLI (on its thread) writes what generate() writes in-thread', async (name) => {
    const portal = portals[name]!;
    const cli = await tempProject({});
    const run = await runCli(['--verbose'], { cwd: cli, env: { B24_WEBHOOK_URL: portal.webhookUrl } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^debug: formatted with Prettier .*, on its own thread$/m);
    if (name === 'large') expect(run.stderr).toMatch(/by a sample of \d+ of \d+ owner types, on its own thread/);

    const library = await tempProject({});
    const debug: string[] = [];
    await generate({
      source: { kind: 'webhook', url: portal.webhookUrl },
      cwd: library,
      logger: { info() {}, warn() {}, debug: (message) => debug.push(message) },
    });
    expect(debug.some((line) => /^formatted with Prettier/.test(line) && !line.includes('own thread'))).toBe(true);
    expect(await readFile(path.join(cli, OUT), 'utf8')).toBe(await readFile(path.join(library, OUT), 'utf8'));
  });
});
