import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { OutputError } from '../shared/errors.js';

/** The file's text, or `undefined` when there is none yet. */
export async function readExisting(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new OutputError(`Cannot read ${file}: ${code ?? (error as Error).message}.`, { cause: error });
  }
}

/** Same content, allowing for a checkout that turned LF into CRLF. */
export function sameContent(existing: string | undefined, next: string): boolean {
  if (existing === undefined) return false;
  return existing === next || existing.replace(/\r\n/g, '\n') === next.replace(/\r\n/g, '\n');
}

/**
 * Writes only when the content changed, so watchers and incremental builds stay quiet; and atomically
 * (temp file in the same folder, then rename), so a failure or a kill mid-write never leaves a truncated
 * file. write-file-atomic also removes its temp file on SIGINT/SIGTERM and keeps the file's mode.
 */
export async function writeIfChanged(
  file: string,
  content: string,
  existing?: string,
): Promise<'written' | 'unchanged'> {
  const current = existing ?? (await readExisting(file));
  if (sameContent(current, content)) return 'unchanged';
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const { default: writeFileAtomic } = await import('write-file-atomic');
    await writeFileAtomic(file, content, { encoding: 'utf8' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OutputError(
      `Cannot write ${file}: ${code ?? (error as Error).message}. The previous file, if any, is unchanged.`,
      { cause: error },
    );
  }
  return 'written';
}
