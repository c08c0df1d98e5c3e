import { PipelinesRefusedError, PortalError } from '../shared/errors.js';
import type { OwnerType } from './owner-types.js';
import { parseOwnerTypeList } from './parse-owner-types.js';
import type {
  CommandResult,
  OwnerTypeStages,
  Pipeline,
  PipelinesData,
  PortalModel,
  RawPipelines,
  RawPortal,
  Section,
  SpaDetail,
  Stage,
  StageSemantics,
} from './portal.js';
import {
  checkCount,
  describeFailure,
  fail,
  INT32_MAX,
  INT32_MIN,
  isObject,
  PORTAL_LIMITS,
  readInteger,
  readString,
  showValue,
  toInteger,
  type JsonObject,
  type PortalLimits,
} from './validate.js';

export interface ParsePortalOptions {
  /** Bounds on what an answer may hold; `PORTAL_LIMITS` unless given. */
  readonly limits?: Partial<PortalLimits>;
}

/** The reason of both pipeline sections when they were not asked for. */
export const PIPELINES_NOT_READ = 'not read (--no-pipelines)';

const FAILED_TYPE = 'ENTITY_TYPE_NOT_SUPPORTED';

/** Error codes that mean "this user may not", as opposed to a fault: the advice differs. */
const ACCESS_ERRORS = new Set([
  // Old-style REST proxies (crm.status.*) throw `Access denied.` without a code.
  '',
  'ACCESS_DENIED',
  'insufficient_scope',
  'allowed_only_intranet_user',
  'user_access_error',
  'WRONG_AUTH_TYPE',
]);

const ADVICE =
  "The webhook's (or token's) user needs read access to at least one CRM object (CRM → Settings → Access " +
  'permissions), and the webhook or app the "crm" scope. Or run with --no-pipelines (config "pipelines": false) ' +
  'to generate owner types only.';

/**
 * Validates everything read from one portal into the model naming and emitting work from. Pure: no I/O.
 *
 * Owner types are validated as `parseOwnerTypes` does. With `raw.pipelines`:
 * - the stage dictionaries are those `crm.status.entity.types` names (it is not filtered by permissions);
 * - stages come from each dictionary's `crm.status.list` answer, row by row (`ENTITY_ID` checked, so a
 *   portal that ignores the filter gives the same model), sorted by SORT then row ID;
 * - names, sort and the default flag of pipelines come from `crm.category.list`, else from the dictionary;
 *   a pipeline the dictionaries name but `crm.category.list` does not is kept with `readable: false`;
 * - SPA codes and row IDs come from `crm.type.list`, else `crm.type.getByEntityTypeId`, else `unavailable`.
 *
 * Throws `InvalidResponseError` naming the method and item for an answer that cannot be right or is too
 * large, `PipelinesRefusedError` (exit 3, with advice) when the portal refused the pipeline and stage methods
 * altogether, and `PortalError` when one of them failed otherwise. Anything merely worth a warning is a notice.
 */
export function parsePortal(raw: RawPortal, options: ParsePortalOptions = {}): PortalModel {
  const limits: PortalLimits = { ...PORTAL_LIMITS, ...options.limits };
  const ownerTypes = parseOwnerTypeList(raw.ownerTypes, 'crm.enum.ownertype response', 'result', limits);
  if (raw.pipelines === undefined) {
    return {
      host: raw.host,
      ownerTypes,
      pipelines: unavailable(PIPELINES_NOT_READ),
      spaDetails: unavailable(PIPELINES_NOT_READ),
      notices: [],
    };
  }
  const notices: string[] = [];
  const pipelines = parsePipelines(raw.pipelines, ownerTypes, limits, notices);
  const spaDetails = parseSpaDetails(raw.pipelines, ownerTypes, limits, notices);
  return { host: raw.host, ownerTypes, pipelines: { status: 'ok', data: pipelines }, spaDetails, notices };
}

/**
 * The owner types of the first round, validated as `parsePortal` will validate them: an answer that cannot
 * be right stops the read before the second round is asked for. Throws `InvalidResponseError`.
 */
export function checkOwnerTypesAnswer(result: unknown, options: ParsePortalOptions = {}): void {
  parseOwnerTypeList(result, 'crm.enum.ownertype response', 'result', { ...PORTAL_LIMITS, ...options.limits });
}

function unavailable(reason: string): Section<never> {
  return { status: 'unavailable', reason };
}

