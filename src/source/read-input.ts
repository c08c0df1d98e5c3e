import { stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../shared/errors.js';
import { readTextFile } from '../shared/text-file.js';
import { checkJsonBounds } from './json-bounds.js';

/** Largest `input` file read: the same bound as a portal answer. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;

const EXPECTED = 'Expected a crm.enum.ownertype response or a file written by `snapshot`.';
const INPUT = { option: 'input' } as const;

export interface InputFile {
  /** Absolute path of the file. */
  readonly file: string;
  /** The parsed JSON, not validated: the model reads it (a snapshot, or a raw response). */
  readonly json: unknown;
}

/**
 * Reads a saved response or snapshot (the `input` source): UTF-8, with or without a byte-order mark, bounded in size,
 * depth and string length like a portal answer. Every failure is an `InputError` (exit 2) naming the file.
 */
export async function readInput(file: string, cwd: string): Promise<InputFile> {
  const absolute = path.resolve(cwd, file);
  let text: string;
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    if (info.size > MAX_INPUT_BYTES) {
      throw new InputError(`\`input\` ${absolute} is ${info.size} bytes, over the limit of ${MAX_INPUT_BYTES}; it is not a saved response. ${EXPECTED}`, INPUT);
    }
    text = await readTextFile(absolute);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? (error as Error).message);
    throw new InputError(`Cannot read \`input\` ${absolute}: ${why}.`, INPUT);
  }
  const crossed = checkJsonBounds(text);
  if (crossed !== undefined) throw new InputError(`\`input\` ${absolute} holds ${crossed}, which no saved response does. ${EXPECTED}`, INPUT);
  try {
    return { file: absolute, json: JSON.parse(text) as unknown };
  } catch (error) {
    throw new InputError(`\`input\` ${absolute} is not JSON (${(error as Error).message}). ${EXPECTED}`, INPUT);
  }
}
