import type { Logger } from '../shared/logger.js';
import type { SourceNames } from '../source/source.js';

export type { SourceNames } from '../source/source.js';

/** Where the owner types come from: exactly one of these. */
export type Source =
  /** An inbound webhook base, `https://PORTAL/rest/USER_ID/CODE/`. The code is a secret. */
  | { readonly kind: 'webhook'; readonly url: string }
  /** OAuth: the portal origin and an access token (a secret; tokens live one hour). */
  | { readonly kind: 'oauth'; readonly portal: string; readonly token: string }
  /** A saved response: a raw `crm.enum.ownertype` response or a file written by `snapshot`. */
  | { readonly kind: 'input'; readonly file: string };

export type EnumStyleOption = 'auto' | 'enum' | 'const';

export const DEFAULT_OUT = 'src/generated/ownertypes.ts';
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_RETRIES = 3;

/** Options of `generate()`. Relative paths are resolved against `cwd`. */
export interface GenerateOptions {
  readonly source: Source;
  /** Where your code sets the source's values, for the advice of error messages. Default: the fields of `source` (`source.url`). */
  readonly sourceNames?: Partial<SourceNames>;
  /** The module to write. Default `src/generated/ownertypes.ts`; parent folders are created. */
  readonly out?: string;
  /** Write nothing; report whether `out` is current. Default `false`. */
  readonly check?: boolean;
  /** Also write the normalized response here, for offline regeneration. */
  readonly snapshot?: string;
  /** Default `auto`: `const` when the tsconfig governing `out` sets `erasableSyntaxOnly`, else `enum`. */
  readonly enumStyle?: EnumStyleOption;
  /** Milliseconds per request attempt. Default 15000. */
  readonly timeout?: number;
  /** Retries for rate limits, 5xx and network faults. Default 3. */
  readonly retries?: number;
  /** Format with the project's Prettier config for `out`. Default `true`. */
  readonly format?: boolean;
  /**
   * SPA identifiers keyed by entity type ID (`"177"`), SYMBOL_CODE (`"DYNAMIC_177"`) or the SPA's symbolic
   * `code` from crm.type.list (`"rental_listing"`).
   */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Read pipelines and stages (`Category`, `Stage`, …). Default `true`; `false` gives owner types only. */
  readonly pipelines?: boolean;
  /** Leave out the `@deprecated` aliases kept for renamed SPAs, pipelines and stages. Default `false`. */
  readonly dropDeprecated?: boolean;
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case) are read. Default `process.env`. */
  readonly proxyEnv?: Readonly<Record<string, string | undefined>>;
  /** Portal origin to name in the banner when `source` is a raw response that does not say. */
  readonly portal?: string;
  /** Base folder for relative paths. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Where progress and warnings go. Default: nowhere. */
  readonly logger?: Logger;
  /** Aborts the request and leaves every file as it was. */
  readonly signal?: AbortSignal;
}