// ---------------------------------------------------------------------------------------------------------
// crm.status.entity.types: which dictionaries hold stages, and of which owner type and pipeline

interface Dictionary {
  readonly id: string;
  readonly entityTypeId: number;
  /** Undefined for a type without pipelines (`STATUS`, `QUOTE_STATUS`, `INVOICE_STATUS`). */
  readonly categoryId: number | undefined;
  /** What STATUS_IDs start with, before `:` (`C3`, `DT177_7`); undefined for bare codes. */
  readonly prefix: string | undefined;
  /** New cores name SPA pipelines in the dictionary itself. */
  readonly categoryName: string | undefined;
  readonly categorySort: number | undefined;
  readonly isDefaultCategory: boolean | undefined;
}

interface Family {
  readonly pattern: RegExp;
  readonly entityTypeId: ((match: RegExpExecArray) => number) | number;
  readonly categoryId?: (match: RegExpExecArray) => number;
}

const digits = (group: number) => (match: RegExpExecArray) => Number(match[group]);

/** Stage dictionaries by their ID (`crm_status.php`); every other dictionary (SOURCE, CONTACT_TYPE, …) is not one. */
const FAMILIES: readonly Family[] = [
  { pattern: /^STATUS$/, entityTypeId: 1 },
  { pattern: /^QUOTE_STATUS$/, entityTypeId: 7 },
  { pattern: /^INVOICE_STATUS$/, entityTypeId: 5 },
  { pattern: /^DEAL_STAGE$/, entityTypeId: 2, categoryId: () => 0 },
  { pattern: /^DEAL_STAGE_([0-9]{1,10})$/, entityTypeId: 2, categoryId: digits(1) },
  { pattern: /^SMART_INVOICE_STAGE_([0-9]{1,10})$/, entityTypeId: 31, categoryId: digits(1) },
  { pattern: /^SMART_DOCUMENT_STAGE_([0-9]{1,10})$/, entityTypeId: 36, categoryId: digits(1) },
  { pattern: /^SMART_B2E_DOC_STAGE_([0-9]{1,10})$/, entityTypeId: 39, categoryId: digits(1) },
  { pattern: /^DYNAMIC_([0-9]{1,10})_STAGE_([0-9]{1,10})$/, entityTypeId: digits(1), categoryId: digits(2) },
];

const DEAL = 2;

function optionalInteger(entry: JsonObject, key: string, where: string, min: number): number | undefined {
  const value = entry[key];
  if (value === undefined || value === null) return undefined;
  return readInteger(entry, key, where, min, INT32_MAX);
}

function flag(value: unknown): boolean | undefined {
  if (value === true || value === 'Y') return true;
  if (value === false || value === 'N') return false;
  return undefined;
}

function parseDictionary(entry: JsonObject, id: string, where: string, limits: PortalLimits): Dictionary | undefined {
  const entityField = optionalInteger(entry, 'ENTITY_TYPE_ID', where, 1);
  const categoryField = optionalInteger(entry, 'CATEGORY_ID', where, 0);
  const prefixField = entry['PREFIX'];
  if (prefixField !== undefined && prefixField !== null && prefixField !== '') {
    readString(entry, 'PREFIX', where, limits.codeLength);
  }
  const prefixGiven = typeof prefixField === 'string' && prefixField !== '' ? prefixField : undefined;

  let entityTypeId: number;
  let categoryId: number | undefined;
  const family = FAMILIES.map((f) => ({ f, match: f.pattern.exec(id) })).find((x) => x.match !== null);
  if (family !== undefined && family.match !== null) {
    const { f, match } = family;
    entityTypeId = typeof f.entityTypeId === 'number' ? f.entityTypeId : f.entityTypeId(match);
    categoryId = f.categoryId?.(match);
    if (entityField !== undefined && entityField !== entityTypeId) {
      fail(where, `ENTITY_TYPE_ID ${entityField} contradicts the dictionary ID, which names entity type ${entityTypeId}`);
    }
    if (categoryId !== undefined && categoryField !== undefined && categoryField !== categoryId) {
      fail(where, `CATEGORY_ID ${categoryField} contradicts the dictionary ID, which names pipeline ${categoryId}`);
    }
  } else if (entityField !== undefined && categoryField !== undefined && prefixGiven !== undefined) {
    // A pipeline dictionary of a type newer than this code (they all carry these three fields).
    entityTypeId = entityField;
    categoryId = categoryField;
  } else {
    return undefined;
  }
  if (entityTypeId < 1 || entityTypeId > INT32_MAX || (categoryId !== undefined && categoryId > INT32_MAX)) {
    fail(where, 'the dictionary ID names an entity type or pipeline outside the int32 range');
  }
  let prefix = prefixGiven;
  if (prefix === undefined && categoryId !== undefined) {
    // Older cores omit PREFIX; the core derives it the same way (DealCategory, getDynamicEntityStatusPrefix).
    if (entityTypeId !== DEAL) prefix = `DT${entityTypeId}_${categoryId}`;
    else if (categoryId > 0) prefix = `C${categoryId}`;
  }
  const name = entry['CATEGORY_NAME'];
  if (name !== undefined && name !== null) readString(entry, 'CATEGORY_NAME', where, limits.nameLength);
  return {
    id,
    entityTypeId,
    categoryId,
    prefix,
    categoryName: typeof name === 'string' ? name : undefined,
    categorySort: categoryId === undefined ? undefined : optionalInteger(entry, 'CATEGORY_SORT', where, INT32_MIN),
    isDefaultCategory: flag(entry['IS_DEFAULT_CATEGORY']),
  };
}

