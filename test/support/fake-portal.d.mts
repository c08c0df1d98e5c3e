/** One owner type as a portal sends it. */
export interface RawOwnerType {
  ID: number | string;
  NAME: string;
  SYMBOL_CODE: string;
  SYMBOL_CODE_SHORT: string;
}

/**
 * What the portal does with the next request. Steps are consumed one per request, in order, before auth is
 * checked; when the queue is empty the portal answers normally.
 */
export type FaultStep =
  /** Answer normally (useful between faults). */
  | { ok: true }
  /** A Bitrix error body with the live status of the reference table (override with `status`); `extra` keys are merged into the body. */
  | { error: string; description?: string; status?: number; extra?: Record<string, unknown> }
  /** Any answer: an object body is sent as JSON, a string as is. */
  | { status: number; body?: unknown; contentType?: string; headers?: Record<string, string> }
  /** An nginx gateway page with this status (502, 503, 504). */
  | { html: number }
  /** Never answer (the connection stays open until `close()`). */
  | { hang: true }
  /** Wait, then apply the rest of the step (or answer normally). */
  | ({ delayMs: number } & Record<string, unknown>)
  /** Send the headers and half the body, then nothing. */
  | { stallBody: true }
  /** Send the headers, then one byte every `trickleMs` forever: never slow enough for a body timeout. */
  | { trickleMs: number }
  /** Destroy the socket without answering. */
  | { reset: true }
  /** Answer a redirect (302 unless `status` says otherwise) to `redirect`. */
  | { redirect: string; status?: number }
  /** HTTP 400 `{"error":"","error_description":"Access denied."}`: a user without CRM access. */
  | { accessDenied: true };

export interface FakePortalOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Webhook user ID. Default 1. */
  userId?: number;
  /** Webhook code. Default: 16 random hex characters. */
  code?: string;
  /** The valid OAuth access token. Default: 70 random hex characters. */
  token?: string;
  /** Tokens answered with 401 `expired_token`. */
  expiredTokens?: string[];
  /** Scopes of the webhook. Default `['crm']`; without `crm` the portal answers 401 `insufficient_scope`. */
  scopes?: string[];
  /**
   * The owner types to serve, verbatim and in this order (malformed entries too, to test validation).
   * Default: the doc sample (test/fixtures/seed-response.json).
   */
  ownerTypes?: readonly unknown[];
  /** Add this many generated SPAs (ids 128–191, then even ids from 1030; mixed titles with duplicates). */
  spas?: number;
  /** Steps for the first requests; same as `enqueue(...)`. */
  faults?: FaultStep[];
  /** Leaky bucket; past `capacity`, 503 QUERY_LIMIT_EXCEEDED. */
  rateLimit?: { capacity: number; drainPerSecond: number };
}

export interface RecordedRequest {
  method: string;
  /** The raw request path with its query (holds the webhook code). */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** `Date.now()` when the request body was complete. */
  time: number;
}

export interface FakePortal {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** `http://127.0.0.1:PORT/rest/USER_ID/CODE/`. */
  readonly webhookUrl: string;
  readonly port: number;
  readonly code: string;
  readonly userId: string;
  /** The valid OAuth access token. */
  readonly token: string;
  /** Every request the portal saw, in order. */
  readonly requests: RecordedRequest[];
  /** A copy of what is served (typed for the usual, well-formed case). */
  readonly ownerTypes: RawOwnerType[];
  readonly pendingSteps: number;
  /** Serve this list from now on, verbatim (malformed entries too). */
  setOwnerTypes(list: readonly unknown[]): void;
  enqueue(...steps: FaultStep[]): void;
  /** Stops listening and destroys every connection, hanging ones included. */
  close(): Promise<void>;
}

export declare const ERROR_STATUSES: Readonly<Record<string, readonly [number, string]>>;
export declare function seedOwnerTypes(): RawOwnerType[];
export declare function generateSpas(count: number, takenIds?: Set<number>): RawOwnerType[];
export declare function startFakePortal(options?: FakePortalOptions): Promise<FakePortal>;
