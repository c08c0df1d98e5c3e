import { lstat, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { OutputError } from '../shared/errors.js';

/** A file a run may write, checked before anything is read from the portal. */
export interface OutputTarget {
  /** The path as the user named it, made absolute. */
  readonly file: string;
  /** Where the bytes go: `file` itself, or the regular file a symlink at `file` points to. */
  readonly target: string;
  /** `file` is a symlink to `target`: written through, the link kept. */
  readonly viaLink: boolean;
}

/** What a non-regular file system entry is, in words. */
function describeKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * Checks that `raw` (a path as given in a flag or the config, relative to `cwd`) names a regular file or
 * nothing yet, so a run never replaces a device, a pipe or a folder with a file, and never blocks reading
 * a FIFO. A symlink to a regular file is followed: the target is written and the link stays a link.
 * `option` is the option's name (`out`, `snapshot`): messages name it in backticks, and the error carries it.
 */
export async function checkOutputPath(raw: string, cwd: string, option: string): Promise<OutputTarget> {
  // path.resolve drops a trailing slash; the user meant a folder, and a folder is not a file to write.
  const problem = /(?:^|[\\/])(?:\.{1,2})?$/.test(raw) ? 'names a folder' : undefined;
  const file = path.resolve(cwd, raw);
  const found = problem === undefined ? await inspectTarget(file) : problem;
  if (typeof found === 'string') {
    throw new OutputError(`\`${option}\` ${shown(raw, file, cwd)} ${found}. \`${option}\` must name a regular file, or one that does not exist yet.`, { option });
  }
  return found;
}

/** The path as short as it reads best: relative to `cwd` when inside it (options arrive resolved). */
function shown(raw: string, file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  if (raw === '' || relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return raw;
  return relative + (/[\\/]$/.test(raw) ? path.sep : '');
}

/**
 * What writing `file` would do: the target to write (a symlink followed to its regular file), or why it
 * cannot be a file (`is a folder`, `is a named pipe (FIFO)`, …).
 */
export async function inspectTarget(file: string): Promise<OutputTarget | string> {
  let entry: Stats | undefined;
  try {
    entry = await lstat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw cannotInspect(file, error);
  }
  if (entry === undefined) {
    const blocker = await firstNonFolder(path.dirname(file));
    if (blocker !== undefined) return `cannot be created: ${blocker.dir} is ${blocker.kind}, not a folder`;
    return { file, target: file, viaLink: false };
  }
  if (entry.isFile()) return { file, target: file, viaLink: false };
  if (!entry.isSymbolicLink()) return `is ${describeKind(entry)}`;

  let pointed: Stats;
  try {
    pointed = await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'is a symbolic link to nothing (a dangling link)';
    if (code === 'ELOOP') return 'is a symbolic link that loops';
    throw cannotInspect(file, error);
  }
  if (!pointed.isFile()) return `is a symbolic link to ${describeKind(pointed)}`;
  return { file, target: await realpath(file), viaLink: true };
}

/**
 * Checks every file of a run at once: each one alone, and no two the same file (the module and its
 * snapshot, or two portals' modules, written over each other).
 */
export async function checkOutputPaths(
  paths: ReadonlyArray<{ readonly raw: string; readonly option: string }>,
  cwd: string,
): Promise<OutputTarget[]> {
  const targets = await Promise.all(paths.map(({ raw, option }) => checkOutputPath(raw, cwd, option)));
  const seen = new Map<string, number>();
  targets.forEach((target, index) => {
    const earlier = seen.get(target.target);
    if (earlier !== undefined) {
      const [a, b] = [paths[earlier]!, paths[index]!];
      throw new OutputError(
        `\`${a.option}\` ${shown(a.raw, targets[earlier]!.file, cwd)} and \`${b.option}\` ${shown(b.raw, target.file, cwd)} are the same file; give each its own path.`,
        { option: b.option },
      );
    }
    seen.set(target.target, index);
  });
  return targets;
}

/** The nearest ancestor of `folder` (or `folder` itself) that exists and is not a folder, if any. */
async function firstNonFolder(folder: string): Promise<{ dir: string; kind: string } | undefined> {
  const chain: string[] = [];
  for (let dir = folder; ; dir = path.dirname(dir)) {
    chain.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    let stats: Stats;
    try {
      stats = await stat(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined; // the rest is created
      if (code === 'ENOTDIR') continue; // reported at the ancestor that is a file
      throw cannotInspect(dir, error);
    }
    if (!stats.isDirectory()) return { dir, kind: stats.isFile() ? 'a file' : describeKind(stats) };
  }
  return undefined;
}

function cannotInspect(file: string, error: unknown): OutputError {
  const code = (error as NodeJS.ErrnoException).code;
  return new OutputError(`Cannot inspect ${file} before writing it: ${code ?? (error as Error).message}.`, { cause: error });
}