interface Dictionaries {
  /** Every ID the portal lists, stage dictionary or not. */
  readonly listed: ReadonlySet<string>;
  /** Stage dictionaries of owner types the portal has, by entity type ID. */
  readonly byType: ReadonlyMap<number, readonly Dictionary[]>;
}

function parseDictionaries(
  command: CommandResult,
  ownerTypes: ReadonlyMap<number, OwnerType>,
  limits: PortalLimits,
  notices: string[],
): Dictionaries {
  const method = 'crm.status.entity.types';
  if (!command.ok) {
    if (ACCESS_ERRORS.has(command.error)) {
      throw new PipelinesRefusedError(
        `The portal refused the pipeline and stage methods (${describeFailure(method, command)}). ${ADVICE}`,
        method,
        command.error,
        command.description,
      );
    }
    throw commandError(method, command);
  }
  const result = command.result;
  if (!Array.isArray(result)) fail(method, `the result must be an array, got ${showValue(result)}`);
  checkCount(result.length, 'dictionaries', method, limits.dictionaries);
  const listed = new Map<string, number>();
  const byType = new Map<number, Dictionary[]>();
  const unknownTypes = new Map<number, string[]>();
  result.forEach((entry: unknown, index) => {
    const at = `${method} [${index}]`;
    if (!isObject(entry)) fail(at, `must be an object, got ${showValue(entry)}`);
    const id = readString(entry, 'ID', at, limits.codeLength, { nonEmpty: true });
    const where = `${method} [${index}] (${showValue(id)})`;
    const first = listed.get(id);
    if (first !== undefined) fail(method, `entries ${first} and ${index} have the same ID ${showValue(id)}`);
    listed.set(id, index);
    const dictionary = parseDictionary(entry, id, where, limits);
    if (dictionary === undefined) return;
    if (!ownerTypes.has(dictionary.entityTypeId)) {
      unknownTypes.set(dictionary.entityTypeId, [...(unknownTypes.get(dictionary.entityTypeId) ?? []), id]);
      return;
    }
    const list = byType.get(dictionary.entityTypeId) ?? [];
    for (const other of list) {
      if ((other.categoryId === undefined) !== (dictionary.categoryId === undefined)) {
        fail(method, `${showValue(other.id)} and ${showValue(id)} are stage dictionaries of entity type ` +
          `${dictionary.entityTypeId}, one with pipelines and one without`);
      }
      if (other.categoryId === dictionary.categoryId) {
        const what = dictionary.categoryId === undefined ? '' : ` pipeline ${dictionary.categoryId} of`;
        fail(method, `${showValue(other.id)} and ${showValue(id)} are both the stages of${what} entity type ${dictionary.entityTypeId}`);
      }
    }
    list.push(dictionary);
    byType.set(dictionary.entityTypeId, list);
  });
  for (const [entityTypeId, ids] of [...unknownTypes].sort(([a], [b]) => a - b)) {
    notices.push(
      `${method} lists stage dictionaries of entity type ${entityTypeId} (${ids.sort().map(showValue).join(', ')}), ` +
        'which crm.enum.ownertype does not list: they are left out.',
    );
  }
  return { listed: new Set(listed.keys()), byType };
}

