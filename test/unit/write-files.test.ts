import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputError } from '../../src/shared/errors.js';
import { writeFiles } from '../../src/output/write-files.js';
import { BIN, ROOT } from '../support/run-cli.js';
import { tempDir } from '../support/temp.js';

/** Every entry under `dir`, recursively, with each file's bytes: "nothing changed" means this is equal. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, name);
    const stats = lstatSync(full);
    out[name] = stats.isSymbolicLink()
      ? `link → ${readlinkSync(full)}`
      : stats.isDirectory()
        ? 'folder'
        : `${(stats.mode & 0o777).toString(8)} ${readFileSync(full, 'utf8')}`;
  }
  return out;
}

// A name the file system accepts, but whose temp file beside it (name + pid + random + .tmp) it does not:
// a write that fails while preparing, even as root.
const LONG = `${'x'.repeat(240)}.json`;

function project(): string {
  const dir = tempDir('write');
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src/module.ts'), 'old module\n');
  chmodSync(path.join(dir, 'src/module.ts'), 0o640);
  mkdirSync(path.join(dir, 'b24'));
  writeFileSync(path.join(dir, 'b24/snapshot.json'), 'old snapshot\n');
  return dir;
}

describe('writeFiles: every file of a run, or none', () => {
  it('writes the changed files, skips the unchanged one, keeps modes, creates folders, leaves no temp file', async () => {
    const dir = project();
    const before = statSync(path.join(dir, 'b24/snapshot.json')).mtimeMs;
    const statuses = await writeFiles([
      { file: path.join(dir, 'src/module.ts'), content: 'new module\n' },
      { file: path.join(dir, 'b24/snapshot.json'), content: 'old snapshot\r\n' },
      { file: path.join(dir, 'new/deep/other.ts'), content: 'other\n' },
    ]);
    expect(statuses).toEqual(['written', 'unchanged', 'written']);
    expect(tree(dir)).toEqual({
      src: 'folder',
      'src/module.ts': '640 new module\n',
      b24: 'folder',
      'b24/snapshot.json': '644 old snapshot\n',
      new: 'folder',
      'new/deep': 'folder',
      'new/deep/other.ts': `${(0o666 & ~process.umask()).toString(8)} other\n`,
    });
    expect(statSync(path.join(dir, 'b24/snapshot.json')).mtimeMs).toBe(before);
  });

  it('writes through a symlink to its target and keeps the link', async () => {
    const dir = project();
    symlinkSync('src/module.ts', path.join(dir, 'link.ts'));
    expect(await writeFiles([{ file: path.join(dir, 'link.ts'), content: 'through\n' }])).toEqual(['written']);
    expect(readlinkSync(path.join(dir, 'link.ts'))).toBe('src/module.ts');
    expect(readFileSync(path.join(dir, 'src/module.ts'), 'utf8')).toBe('through\n');
  });

  it.each([
    ['the first', 0],
    ['the last', 2],
  ])('a write that fails while preparing %s file changes nothing and names the file', async (_name, failing) => {
    const dir = project();
    const files = [
      { file: path.join(dir, 'src/module.ts'), content: 'new module\n' },
      { file: path.join(dir, 'b24/snapshot.json'), content: 'new snapshot\n' },
      { file: path.join(dir, 'made/for/it/other.ts'), content: 'other\n' },
    ];
    files[failing] = { file: path.join(dir, failing === 0 ? 'src' : 'made/for/it', LONG), content: 'x' };
    const before = tree(dir);
    const error = await writeFiles(files).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect((error as Error).message).toMatch(new RegExp(`^Cannot write .*${LONG}: the name is too long \\(ENAMETOOLONG\\)\\. No file was changed\\.$`));
    // Byte for byte, and the folders made for the plan are gone again.
    expect(tree(dir)).toEqual(before);
  });

  it('a folder that cannot be created says so (not "Cannot read"), and changes nothing', async () => {
    const dir = project();
    // A dangling link where a folder must be made: nothing to refuse up front, but mkdir fails.
    symlinkSync('nowhere', path.join(dir, 'gone'));
    const before = tree(dir);
    const error = await writeFiles([
      { file: path.join(dir, 'src/module.ts'), content: 'new module\n' },
      { file: path.join(dir, 'gone/b24/snapshot.json'), content: 'x' },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect((error as Error).message).toMatch(/^Cannot create the folder .*gone\/b24 for .*snapshot\.json: .*\. No file was changed\.$/);
    expect(tree(dir)).toEqual(before);
  });

  it('a rename that fails after others succeeded puts the replaced files back', async () => {
    const dir = project();
    const before = tree(dir);
    const snapshot = path.join(dir, 'b24/snapshot.json');
    const error = await writeFiles(
      [
        { file: path.join(dir, 'src/module.ts'), content: 'new module\n' },
        { file: path.join(dir, 'src/added.ts'), content: 'added\n' },
        { file: snapshot, content: 'new snapshot\n' },
      ],
      {
        // A folder put in the way after the check (another process, a checkout): the last rename fails.
        beforeCommit: () => {
          rmSync(snapshot);
          mkdirSync(snapshot);
          writeFileSync(path.join(snapshot, 'keep'), '');
        },
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect((error as Error).message).toMatch(/^Cannot replace .*snapshot\.json: .*No file was changed\.$/);
    const after = tree(dir);
    expect(after['src/module.ts']).toBe(before['src/module.ts']);
    expect(after['src/added.ts']).toBeUndefined();
    expect(Object.keys(after).filter((name) => /\.(tmp|bak)$/.test(name))).toEqual([]);
  });

  it('an abort before the commit changes nothing and leaves no temp file', async () => {
    const dir = project();
    const before = tree(dir);
    const controller = new AbortController();
    const error = await writeFiles(
      [
        { file: path.join(dir, 'src/module.ts'), content: 'new module\n' },
        { file: path.join(dir, 'b24/snapshot.json'), content: 'new snapshot\n' },
      ],
      { signal: controller.signal, beforeCommit: () => controller.abort(new Error('interrupted')) },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe('interrupted');
    expect(tree(dir)).toEqual(before);
  });

  it('refuses a plan that names one file twice, and a target that is not a regular file', async () => {
    const dir = project();
    const file = path.join(dir, 'src/module.ts');
    await expect(writeFiles([{ file, content: 'a' }, { file, content: 'b' }])).rejects.toThrow(/planned twice/);
    await expect(writeFiles([{ file: path.join(dir, 'src'), content: 'a' }])).rejects.toThrow(/Cannot write .*src: it is a folder/);
    expect(readFileSync(file, 'utf8')).toBe('old module\n');
  });
});

describe('a signal while the files are prepared', () => {
  // The built library in a child process: the signal has to reach a real process.
  const script = (handler: string) => `
    import { writeFiles } from ${JSON.stringify(path.join(ROOT, 'dist/index.js'))};
    const [dir] = process.argv.slice(1);
    ${handler}
    await writeFiles(
      [{ file: dir + '/src/module.ts', content: 'new module\\n' }, { file: dir + '/b24/snapshot.json', content: 'new\\n' }],
      { beforeCommit: () => { process.kill(process.pid, 'SIGTERM'); return new Promise((resolve) => setTimeout(resolve, 20000)); } },
    );
    process.stdout.write('committed');
  `;
  async function runChild(handler: string, dir: string) {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    const child = spawn(process.execPath, ['--input-type=module', '-e', script(handler), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    return { code, signal, out };
  }

  it('with no handler of its own: the process dies of the signal, no file changed, no temp file left', async () => {
    const dir = project();
    const before = tree(dir);
    const result = await runChild('', dir);
    expect(result.signal, result.out).toBe('SIGTERM');
    expect(tree(dir)).toEqual(before);
  });

  it('with a handler that exits at once (as the CLI does on a second signal): no file changed, no temp file left', async () => {
    const dir = project();
    const before = tree(dir);
    const result = await runChild("process.on('SIGTERM', () => process.exit(130));", dir);
    expect(result.code, result.out).toBe(130);
    expect(tree(dir)).toEqual(before);
  });
});
