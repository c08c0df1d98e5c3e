import { createClient, type CallResult, type ClientOptions } from './client.js';
import type { RemoteSource } from './source.js';

export { scrubError } from './redact.js';

/** Where to call `crm.enum.ownertype`: the options' `Source`, without the saved-file kind. */
export type PortalSource = RemoteSource;
export type FetchOptions = ClientOptions;
export type FetchResult = CallResult;

/**
 * Calls `crm.enum.ownertype` and returns the parsed JSON of a successful answer: one call of the REST
 * client, with its retries, limits and secret scrubbing.
 */
export async function fetchOwnerTypes(source: PortalSource, options: FetchOptions): Promise<FetchResult> {
  const client = createClient(source, options);
  try {
    return await client.call('crm.enum.ownertype');
  } finally {
    await client.close();
  }
}