function commandError(method: string, failure: { error: string; description: string }): PortalError {
  return new PortalError(
    `The portal answered ${describeFailure(method, failure)}. Try again; if it persists, run with --no-pipelines ` +
      '(config "pipelines": false) to generate owner types only.',
    failure.error,
    failure.description,
    0,
  );
}

// ---------------------------------------------------------------------------------------------------------
// crm.status.list: the stages of each dictionary

function semanticsOf(value: unknown): StageSemantics {
  // null (older rows), "" (undefined phase) and "P" all mean in progress.
  if (value === 'S') return 'success';
  if (value === 'F') return 'failure';
  return 'process';
}

function parseStages(
  dictionary: Dictionary,
  command: CommandResult,
  listed: ReadonlySet<string>,
  orphans: Set<string>,
  limits: PortalLimits,
): Stage[] {
  const where = `crm.status.list (${dictionary.id})`;
  if (!command.ok) throw new Error(`${where} failed; failures are handled before parsing`);
  const rows = command.result;
  if (!Array.isArray(rows)) fail(where, `the result must be an array of rows, got ${showValue(rows)}`);
  checkCount(rows.length, 'rows', where, limits.rowsPerAnswer);
  const stages: Stage[] = [];
  const byStatusId = new Map<string, number>();
  const byRowId = new Map<number, number>();
  rows.forEach((row: unknown, index) => {
    const at = `${where} row ${index}`;
    if (!isObject(row)) fail(at, `must be an object, got ${showValue(row)}`);
    const entityId = readString(row, 'ENTITY_ID', at, limits.codeLength);
    // The portal silently drops a filter it does not like and answers every dictionary: check each row.
    if (entityId !== dictionary.id) {
      if (!listed.has(entityId)) orphans.add(entityId);
      return;
    }
    const statusId = readString(row, 'STATUS_ID', at, limits.codeLength, { nonEmpty: true });
    const label = `${at} (${showValue(statusId)})`;
    const prefix = dictionary.prefix === undefined ? undefined : `${dictionary.prefix}:`;
    const code = prefix !== undefined && statusId.startsWith(prefix) ? statusId.slice(prefix.length) : statusId;
    if (code === '') fail(label, 'STATUS_ID has nothing after the pipeline prefix');
    const name = readString(row, 'NAME', label, limits.nameLength);
    const sort = readInteger(row, 'SORT', label, INT32_MIN);
    const rowId = readInteger(row, 'ID', label, 1);
    const sameStatus = byStatusId.get(statusId);
    if (sameStatus !== undefined) fail(where, `rows ${sameStatus} and ${index} have the same STATUS_ID ${showValue(statusId)}`);
    const sameRow = byRowId.get(rowId);
    if (sameRow !== undefined) fail(where, `rows ${sameRow} and ${index} have the same ID ${rowId}`);
    byStatusId.set(statusId, index);
    byRowId.set(rowId, index);
    stages.push({ statusId, code, name, sort, rowId, semantics: semanticsOf(row['SEMANTICS']) });
  });
  checkCount(stages.length, 'stages', where, limits.stagesPerPipeline);
  return stages.sort((a, b) => a.sort - b.sort || a.rowId - b.rowId);
}

function checkStatusAnswers(raw: RawPipelines, dictionaries: readonly Dictionary[]): void {
  const failures: { dictionary: Dictionary; failure: { error: string; description: string } }[] = [];
  for (const dictionary of dictionaries) {
    const command = Object.hasOwn(raw.statuses, dictionary.id) ? raw.statuses[dictionary.id] : undefined;
    if (command === undefined) {
      throw new Error(`No crm.status.list answer for the stage dictionary ${dictionary.id}: the source must ask for each.`);
    }
    if (!command.ok) failures.push({ dictionary, failure: command });
  }
  const first = failures[0];
  if (first === undefined) return;
  const method = `crm.status.list (${first.dictionary.id})`;
  if (failures.length === dictionaries.length && failures.every(({ failure }) => ACCESS_ERRORS.has(failure.error))) {
    throw new PipelinesRefusedError(
      `The portal refused the pipeline and stage methods (${describeFailure(method, first.failure)}). ${ADVICE}`,
      'crm.status.list',
      first.failure.error,
      first.failure.description,
    );
  }
  throw commandError(method, first.failure);
}

// ---------------------------------------------------------------------------------------------------------
// crm.category.list: names, sort and the default flag of pipelines, as far as the user may read them

