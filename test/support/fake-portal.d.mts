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
  | { accessDenied: true }
  /** Answer normally, but fail these methods (lower-case or as spelled) inside this one request's batch. */
  | { commandErrors: Record<string, CommandError> };

/** A per-command error: `error` as the portal sends it (`""`, `0`, a code); `status` only for a single call. */
export interface CommandError {
  error: string | number;
  description?: string;
  status?: number;
}

export type Semantics = null | 'P' | 'S' | 'F';

/** One stage or dictionary item; the full `STATUS_ID` is the pipeline's prefix + `:` + `code`. */
export interface DatasetStage {
  code: string;
  name: string;
  sort: number;
  semantics: Semantics;
  color?: string;
}

/** One pipeline (category) of deals (2), smart invoices (31), smart documents (36) or an SPA. */
export interface DatasetPipeline {
  entityTypeId: number;
  categoryId: number;
  name: string;
  sort: number;
  isDefault: boolean;
  stages: DatasetStage[];
}

/** What `crm.type.list` knows of an SPA beyond crm.enum.ownertype (its title is the owner type's NAME). */
export interface DatasetSpa {
  entityTypeId: number;
  /** The row `id`, not the entity type ID. */
  id: number;
  code: string;
  isCategoriesEnabled: 'Y' | 'N';
  isStagesEnabled: 'Y' | 'N';
}

/**
 * A whole portal, from which every answer is derived. An SPA among `ownerTypes` that `spas`/`pipelines` do
 * not describe gets a type row and one default pipeline with the default stages.
 */
export interface PortalDataset {
  /** crm.enum.ownertype's result, in the portal's order. */
  ownerTypes: RawOwnerType[];
  spas: DatasetSpa[];
  /** Stage dictionaries of types without pipelines: `STATUS` (1), `QUOTE_STATUS` (7), `INVOICE_STATUS` (5). */
  stageLists: { entityId: string; entityTypeId: number; name: string; stages: DatasetStage[] }[];
  pipelines: DatasetPipeline[];
  /** Non-stage dictionaries (`SOURCE`, `CONTACT_TYPE`, …): rows of crm.status.list, `{ID, NAME}` in entity types. */
  dictionaries: { entityId: string; name: string; items: DatasetStage[] }[];
}

export type DatasetName = 'seed' | 'twin' | 'large';

export interface FakePortalOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Serve https with this key and certificate (PEM) instead of http. */
  tls?: { key: string; cert: string };
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
  /**
   * Add this many generated SPAs (ids 128–191, then even ids from 1030; mixed titles with duplicates), each
   * with one default pipeline. With `dataset: 'large'`: the number of SPAs of that dataset (default 200).
   */
  spas?: number;
  /** With `dataset: 'large'`: pipelines per SPA (default 2). */
  pipelines?: number;
  /** The portal: a named dataset or a dataset object. Default `seed`. `ownerTypes` overrides its owner types. */
  dataset?: DatasetName | PortalDataset;
  /**
   * A CRM admin's webhook (default `true`). `false`: crm.type.list → 400 ACCESS_DENIED, and by default
   * crm.type.getByEntityTypeId is denied for SPA 156 and deal pipeline 9 is hidden from crm.category.list.
   */
  admin?: boolean;
  /** Pipelines the user cannot read, by entity type ID: left out of crm.category.list, still in crm.status.*. */
  hiddenCategories?: Record<number, number[]>;
  /** SPAs whose crm.type.getByEntityTypeId a non-admin is denied. */
  deniedSpas?: number[];
  /** An older core: no CATEGORY_NAME/CATEGORY_SORT/IS_DEFAULT_CATEGORY, crm.type.getByEntityTypeId → ERROR_METHOD_NOT_FOUND. */
  oldCore?: boolean;
  /** `false`: every crm.* method answers 400 `{"error":"","error_description":"Access denied."}`. */
  crmAccess?: boolean;
  /** crm.status.list ignores every filter and answers every row. */
  ignoreStatusFilter?: boolean;
  /** Methods that fail on every call, in batch (in `result_error`) and alone (with `status`, else the table's or 400). */
  commandErrors?: Record<string, CommandError>;
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
  /** A copy of the dataset served (with the owner types served). */
  readonly dataset: PortalDataset;
  /** Serve this dataset from now on. */
  setDataset(dataset: PortalDataset): void;
  /** Give an SPA (or any owner type) a new title; its ID stays. */
  renameSpa(entityTypeId: number, title: string): void;
  renamePipeline(entityTypeId: number, categoryId: number, name: string): void;
  /** Rename the stage with this full `STATUS_ID`; pass the entity type ID when the ID exists in two dictionaries (`NEW`). */
  renameStage(statusId: string, name: string, entityTypeId?: number): void;
  /** Methods that fail from now on (replaces the `commandErrors` option). */
  setCommandErrors(errors: Record<string, CommandError>): void;
  enqueue(...steps: FaultStep[]): void;
  /** Stops listening and destroys every connection, hanging ones included. */
  close(): Promise<void>;
}

export interface FakePortals<K extends string> {
  readonly portals: Record<K, FakePortal>;
  close(): Promise<void>;
}

export declare const ERROR_STATUSES: Readonly<Record<string, readonly [number, string]>>;
export declare function seedOwnerTypes(): RawOwnerType[];
export declare function generateSpas(count: number, takenIds?: Set<number>): RawOwnerType[];
export declare function startFakePortal(options?: FakePortalOptions): Promise<FakePortal>;
/** Several portals at once, each its own server, port, code, token, dataset and request log. */
export declare function startFakePortals<K extends string>(specs: Record<K, FakePortalOptions>): Promise<FakePortals<K>>;
export declare function seedDataset(): PortalDataset;
/** The seed portal after export/import: 177 → 1046 (row 21), 156 → 1048, categories 7 → 88, 9 → 90, 11 → 92, deal 3 → 4, 9 → 11. */
export declare function twinDataset(): PortalDataset;
/** The seed portal plus `spas` SPAs × `pipelines` pipelines × 6 stages (default 200 × 2). Deterministic. */
export declare function largeDataset(options?: { spas?: number; pipelines?: number }): PortalDataset;
export declare function namedDataset(name: DatasetName, options?: { spas?: number; pipelines?: number }): PortalDataset;
/** Renumber as an export/import does; `categories` keys are `"<entityTypeId>:<categoryId>"`. */
export declare function renumberDataset(
  dataset: PortalDataset,
  map: { entityTypeIds?: Record<number, number>; typeIds?: Record<number, number>; categories?: Record<string, number> },
): PortalDataset;
export declare function defaultStages(entityTypeId: number): DatasetStage[];
