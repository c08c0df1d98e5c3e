import { writeFiles, type WriteStatus } from './write-files.js';

/**
 * One file through the run writer (write-files.ts): written only when the content changed, atomically,
 * its mode kept. `existing` is the file's current text when the caller already read it.
 */
export async function writeIfChanged(file: string, content: string, existing?: string): Promise<WriteStatus> {
  const [status] = await writeFiles([{ file, content, ...(existing !== undefined && { existing }) }]);
  return status ?? 'unchanged';
}