interface Category {
  readonly id: number;
  readonly name: string;
  readonly sort: number;
  readonly isDefault: boolean;
}

/** What `crm.category.list` said for one type: the categories it listed, or why it listed none. */
type Listing =
  | { readonly read: true; readonly categories: ReadonlyMap<number, Category>; readonly failure?: string | undefined }
  | { readonly read: false };

function parseCategories(entityTypeId: number, command: CommandResult | undefined, limits: PortalLimits): Listing {
  if (command === undefined) return { read: false };
  const where = `crm.category.list (entityTypeId ${entityTypeId})`;
  // A failure (ENTITY_TYPE_NOT_SUPPORTED, ACCESS_DENIED, an old core without the method) means none listed.
  if (!command.ok) {
    const failure = command.error === FAILED_TYPE ? undefined : describeFailure(where, command);
    return { read: true, categories: new Map(), failure };
  }
  const result = command.result;
  const list = Array.isArray(result) ? result : isObject(result) ? result['categories'] : undefined;
  if (!Array.isArray(list)) fail(where, `expected {"categories": [...]}, got ${showValue(result)}`);
  checkCount(list.length, 'categories', where, limits.pipelinesPerType);
  const categories = new Map<number, Category>();
  list.forEach((item: unknown, index) => {
    const at = `${where} categories[${index}]`;
    if (!isObject(item)) fail(at, `must be an object, got ${showValue(item)}`);
    const id = readInteger(item, 'id', at, 0);
    const label = `${where} category ${id}`;
    const owner = item['entityTypeId'];
    if (owner !== undefined && toInteger(owner, 1, INT32_MAX) !== entityTypeId) {
      fail(label, `entityTypeId must be ${entityTypeId}, got ${showValue(owner)}`);
    }
    const name = readString(item, 'name', label, limits.nameLength);
    const sort = readInteger(item, 'sort', label, INT32_MIN);
    const isDefault = flag(item['isDefault']);
    if (isDefault === undefined) fail(label, `isDefault must be "Y" or "N", got ${showValue(item['isDefault'])}`);
    if (categories.has(id)) fail(where, `category ${id} is listed twice`);
    categories.set(id, { id, name, sort, isDefault });
  });
  return { read: true, categories };
}

// ---------------------------------------------------------------------------------------------------------
// Pipelines and stages per owner type

function typeLabel(type: OwnerType): string {
  return type.isSpa ? `smart process ${type.id} (${showValue(type.name)})` : `${type.symbolCode} (${type.id})`;
}

