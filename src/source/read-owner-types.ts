import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError, InvalidResponseError } from '../shared/errors.js';
import type { OwnerTypeModel } from '../model/owner-types.js';
import { parseOwnerTypes } from '../model/parse-owner-types.js';
import type { Source } from '../options/generate-options.js';
import { fetchOwnerTypes, type FetchOptions } from './fetch-owner-types.js';

export interface ReadOptions extends FetchOptions {
  readonly cwd: string;
  /** Portal origin to record for a raw response that does not name one. */
  readonly portal?: string | undefined;
}

function hostOf(origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** The source stage: the portal over HTTP, or a saved response from disk; then the validated model. */
export async function readOwnerTypes(source: Source, options: ReadOptions): Promise<OwnerTypeModel> {
  if (source.kind === 'input') {
    const file = path.resolve(options.cwd, source.file);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(`Cannot read --input ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)}.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new InputError(
        `--input ${file} is not JSON (${(error as Error).message}). Expected a crm.enum.ownertype response or a file written by --snapshot.`,
      );
    }
    try {
      return parseOwnerTypes(json, { portal: hostOf(options.portal) });
    } catch (error) {
      if (error instanceof InvalidResponseError) {
        throw new InputError(`--input ${file}: ${error.message}`);
      }
      throw error;
    }
  }
  const fetched = await fetchOwnerTypes(source, options);
  return parseOwnerTypes(fetched.json, { portal: fetched.host });
}
