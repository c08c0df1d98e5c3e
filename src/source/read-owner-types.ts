import type { OwnerTypeModel } from '../model/owner-types.js';
import type { Source } from '../options/generate-options.js';
import type { FetchOptions } from './fetch-owner-types.js';
import { readSource } from './read-source.js';

export interface ReadOptions extends FetchOptions {
  readonly cwd: string;
  /** Portal origin to record for a raw response that does not name one. */
  readonly portal?: string | undefined;
}

/** The source stage for owner types only (one `crm.enum.ownertype` call, or a saved input): the validated model. */
export async function readOwnerTypes(source: Source, options: ReadOptions): Promise<OwnerTypeModel> {
  const model = await readSource(source, { ...options, pipelines: false });
  return { portal: model.host, types: model.ownerTypes };
}
