import { execFileSync } from 'node:child_process';
import { mkdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutputPath, checkOutputPaths } from '../../src/output/output-path.js';
import { OutputError } from '../../src/shared/errors.js';
import { tempDir } from '../support/temp.js';

const dir = tempDir('out-path');
writeFileSync(path.join(dir, 'module.ts'), 'old\n');
mkdirSync(path.join(dir, 'folder'));
writeFileSync(path.join(dir, 'a-file'), '');
execFileSync('mkfifo', [path.join(dir, 'pipe')]);
symlinkSync('module.ts', path.join(dir, 'link.ts'));
symlinkSync('missing.ts', path.join(dir, 'dangling.ts'));
symlinkSync('folder', path.join(dir, 'link-to-folder'));
symlinkSync('/dev/null', path.join(dir, 'link-to-null'));
symlinkSync('loop-b', path.join(dir, 'loop-a'));
symlinkSync('loop-a', path.join(dir, 'loop-b'));
const server = net.createServer();
const socket = path.join(dir, 'sock');
await new Promise<void>((resolve) => server.listen(socket, resolve));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('checkOutputPath: a regular file or nothing yet', () => {
  it.each([
    ['an existing regular file', 'module.ts'],
    ['a file that does not exist yet', 'new.ts'],
    ['a file in folders that do not exist yet', 'deep/er/new.ts'],
  ])('%s is accepted as itself', async (_name, raw) => {
    const target = await checkOutputPath(raw, dir, 'out');
    expect(target).toEqual({ file: path.join(dir, raw), target: path.join(dir, raw), viaLink: false });
  });

  it('a symlink to a regular file is written through to its target', async () => {
    const target = await checkOutputPath('link.ts', dir, '--out');
    expect(target).toEqual({ file: path.join(dir, 'link.ts'), target: path.join(dir, 'module.ts'), viaLink: true });
    expect(readlinkSync(path.join(dir, 'link.ts'))).toBe('module.ts');
  });

  it.each([
    ['a folder', 'folder', /is a folder/],
    ['a trailing slash', 'new-folder/', /names a folder/],
    ['a trailing slash on an existing file', 'module.ts/', /names a folder/],
    ['a path ending in ..', 'deep/..', /names a folder/],
    ['the empty path', '', /names a folder/],
    ['a character device', '/dev/null', /is a character device/],
    ['a named pipe', 'pipe', /is a named pipe \(FIFO\)/],
    ['a socket', 'sock', /is a socket/],
    ['a dangling symlink', 'dangling.ts', /symbolic link to nothing/],
    ['a symlink to a folder', 'link-to-folder', /symbolic link to a folder/],
    ['a symlink to a device', 'link-to-null', /symbolic link to a character device/],
    ['a symlink loop', 'loop-a', /loops/],
    ['a parent that is a file', 'a-file/module.ts', /a-file is a file, not a folder/],
    ['a grandparent that is a file', 'a-file/x/module.ts', /a-file is a file, not a folder/],
    ['a parent that is a pipe', 'pipe/module.ts', /pipe is a named pipe \(FIFO\), not a folder/],
  ])('%s is a usage error naming the option and the path', async (_name, raw, reason) => {
    const error = await checkOutputPath(raw, dir, 'out').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect((error as OutputError).exitCode).toBe(2);
    expect((error as OutputError).option).toBe('out');
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).toContain(`\`out\` ${raw} `);
    expect((error as Error).message).toMatch(/must name a regular file/);
  });

  it('two options naming one file (directly or through a link) are refused', async () => {
    const error = await checkOutputPaths(
      [
        { raw: 'module.ts', option: 'out' },
        { raw: 'link.ts', option: 'snapshot' },
      ],
      dir,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect((error as Error).message).toMatch(/`out` module\.ts and `snapshot` link\.ts are the same file/);
  });
});
