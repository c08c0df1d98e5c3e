import type { OwnerType } from './owner-types.js';

/**
 * The types between the source stage and the pure stages, for everything read from one portal:
 *
 *   source (HTTP or a file) → RawPortal (each command's answer or failure, unvalidated)
 *     → parsePortal → PortalModel (validated, sorted; each section `ok` or `unavailable`)
 *
 * A section is never silently empty: when the portal refused it, it is `unavailable` with the reason.
 */

/** One command's outcome: a single call, or one member of a `batch` answer. */
export type CommandResult =
  | {
      readonly ok: true;
      /** The method's `result`, as sent (for a batch member: `result.result[key]`). */
      readonly result: unknown;
      /** `total` (`result_total[key]` in a batch), when the portal sent one. */
      readonly total?: number;
      /** `next` (`result_next[key]`), when more pages remain. */
      readonly next?: number;
    }
  | {
      readonly ok: false;
      /** The portal's `error` code as sent (`ACCESS_DENIED`); `""` when it sent none, `"0"` for the number 0. */
      readonly error: string;
      /** `error_description`, verbatim (may be translated). */
      readonly description: string;
    };

/** What the source stage read for the pipelines and stages section, command by command. */
export interface RawPipelines {
  /** `crm.status.entity.types`: every dictionary of the portal, not filtered by permissions. */
  readonly statusTypes: CommandResult;
  /**
   * `crm.status.list?filter[ENTITY_ID]=<ID>`, one per stage dictionary named by `statusTypes`, keyed by that
   * `ENTITY_ID`. The portal may ignore the filter and answer every dictionary: rows are checked one by one.
   */
  readonly statuses: Readonly<Record<string, CommandResult>>;
  /** `crm.category.list?entityTypeId=<N>`, keyed by the entity type ID as a string (`"2"`, `"177"`). */
  readonly categories: Readonly<Record<string, CommandResult>>;
  /** `crm.type.list`, every page's `types` merged into one `{ types: [...] }` result; an error when denied. */
  readonly spaTypes: CommandResult;
  /** `crm.type.getByEntityTypeId`, keyed by entity type ID, asked for when `crm.type.list` was denied. */
  readonly spaTypeByEntityTypeId?: Readonly<Record<string, CommandResult>>;
}

/** Everything the source stage read from one portal, before validation. */
export interface RawPortal {
  /** Host of the portal (`example.bitrix24.com`), when known. Never a secret. */
  readonly host: string | undefined;
  /** The `result` of `crm.enum.ownertype`. */
  readonly ownerTypes: unknown;
  /** Absent when pipelines were not asked for (`--no-pipelines`) or a saved input holds none. */
  readonly pipelines?: RawPipelines;
}

/** A section of the module: read and valid, or not available on this run, with the reason. */
export type Section<T> =
  | { readonly status: 'ok'; readonly data: T }
  | {
      readonly status: 'unavailable';
      /** Why, in the portal's terms, one line: `crm.type.list: ACCESS_DENIED (the webhook's user is not a CRM admin)`. */
      readonly reason: string;
    };

export type StageSemantics = 'process' | 'success' | 'failure';

/** One stage (a `crm.status.list` row of a stage dictionary). */
export interface Stage {
  /** The full `STATUS_ID`, as `crm.item.*` uses it: `WON`, `C3:WON`, `DT177_7:NEW`. */
  readonly statusId: string;
  /** The code after the pipeline prefix: `WON`, `UC_7F3K2A`, `1`. */
  readonly code: string;
  /** NAME, verbatim. */
  readonly name: string;
  /** SORT as a number. */
  readonly sort: number;
  /** The row's `ID` as a number: the tie-breaker after SORT. */
  readonly rowId: number;
  /** `S` → success, `F` → failure, anything else (`null`, `""`, `"P"`) → process. */
  readonly semantics: StageSemantics;
}

/** One pipeline (category) of an owner type that has pipelines. */
export interface Pipeline {
  /** The category ID: `0` for the default deal pipeline, a real row ID for SPAs. */
  readonly categoryId: number;
  /** The name, verbatim; `undefined` when the portal does not say (a pipeline the webhook's user cannot read). */
  readonly name: string | undefined;
  readonly sort: number;
  readonly isDefault: boolean;
  /** `false` when `crm.category.list` did not list it although the dictionaries do: the user cannot read it. */
  readonly readable: boolean;
  /** The stage dictionary (`DEAL_STAGE_3`, `DYNAMIC_177_STAGE_7`); `undefined` for types without stages (contacts). */
  readonly statusEntityId: string | undefined;
  /** In the portal's order: SORT, then row ID. */
  readonly stages: readonly Stage[];
}

/** The pipelines and stages of one owner type. */
export type OwnerTypeStages =
  | {
      readonly kind: 'pipelines';
      readonly entityTypeId: number;
      /** Sorted by category ID. */
      readonly pipelines: readonly Pipeline[];
    }
  | {
      /** A type without pipelines (lead `STATUS`, quote `QUOTE_STATUS`, old invoice `INVOICE_STATUS`). */
      readonly kind: 'stages';
      readonly entityTypeId: number;
      readonly statusEntityId: string;
      /** In the portal's order: SORT, then row ID. */
      readonly stages: readonly Stage[];
    };

/** What `crm.type.list` (or `crm.type.getByEntityTypeId`) says of one SPA. */
export interface SpaDetail {
  readonly entityTypeId: number;
  /** The SPA's row `id` (`CRM_{id}`, `ufCrm{id}_…`): not its entity type ID. */
  readonly typeId: number;
  /** The symbolic `code`; `""` when none is set (most portals). */
  readonly code: string;
}

export interface PipelinesData {
  /** Sorted by entity type ID; only owner types of the portal that have stages or pipelines. */
  readonly types: readonly OwnerTypeStages[];
}

/** One portal, validated: what naming and emitting work from. */
export interface PortalModel {
  /** Host of the portal, when known. Never a secret. */
  readonly host: string | undefined;
  /** Sorted by ID; IDs, symbol codes and non-empty short codes unique. */
  readonly ownerTypes: readonly OwnerType[];
  readonly pipelines: Section<PipelinesData>;
  /** SPA codes and row IDs; `unavailable` without CRM-admin rights, or when pipelines were not read. */
  readonly spaDetails: Section<readonly SpaDetail[]>;
  /** Things worth a warning that did not stop the run (a pipeline the user cannot read, orphan stage rows). */
  readonly notices: readonly string[];
}
