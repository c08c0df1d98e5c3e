import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { chmod, chown, copyFile, link, mkdir, open, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { OutputError } from '../shared/errors.js';
import { inspectTarget } from './output-path.js';

/** One file a run means to write. */
export interface PlannedFile {
  /** Absolute path; a symlink to a regular file is written through. */
  readonly file: string;
  readonly content: string;
  /** The file's current text when the caller already read it (`undefined`: it does not exist). */
  readonly existing?: string | undefined;
}

export type WriteStatus = 'written' | 'unchanged';

export interface WriteFilesOptions {
  /** Checked once every file is prepared: an abort then removes the temp files and changes nothing. */
  readonly signal?: AbortSignal;
  /** Called when every changed file is prepared, just before the first rename. */
  readonly beforeCommit?: () => void | Promise<void>;
}

/** Files being prepared or committed by any run in this process, removed if the process goes down. */
const live = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function removeLiveSync(): void {
  for (const file of live) {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  // Someone else handles this signal (the CLI aborts the run, and the writer then rolls back on its own):
  // leave the process to them; 'exit' still cleans up if they exit at once.
  if (process.listenerCount(signal) > 1) return;
  // Alone: clean up, then die of the signal as the process would have without us.
  removeLiveSync();
  stopTracking();
  process.kill(process.pid, signal);
}

let running = 0;
function track(): void {
  if (running++ > 0) return;
  process.on('exit', removeLiveSync);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}
function untrack(): void {
  if (running > 0 && --running === 0) stopTracking();
}
function stopTracking(): void {
  running = 0;
  process.off('exit', removeLiveSync);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** The file's text, or `undefined` when there is none yet. */
export async function readExisting(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OutputError(`Cannot read ${file} to compare it with the new content: ${describeFsError(error)}. No file was changed.`, {
      cause: error,
    });
  }
}

/** Same content, allowing for a checkout that turned LF into CRLF. */
export function sameContent(existing: string | undefined, next: string): boolean {
  if (existing === undefined) return false;
  return existing === next || existing.replace(/\r\n/g, '\n') === next.replace(/\r\n/g, '\n');
}

/** Node's error codes for a failed file operation, in words, with the code kept for searching. */
function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EISDIR: 'a folder is in the way',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EEXIST: 'something else already exists there',
    ENAMETOOLONG: 'the name is too long',
    EMFILE: 'too many open files',
    EBUSY: 'the file is busy',
    EIO: 'an input/output error',
  };
  if (code === undefined) return String((error as Error)?.message ?? error);
  return words[code] === undefined ? code : `${words[code]} (${code})`;
}

interface Prepared {
  readonly target: string;
  readonly temp: string;
  /** A hard link (or copy) of the file being replaced, to put back if a later rename fails. */
  backup?: string | undefined;
}

