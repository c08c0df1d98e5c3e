import type { Source } from '../options/generate-options.js';

/** A source that is called over HTTP: an inbound webhook, or a portal origin plus an OAuth access token. */
export type RemoteSource = Exclude<Source, { readonly kind: 'input' }>;

/**
 * How error messages name where each value of a source is set, so that their advice points there: for
 * the CLI `B24_WEBHOOK_URL (or --webhook)`, for a portal of the config `B24_PROD_WEBHOOK_URL
 * (portals.prod.webhookEnv)`. Names only, never values. Each names the place for its value whichever kind
 * of source is used, since advice may suggest the other kind.
 */
export interface SourceNames {
  readonly webhook: string;
  readonly portal: string;
  readonly token: string;
}
