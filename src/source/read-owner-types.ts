import { InvalidResponseError, InputError } from '../shared/errors.js';
import type { OwnerTypeModel } from '../model/owner-types.js';
import { parseOwnerTypes } from '../model/parse-owner-types.js';
import type { Source } from '../options/generate-options.js';
import { fetchOwnerTypes, type FetchOptions } from './fetch-owner-types.js';
import { readInput } from './read-input.js';

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

/** The source stage for owner types only: the portal over HTTP, or a saved response from disk; then the validated model. */
export async function readOwnerTypes(source: Source, options: ReadOptions): Promise<OwnerTypeModel> {
  if (source.kind === 'input') {
    const { file, json } = await readInput(source.file, options.cwd);
    try {
      return parseOwnerTypes(json, { portal: hostOf(options.portal) });
    } catch (error) {
      if (error instanceof InvalidResponseError) throw new InputError(`--input ${file}: ${error.message}`);
      throw error;
    }
  }
  const fetched = await fetchOwnerTypes(source, options);
  return parseOwnerTypes(fetched.json, { portal: fetched.host });
}