function tempName(target: string, kind: 'tmp' | 'bak'): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.${kind}`);
}

/**
 * Writes every file of a run, or none: the output stage's one writer.
 *
 * Unchanged files are skipped, so watchers and incremental builds stay quiet. Every changed file is first
 * prepared in full — parent folders created, the content written and flushed to a temp file beside its
 * target, with the target's mode (and, as root, its owner) — and only when all are prepared are they
 * renamed into place. A failure while preparing removes the temp files (and the folders it created) and
 * leaves every file as it was; a failure while renaming (rare: an immutable file, a folder put in the way
 * meanwhile) puts back the files already replaced, from hard links taken just before. SIGINT, SIGTERM,
 * SIGHUP and `process.exit` remove the temp files.
 *
 * write-file-atomic does temp-and-rename for one file at a time; this needs the two phases apart across
 * files, so the few system calls are made here.
 */
export async function writeFiles(files: readonly PlannedFile[], options: WriteFilesOptions = {}): Promise<WriteStatus[]> {
  const targets = await Promise.all(
    files.map(async (planned) => {
      const found = await inspectTarget(path.resolve(planned.file));
      if (typeof found === 'string') throw new OutputError(`Cannot write ${planned.file}: it ${found}. No file was changed.`);
      return found.target;
    }),
  );
  if (new Set(targets).size !== targets.length) {
    throw new OutputError(`The same file is planned twice in one run: ${targets.filter((t, i) => targets.indexOf(t) !== i).join(', ')}.`);
  }
  const statuses: WriteStatus[] = [];
  const changed: Array<{ target: string; content: string }> = [];
  for (const [index, planned] of files.entries()) {
    const target = targets[index]!;
    const current = 'existing' in planned ? planned.existing : await readExisting(target);
    const same = sameContent(current, planned.content);
    statuses.push(same ? 'unchanged' : 'written');
    if (!same) changed.push({ target, content: planned.content });
  }
  if (changed.length === 0) return statuses;

  const prepared: Prepared[] = [];
  const createdFolders: CreatedFolders[] = [];
  track();
  try {
    try {
      for (const { target, content } of changed) prepared.push(await prepare(target, content, createdFolders));
      await options.beforeCommit?.();
      options.signal?.throwIfAborted();
    } catch (error) {
      await discard(prepared, createdFolders);
      throw error;
    }
    await commit(prepared);
  } finally {
    for (const item of prepared) {
      live.delete(item.temp);
      if (item.backup !== undefined) live.delete(item.backup);
    }
    untrack();
  }
  return statuses;
}

/** `mkdir -p` made `top` and every folder down to `leaf`. */
interface CreatedFolders {
  readonly top: string;
  readonly leaf: string;
}

async function prepare(target: string, content: string, createdFolders: CreatedFolders[]): Promise<Prepared> {
  const folder = path.dirname(target);
  try {
    const top = await mkdir(folder, { recursive: true });
    if (top !== undefined) createdFolders.push({ top, leaf: folder });
  } catch (error) {
    throw new OutputError(`Cannot create the folder ${folder} for ${target}: ${describeFsError(error)}. No file was changed.`, {
      cause: error,
    });
  }
  const previous = await stat(target).catch(() => undefined);
  const temp = tempName(target, 'tmp');
  live.add(temp);
  try {
    const handle = await open(temp, 'wx', previous === undefined ? 0o666 : previous.mode & 0o7777);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (previous !== undefined) {
      // open() applies the umask; the replaced file's own mode wins.
      await chmod(temp, previous.mode & 0o7777);
      if (process.getuid?.() === 0) await chown(temp, previous.uid, previous.gid).catch(() => undefined);
    }
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    live.delete(temp);
    throw new OutputError(`Cannot write ${target}: ${describeFsError(error)}. No file was changed.`, { cause: error });
  }
  return { target, temp };
}

async function commit(prepared: Prepared[]): Promise<void> {
  const done: Prepared[] = [];
  for (const item of prepared) {
    try {
      if (prepared.length > 1) item.backup = await backUp(item.target);
      await rename(item.temp, item.target);
      done.push(item);
    } catch (error) {
      const unrestored = await restore(done);
      await discard(prepared.filter((p) => !done.includes(p)), []);
      const state =
        unrestored.length === 0
          ? 'No file was changed.'
          : `These files could not be put back and hold the new content: ${unrestored.join(', ')}.`;
      throw new OutputError(`Cannot replace ${item.target}: ${describeFsError(error)}. ${state}`, { cause: error });
    }
  }
  await Promise.all(done.map((item) => (item.backup === undefined ? undefined : unlink(item.backup).catch(() => undefined))));
}

/** A hard link to the file about to be replaced (a copy where links are not supported); none if absent. */
async function backUp(target: string): Promise<string | undefined> {
  const backup = tempName(target, 'bak');
  live.add(backup);
  try {
    await link(target, backup);
    return backup;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      try {
        await copyFile(target, backup);
        return backup;
      } catch (copyError) {
        await unlink(backup).catch(() => undefined);
        live.delete(backup);
        throw copyError;
      }
    }
    live.delete(backup);
    return undefined;
  }
}

/** Puts back what a partial commit replaced; returns the files it could not restore. */
async function restore(done: readonly Prepared[]): Promise<string[]> {
  const failed: string[] = [];
  for (const item of [...done].reverse()) {
    try {
      if (item.backup === undefined) await unlink(item.target);
      else await rename(item.backup, item.target);
    } catch {
      failed.push(item.target);
    }
  }
  return failed;
}

async function discard(prepared: readonly Prepared[], createdFolders: readonly CreatedFolders[]): Promise<void> {
  for (const item of prepared) {
    for (const file of [item.temp, item.backup]) {
      if (file === undefined) continue;
      await unlink(file).catch(() => undefined);
      live.delete(file);
    }
  }
  // Folders this run created, deepest first; rmdir removes a folder only while it is empty.
  for (const { top, leaf } of [...createdFolders].reverse()) {
    for (let dir = leaf; dir.length >= top.length; dir = path.dirname(dir)) {
      if ((await rmdir(dir).then(() => true, () => false)) === false) break;
      if (dir === top) break;
    }
  }
}
