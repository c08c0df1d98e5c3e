import type { Source } from '../options/generate-options.js';

/** A source that is called over HTTP: an inbound webhook, or a portal origin plus an OAuth access token. */
export type RemoteSource = Exclude<Source, { readonly kind: 'input' }>;
