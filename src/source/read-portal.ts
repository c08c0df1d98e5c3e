import { checkOwnerTypesAnswer } from '../model/parse-portal.js';
import type { CommandResult, RawPipelines, RawPortal } from '../model/portal.js';
import { PortalError } from '../shared/errors.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import { runBatch, type BatchCommand, type BatchResult } from './batch.js';
import { createClient, type ClientOptions, type RestClient } from './client.js';
import { describePortalError } from './portal-errors.js';
import type { RemoteSource } from './source.js';

export interface ReadPortalOptions extends ClientOptions {
  /** Read pipelines and stages too (two rounds of `batch`), or owner types only (one call). */
  readonly pipelines: boolean;
  /** Progress (requests and commands per round) goes to `debug`. */
  readonly logger?: Logger | undefined;
}

/** Owner types whose pipelines can be listed without knowing the portal: deals, smart invoices and documents, B2E documents, contacts and companies. */
const KNOWN_CATEGORY_TYPES = [2, 31, 36, 39, 3, 4] as const;
/** `crm.type.list` pages are always 50 long. */
const TYPE_PAGE = 50;
const OWNER_TYPES = 'crm.enum.ownertype';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A positive entity type ID as the portal sends it: a JSON integer, or a numeric string. */
function entityTypeIdOf(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

/** The SPAs of an owner-type list (`SYMBOL_CODE` `DYNAMIC_<id>`), by entity type ID, ascending. */
function spaIdsOf(ownerTypes: unknown): number[] {
  if (!Array.isArray(ownerTypes)) return [];
  const ids = new Set<number>();
  for (const type of ownerTypes) {
    if (!isRecord(type) || typeof type.SYMBOL_CODE !== 'string' || !/^DYNAMIC_\d+$/.test(type.SYMBOL_CODE)) continue;
    const id = entityTypeIdOf(type.ID);
    if (id !== undefined) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/**
 * The stage dictionaries `crm.status.entity.types` names: every entry with an `ENTITY_TYPE_ID` (lead
 * `STATUS`, `QUOTE_STATUS`, `DEAL_STAGE*`, `SMART_*_STAGE_*`, `DYNAMIC_*_STAGE_*`); the others (`SOURCE`,
 * `INDUSTRY`…) are not stages. Also the entity types that have categories, from `CATEGORY_ID`.
 */
function dictionariesOf(statusTypes: CommandResult): { entityIds: string[]; categoryTypes: number[] } {
  const entityIds = new Set<string>();
  const categoryTypes = new Set<number>();
  if (statusTypes.ok && Array.isArray(statusTypes.result)) {
    for (const entry of statusTypes.result) {
      if (!isRecord(entry) || typeof entry.ID !== 'string' || entry.ID === '') continue;
      const entityTypeId = entityTypeIdOf(entry.ENTITY_TYPE_ID);
      if (entityTypeId === undefined) continue;
      entityIds.add(entry.ID);
      if (entry.CATEGORY_ID !== undefined && entry.CATEGORY_ID !== null) categoryTypes.add(entityTypeId);
    }
  }
  return { entityIds: [...entityIds], categoryTypes: [...categoryTypes].sort((a, b) => a - b) };
}

/** Every `crm.type.list` page merged into one `{ types: [...] }`; the first failed page stands for all. */
function mergeTypePages(pages: readonly CommandResult[]): CommandResult {
  const first = pages[0];
  if (first === undefined) return { ok: false, error: '', description: 'crm.type.list was not called.' };
  const failed = pages.find((page) => !page.ok);
  if (failed !== undefined) return failed;
  const types: unknown[] = [];
  for (const page of pages) {
    const list = page.ok && isRecord(page.result) ? page.result.types : undefined;
    if (!Array.isArray(list)) return page;
    types.push(...list);
  }
  return { ok: true, result: { types }, ...(first.ok && first.total !== undefined && { total: first.total }) };
}

function required(results: Readonly<Record<string, CommandResult>>, key: string): CommandResult {
  return results[key] ?? { ok: false, error: '', description: 'The batch answer holds nothing for this command.' };
}

/**
 * Reads one portal: without pipelines, today's single `crm.enum.ownertype` call (1 request). With pipelines,
 * two rounds of `batch`: round 1 (one request) asks for the owner types, the stage dictionaries
 * (`crm.status.entity.types`), the pipelines of the types known in advance and the first `crm.type.list`
 * page; round 2 (`ceil(commands / 50)` requests) asks for each dictionary's stages with an exact
 * `filter[ENTITY_ID]`, each SPA's pipelines, the remaining `crm.type.list` pages, and, when `crm.type.list`
 * was denied, each SPA's `crm.type.getByEntityTypeId`.
 *
 * Whole-request failures are thrown (exit 3). A failed command goes into the result for the model to
 * judge, except the owner types, which every module needs: that failure is thrown with the error table's
 * advice.
 */
export async function readPortal(source: RemoteSource, options: ReadPortalOptions): Promise<RawPortal> {
  const log = options.logger ?? silentLogger;
  const client = createClient(source, { ...options, onDebug: options.onDebug ?? ((message) => log.debug(message)) });
  try {
    if (!options.pipelines) {
      const { json, host } = await client.call(OWNER_TYPES);
      log.debug(`read ${host}: ${OWNER_TYPES} in ${plural(client.requests, 'HTTP request')}`);
      return { host, ownerTypes: json.result };
    }
    return await readWithPipelines(client, log);
  } finally {
    await client.close();
  }
}

async function readWithPipelines(client: RestClient, log: Logger): Promise<RawPortal> {
  const round = async (name: string, commands: Record<string, BatchCommand>): Promise<BatchResult> => {
    const count = Object.keys(commands).length;
    const done = await runBatch(client, commands);
    log.debug(`${name}: ${plural(count, 'command')} in ${plural(done.batches, 'batch')} (${plural(done.requests, 'HTTP request')})`);
    return done;
  };

  const first: Record<string, BatchCommand> = {
    ownerTypes: { method: OWNER_TYPES },
    statusTypes: { method: 'crm.status.entity.types' },
    spaTypes_0: { method: 'crm.type.list', params: { order: { entityTypeId: 'ASC' }, start: 0 } },
  };
  for (const type of KNOWN_CATEGORY_TYPES) first[`categories_${type}`] = { method: 'crm.category.list', params: { entityTypeId: type } };
  const one = (await round('round 1', first)).results;

  const ownerTypes = required(one, 'ownerTypes');
  if (!ownerTypes.ok) {
    throw new PortalError(
      describePortalError(ownerTypes.error, ownerTypes.description, 200, { method: OWNER_TYPES, source: client.source, names: client.names, inBatch: true }),
      ownerTypes.error,
      ownerTypes.description,
      200,
    );
  }
  // Every module needs the owner types: a broken answer fails now, not after round 2 has been asked for.
  checkOwnerTypesAnswer(ownerTypes.result);
  const statusTypes = required(one, 'statusTypes');
  const firstTypePage = required(one, 'spaTypes_0');

  const second: Record<string, BatchCommand> = {};
  const { entityIds, categoryTypes } = dictionariesOf(statusTypes);
  entityIds.forEach((entityId, index) => {
    second[`status_${index}`] = { method: 'crm.status.list', params: { filter: { ENTITY_ID: entityId } } };
  });
  const spas = spaIdsOf(ownerTypes.result);
  const askedCategories = new Set<number>(KNOWN_CATEGORY_TYPES);
  for (const type of [...spas, ...categoryTypes]) {
    if (askedCategories.has(type)) continue;
    askedCategories.add(type);
    second[`categories_${type}`] = { method: 'crm.category.list', params: { entityTypeId: type } };
  }
  const pageStarts: number[] = [];
  if (firstTypePage.ok) {
    const total = firstTypePage.total ?? (firstTypePage.next === undefined ? 0 : firstTypePage.next + 1);
    for (let start = TYPE_PAGE; start < total; start += TYPE_PAGE) pageStarts.push(start);
    for (const start of pageStarts) {
      second[`spaTypes_${start}`] = { method: 'crm.type.list', params: { order: { entityTypeId: 'ASC' }, start } };
    }
  } else {
    for (const spa of spas) second[`spaType_${spa}`] = { method: 'crm.type.getByEntityTypeId', params: { entityTypeId: spa } };
  }
  const two = Object.keys(second).length === 0 ? {} : (await round('round 2', second)).results;
  log.debug(`read ${client.host}: ${plural(client.requests, 'HTTP request')} in all`);

  const statuses: Record<string, CommandResult> = {};
  entityIds.forEach((entityId, index) => {
    statuses[entityId] = required(two, `status_${index}`);
  });
  const categories: Record<string, CommandResult> = {};
  for (const type of [...askedCategories].sort((a, b) => a - b)) {
    const key = `categories_${type}`;
    categories[String(type)] = one[key] ?? required(two, key);
  }
  const pipelines: RawPipelines = {
    statusTypes,
    statuses,
    categories,
    spaTypes: mergeTypePages([firstTypePage, ...pageStarts.map((start) => required(two, `spaTypes_${start}`))]),
    ...(!firstTypePage.ok && {
      spaTypeByEntityTypeId: Object.fromEntries(spas.map((spa) => [String(spa), required(two, `spaType_${spa}`)])),
    }),
  };
  return { host: client.host, ownerTypes: ownerTypes.result, pipelines };
}

function plural(count: number, word: string): string {
  const plain = word.endsWith('h') ? `${word}es` : `${word}s`;
  return `${count} ${count === 1 ? word : plain}`;
}
