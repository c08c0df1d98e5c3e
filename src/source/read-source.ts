import { parsePortal, PIPELINES_NOT_READ } from '../model/parse-portal.js';
import type { PortalModel } from '../model/portal.js';
import { parsePortalInput } from '../model/snapshot.js';
import { InputError, InvalidResponseError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Source } from '../options/generate-options.js';
import type { ClientOptions } from './client.js';
import { readInput } from './read-input.js';
import { readPortal } from './read-portal.js';

export interface ReadSourceOptions extends ClientOptions {
  readonly cwd: string;
  /** Read pipelines and stages too. A saved input that holds them drops them when `false`. */
  readonly pipelines: boolean;
  /** Portal origin to record for a raw response that does not name one. */
  readonly portal?: string | undefined;
  readonly logger?: Logger | undefined;
}

function hostOf(origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * The source stage for a whole portal: the portal over HTTP (one call, or two rounds of batch with
 * pipelines), or a saved response or snapshot from disk; then the validated model.
 */
export async function readSource(source: Source, options: ReadSourceOptions): Promise<PortalModel> {
  if (source.kind === 'input') {
    const { file, json } = await readInput(source.file, options.cwd);
    let model: PortalModel;
    try {
      model = parsePortalInput(json, { host: hostOf(options.portal) });
    } catch (error) {
      if (error instanceof InvalidResponseError) throw new InputError(`\`input\` ${file}: ${error.message}`, { option: 'input' });
      throw error;
    }
    if (options.pipelines || model.pipelines.status === 'unavailable') return model;
    const none = { status: 'unavailable', reason: PIPELINES_NOT_READ } as const;
    return { ...model, pipelines: none, spaDetails: none };
  }
  return parsePortal(await readPortal(source, options));
}