function parsePipelines(
  raw: RawPipelines,
  ownerTypeList: readonly OwnerType[],
  limits: PortalLimits,
  notices: string[],
): PipelinesData {
  const ownerTypes = new Map(ownerTypeList.map((type) => [type.id, type]));
  const { listed, byType } = parseDictionaries(raw.statusTypes, ownerTypes, limits, notices);
  const dictionaries = [...byType.values()].flat();
  checkStatusAnswers(raw, dictionaries);

  const orphans = new Set<string>();
  let stageCount = 0;
  const stagesOf = (dictionary: Dictionary): Stage[] => {
    const stages = parseStages(dictionary, raw.statuses[dictionary.id] as CommandResult, listed, orphans, limits);
    stageCount += stages.length;
    checkCount(stageCount, 'stages', 'crm.status.list', limits.stages);
    return stages;
  };
  const categoryAnswer = (entityTypeId: number) =>
    Object.hasOwn(raw.categories, String(entityTypeId)) ? raw.categories[String(entityTypeId)] : undefined;

  const types: OwnerTypeStages[] = [];
  for (const type of ownerTypeList) {
    const own = byType.get(type.id);
    if (own === undefined) {
      const clients = clientPipelines(type, categoryAnswer(type.id), limits);
      if (clients !== undefined) types.push(clients);
      else if (type.isSpa) {
        notices.push(`crm.status.entity.types lists no pipeline of ${typeLabel(type)}: the module has none for it.`);
      }
      continue;
    }
    const [single] = own;
    if (single !== undefined && single.categoryId === undefined) {
      types.push({ kind: 'stages', entityTypeId: type.id, statusEntityId: single.id, stages: stagesOf(single) });
      continue;
    }
    checkCount(own.length, 'pipelines', `crm.status.entity.types (entity type ${type.id})`, limits.pipelinesPerType);
    const listing = parseCategories(type.id, categoryAnswer(type.id), limits);
    const sorted = [...own].sort((a, b) => (a.categoryId as number) - (b.categoryId as number));
    const pipelines = sorted.map((dictionary): Pipeline & { defaultGiven: boolean | undefined } => {
      const categoryId = dictionary.categoryId as number;
      const category = listing.read ? listing.categories.get(categoryId) : undefined;
      const readable = !listing.read || category !== undefined;
      if (!readable) {
        const cause = listing.read && listing.failure !== undefined ? ` (${listing.failure})` : '';
        notices.push(
          `crm.category.list${cause} does not list pipeline ${categoryId} (${dictionary.id}) of ${typeLabel(type)}, ` +
            "which crm.status.entity.types does: the webhook's user cannot read it. It is still emitted" +
            `${dictionary.categoryName === undefined ? ', without its name' : ''}.`,
        );
      }
      const defaultGiven =
        category?.isDefault ?? dictionary.isDefaultCategory ?? (type.id === DEAL ? categoryId === 0 : undefined);
      return {
        categoryId,
        name: category?.name ?? dictionary.categoryName,
        sort: category?.sort ?? dictionary.categorySort ?? 0,
        isDefault: defaultGiven === true,
        defaultGiven,
        readable,
        statusEntityId: dictionary.id,
        stages: stagesOf(dictionary),
      };
    });
    if (listing.read) {
      const extra = [...listing.categories.keys()].filter((id) => !own.some((d) => d.categoryId === id)).sort((a, b) => a - b);
      if (extra.length > 0) {
        notices.push(
          `crm.category.list lists pipeline${extra.length === 1 ? '' : 's'} ${extra.join(', ')} of ${typeLabel(type)}, ` +
            'which crm.status.entity.types does not: left out, as the dictionaries are the authority.',
        );
      }
    }
    types.push({ kind: 'pipelines', entityTypeId: type.id, pipelines: settleDefault(pipelines, type, notices) });
  }
  if (orphans.size > 0) {
    const names = [...orphans].sort();
    const shown = names.slice(0, 5).map(showValue).join(', ');
    notices.push(
      `crm.status.list answered rows of dictionaries that crm.status.entity.types does not list (${shown}` +
        `${names.length > 5 ? ` and ${names.length - 5} more` : ''}): they are ignored.`,
    );
  }
  return { types };
}

/** Exactly one default per type: the one the portal flags, else (when the user cannot read it) the lowest ID. */
function settleDefault(
  pipelines: readonly (Pipeline & { defaultGiven: boolean | undefined })[],
  type: OwnerType,
  notices: string[],
): Pipeline[] {
  const strip = ({ defaultGiven: _, ...pipeline }: Pipeline & { defaultGiven: boolean | undefined }): Pipeline => pipeline;
  const flagged = pipelines.filter((p) => p.defaultGiven === true);
  if (flagged.length > 1) {
    fail(`crm.category.list (entityTypeId ${type.id})`, `pipelines ${flagged.map((p) => p.categoryId).join(' and ')} are both flagged as the default`);
  }
  if (flagged.length === 1) return pipelines.map(strip);
  const candidates = pipelines.filter((p) => p.defaultGiven !== false);
  const chosen = (candidates[0] ?? pipelines[0]) as Pipeline;
  notices.push(
    `The portal does not say which pipeline of ${typeLabel(type)} is the default (the webhook's user cannot read it): ` +
      `taking pipeline ${chosen.categoryId}, the lowest ID.`,
  );
  return pipelines.map((p) => ({ ...strip(p), isDefault: p === chosen }));
}

