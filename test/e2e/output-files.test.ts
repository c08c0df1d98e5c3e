import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakePortal, type FakePortal } from '../support/fake-portal.mjs';
import { runCli, tempProject } from '../support/run-cli.js';

const CODE = 'output-files-code-7hq';
const OLD = '// the committed module\n';
const OUT = 'src/generated/ownertypes.ts';

let portal: FakePortal;
beforeAll(async () => {
  portal = await startFakePortal({ code: CODE });
});
afterAll(async () => {
  await portal.close();
});
beforeEach(() => {
  portal.requests.length = 0;
});

/** Every entry under `dir` with its bytes (links and folders by kind): equal before and after means untouched. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, name);
    const stats = lstatSync(full);
    out[name] = stats.isSymbolicLink() ? `→ ${readlinkSync(full)}` : stats.isFile() ? readFileSync(full, 'utf8') : `(${stats.mode.toString(8)})`;
  }
  return out;
}

async function project(): Promise<string> {
  const cwd = await tempProject({ [OUT]: OLD, 'a-file': '', 'b24/.keep': '' });
  mkdirSync(path.join(cwd, 'a-folder'));
  execFileSync('mkfifo', [path.join(cwd, 'pipe')]);
  symlinkSync('missing.ts', path.join(cwd, 'dangling.ts'));
  return cwd;
}

describe('every file a run writes is a regular file or absent, checked before the portal is asked', () => {
  const rows: Array<[string, string[], RegExp]> = [
    ['--out /dev/null', ['--out', '/dev/null'], /--out \/dev\/null is a character device/],
    ['--out a folder', ['--out', 'a-folder'], /--out a-folder is a folder/],
    ['--out with a trailing slash', ['--out', 'src/generated/'], /--out src\/generated\/ names a folder/],
    ['--out a FIFO', ['--out', 'pipe'], /--out pipe is a named pipe \(FIFO\)/],
    ['--out a dangling symlink', ['--out', 'dangling.ts'], /--out dangling\.ts is a symbolic link to nothing/],
    ['--out under a file', ['--out', 'a-file/ownertypes.ts'], /--out a-file\/ownertypes\.ts cannot be created: .*a-file is a file, not a folder/],
    ['--snapshot /dev/null', ['--snapshot', '/dev/null'], /--snapshot \/dev\/null is a character device/],
    ['--snapshot a FIFO', ['--snapshot', 'pipe'], /--snapshot pipe is a named pipe/],
    ['--snapshot with a trailing slash', ['--snapshot', 'b24/'], /--snapshot b24\/ names a folder/],
    ['--snapshot the module itself', ['--snapshot', OUT], /--out .* and --snapshot .* are the same file/],
  ];
  it.each(rows)('%s → exit 2, nothing read, nothing written', async (_name, args, message) => {
    const cwd = await project();
    const before = tree(cwd);
    const run = await runCli(args, { cwd, env: { B24_WEBHOOK_URL: portal.webhookUrl } });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/must name a regular file|same file/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(portal.requests).toHaveLength(0);
    expect(tree(cwd)).toEqual(before);
    expect(readFileSync('/dev/null', 'utf8')).toBe('');
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('--out a symlink to a regular file: the target is written, the link kept, and --verbose says so', async () => {
    const cwd = await project();
    symlinkSync(OUT, path.join(cwd, 'link.ts'));
    const run = await runCli(['--out', 'link.ts', '--verbose'], { cwd, env: { B24_WEBHOOK_URL: portal.webhookUrl } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/link\.ts is a symbolic link: writing through to .*ownertypes\.ts/);
    expect(readlinkSync(path.join(cwd, 'link.ts'))).toBe(OUT);
    expect(readFileSync(path.join(cwd, OUT), 'utf8')).toContain('export enum EntityTypeId');
    expect(run.stderr).not.toContain(CODE);
  });
});

describe('the module and its snapshot: both or neither', () => {
  it('a snapshot that cannot be written leaves the module as it was, and the message says which file failed', async () => {
    const cwd = await project();
    // Too long a name for the temp file beside it: the write fails while preparing, as root too.
    const snapshot = `b24/${'s'.repeat(240)}.json`;
    const before = tree(cwd);
    const run = await runCli(['--snapshot', snapshot], { cwd, env: { B24_WEBHOOK_URL: portal.webhookUrl } });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^gen-ownertypes: Cannot write .*s{240}\.json: the name is too long \(ENAMETOOLONG\)\. No file was changed\.\n$/);
    expect(run.stderr).not.toMatch(/Cannot read/);
    expect(tree(cwd)).toEqual(before);
  });

  it('a module that cannot be written leaves the snapshot as it was', async () => {
    const cwd = await project();
    writeFileSync(path.join(cwd, 'b24/snapshot.json'), '{"old":true}\n');
    const out = `src/generated/${'m'.repeat(240)}.ts`;
    const before = tree(cwd);
    const run = await runCli(['--out', out, '--snapshot', 'b24/snapshot.json'], { cwd, env: { B24_WEBHOOK_URL: portal.webhookUrl } });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/Cannot write .*m{240}\.ts: the name is too long/);
    expect(tree(cwd)).toEqual(before);
  });
});