/** Contacts and companies have pipelines ("client categories") only in crm.category.list, and no stages. */
function clientPipelines(type: OwnerType, command: CommandResult | undefined, limits: PortalLimits): OwnerTypeStages | undefined {
  if (type.isSpa || command === undefined || !command.ok) return undefined;
  const listing = parseCategories(type.id, command, limits);
  if (!listing.read || listing.categories.size === 0) return undefined;
  const sorted = [...listing.categories.values()].sort((a, b) => a.id - b.id);
  const flagged = sorted.filter((c) => c.isDefault);
  if (flagged.length > 1) {
    fail(`crm.category.list (entityTypeId ${type.id})`, `categories ${flagged.map((c) => c.id).join(' and ')} are both flagged as the default`);
  }
  const defaultId = (flagged[0] ?? sorted[0])?.id;
  return {
    kind: 'pipelines',
    entityTypeId: type.id,
    pipelines: sorted.map((c) => ({
      categoryId: c.id,
      name: c.name,
      sort: c.sort,
      isDefault: c.id === defaultId,
      readable: true,
      statusEntityId: undefined,
      stages: [],
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// crm.type.list / crm.type.getByEntityTypeId: SPA codes and row IDs

function parseSpaDetail(item: unknown, where: string, limits: PortalLimits): SpaDetail {
  if (!isObject(item)) fail(where, `must be an object, got ${showValue(item)}`);
  const entityTypeId = readInteger(item, 'entityTypeId', where, 1);
  const label = `${where} (entityTypeId ${entityTypeId})`;
  const typeId = readInteger(item, 'id', label, 1);
  const code = item['code'] === null || item['code'] === undefined ? '' : readString(item, 'code', label, limits.codeLength);
  return { entityTypeId, typeId, code };
}

function parseSpaDetails(
  raw: RawPipelines,
  ownerTypes: readonly OwnerType[],
  limits: PortalLimits,
  notices: string[],
): Section<readonly SpaDetail[]> {
  const spas = ownerTypes.filter((type) => type.isSpa);
  const spaIds = new Set(spas.map((type) => type.id));
  const details = new Map<number, SpaDetail>();
  const add = (detail: SpaDetail, where: string) => {
    if (!spaIds.has(detail.entityTypeId)) return;
    if (details.has(detail.entityTypeId)) fail(where, `entityTypeId ${detail.entityTypeId} is listed twice`);
    details.set(detail.entityTypeId, detail);
  };
  const sorted = () => ({ status: 'ok' as const, data: [...details.values()].sort((a, b) => a.entityTypeId - b.entityTypeId) });

  if (raw.spaTypes.ok) {
    const where = 'crm.type.list';
    const result = raw.spaTypes.result;
    const list = Array.isArray(result) ? result : isObject(result) ? result['types'] : undefined;
    if (!Array.isArray(list)) fail(where, `expected {"types": [...]}, got ${showValue(result)}`);
    checkCount(list.length, 'types', where, limits.ownerTypes);
    list.forEach((item: unknown, index) => add(parseSpaDetail(item, `${where} types[${index}]`, limits), where));
    checkTypeIdsUnique(details, where);
    return sorted();
  }
  const reason = describeFailure('crm.type.list', raw.spaTypes);
  if (spas.length === 0) return sorted();
  const byEntityTypeId = raw.spaTypeByEntityTypeId;
  if (byEntityTypeId === undefined) return unavailable(reason);
  let firstFailure: string | undefined;
  const missing: { spa: OwnerType; cause: string }[] = [];
  for (const spa of spas) {
    const key = String(spa.id);
    const command = Object.hasOwn(byEntityTypeId, key) ? byEntityTypeId[key] : undefined;
    const method = `crm.type.getByEntityTypeId (${spa.id})`;
    if (command === undefined) {
      missing.push({ spa, cause: 'crm.type.getByEntityTypeId was not asked' });
    } else if (command.ok) {
      const result = command.result;
      const type = isObject(result) ? result['type'] : undefined;
      if (!isObject(type)) fail(method, `expected {"type": {...}}, got ${showValue(result)}`);
      const detail = parseSpaDetail(type, `${method} type`, limits);
      if (detail.entityTypeId !== spa.id) fail(method, `the answer is about entity type ${detail.entityTypeId}`);
      add(detail, method);
    } else {
      const failure = describeFailure('crm.type.getByEntityTypeId', command);
      firstFailure ??= failure;
      missing.push({ spa, cause: failure });
    }
  }
  checkTypeIdsUnique(details, 'crm.type.getByEntityTypeId');
  if (details.size === 0) return unavailable(firstFailure === undefined ? reason : `${reason}; ${firstFailure}`);
  for (const { spa, cause } of missing) notices.push(`The code and row ID of ${typeLabel(spa)} are unknown (${cause}).`);
  return sorted();
}

function checkTypeIdsUnique(details: ReadonlyMap<number, SpaDetail>, where: string): void {
  const seen = new Map<number, number>();
  for (const detail of details.values()) {
    const other = seen.get(detail.typeId);
    if (other !== undefined) fail(where, `smart processes ${other} and ${detail.entityTypeId} have the same id ${detail.typeId}`);
    seen.set(detail.typeId, detail.entityTypeId);
  }
}
