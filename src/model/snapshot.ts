import type { OwnerType, OwnerTypeModel } from './owner-types.js';
import { readSavedOwnerTypes, SNAPSHOT_FORMAT, SNAPSHOT_FORMAT_V1 } from './parse-owner-types.js';
import type { OwnerTypeStages, Pipeline, PipelinesData, PortalModel, Section, SpaDetail, Stage, StageSemantics } from './portal.js';
import {
  checkCount,
  fail,
  INT32_MIN,
  isObject,
  PORTAL_LIMITS,
  readInteger,
  readString,
  showValue,
  type JsonObject,
  type PortalLimits,
} from './validate.js';

export { isSnapshot, SNAPSHOT_FORMAT, SNAPSHOT_FORMAT_V1 } from './parse-owner-types.js';

/**
 * The `--snapshot` file: everything a module is generated from, normalized so that the same portal always
 * gives the same bytes (sorted, no volatile `time`, no secret, no answer the module does not use), and read
 * back by `parsePortalInput` into the same `PortalModel`:
 *
 *   { "snapshot": "gen-ownertypes/portal@2", "host": …, "ownerTypes": [crm.enum.ownertype items],
 *     "pipelines": {"status": "ok", "types": [...]} | {"status": "unavailable", "reason": …},
 *     "spaDetails": (the same shape), "notices": [...] }
 *
 * Format 1 (`gen-ownertypes/crm.enum.ownertype@1`, owner types only) and raw `crm.enum.ownertype` answers are
 * still read: their pipeline sections are `unavailable` with the reason `OWNER_TYPES_ONLY`.
 */

/** The reason of both pipeline sections when the input is a raw response or a format-1 snapshot. */
export const OWNER_TYPES_ONLY = 'the input holds owner types only';

const KIND = 'gen-ownertypes snapshot';

function ownerTypeEntries(types: readonly OwnerType[]) {
  return [...types]
    .sort((a, b) => a.id - b.id)
    .map((type) => ({ ID: type.id, NAME: type.name, SYMBOL_CODE: type.symbolCode, SYMBOL_CODE_SHORT: type.shortCode }));
}

function writeSection<T>(section: Section<T>, write: (data: T) => JsonObject): JsonObject {
  return section.status === 'ok' ? { status: 'ok', ...write(section.data) } : { status: 'unavailable', reason: section.reason };
}

const byStageOrder = (a: Stage, b: Stage) => a.sort - b.sort || a.rowId - b.rowId;

function writeStages(stages: readonly Stage[]) {
  return [...stages]
    .sort(byStageOrder)
    .map(({ statusId, code, name, sort, rowId, semantics }) => ({ statusId, code, name, sort, rowId, semantics }));
}

function writeType(type: OwnerTypeStages): JsonObject {
  if (type.kind === 'stages') {
    return { entityTypeId: type.entityTypeId, kind: type.kind, statusEntityId: type.statusEntityId, stages: writeStages(type.stages) };
  }
  return {
    entityTypeId: type.entityTypeId,
    kind: type.kind,
    pipelines: [...type.pipelines]
      .sort((a, b) => a.categoryId - b.categoryId)
      .map((pipeline) => ({
        categoryId: pipeline.categoryId,
        ...(pipeline.name !== undefined && { name: pipeline.name }),
        sort: pipeline.sort,
        isDefault: pipeline.isDefault,
        readable: pipeline.readable,
        ...(pipeline.statusEntityId !== undefined && { statusEntityId: pipeline.statusEntityId }),
        stages: writeStages(pipeline.stages),
      })),
  };
}

/** The snapshot of a portal (format 2), as deterministic bytes. */
export function serializeSnapshot(model: PortalModel): string;
/**
 * @deprecated Writes format 1 (owner types only), for callers that still hold an `OwnerTypeModel`;
 * pass a `PortalModel` to write format 2.
 */
export function serializeSnapshot(model: OwnerTypeModel): string;
export function serializeSnapshot(model: PortalModel | OwnerTypeModel): string {
  if (!('ownerTypes' in model)) {
    const v1 = {
      snapshot: SNAPSHOT_FORMAT_V1,
      ...(model.portal !== undefined && { portal: model.portal }),
      result: ownerTypeEntries(model.types),
    };
    return `${JSON.stringify(v1, null, 2)}\n`;
  }
  const snapshot = {
    snapshot: SNAPSHOT_FORMAT,
    ...(model.host !== undefined && { host: model.host }),
    ownerTypes: ownerTypeEntries(model.ownerTypes),
    pipelines: writeSection(model.pipelines, (data) => ({
      types: [...data.types].sort((a, b) => a.entityTypeId - b.entityTypeId).map(writeType),
    })),
    spaDetails: writeSection(model.spaDetails, (details) => ({
      types: [...details]
        .sort((a, b) => a.entityTypeId - b.entityTypeId)
        .map(({ entityTypeId, typeId, code }) => ({ entityTypeId, typeId, code })),
    })),
    notices: model.notices,
  };
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

export interface PortalInputOptions {
  /** Host to record when the JSON does not name one (a raw response never does). */
  readonly host?: string | undefined;
  readonly limits?: Partial<PortalLimits>;
}

/**
 * The one reader of an `--input` file's parsed JSON: a format-2 snapshot gives the whole portal; a format-1
 * snapshot or a raw `crm.enum.ownertype` answer gives its owner types, with both pipeline sections
 * `unavailable` (`OWNER_TYPES_ONLY`). Throws `InvalidResponseError` naming the offending item, or the
 * unknown format (the caller names the file and exits 2).
 */
export function parsePortalInput(json: unknown, options: PortalInputOptions = {}): PortalModel {
  const limits: PortalLimits = { ...PORTAL_LIMITS, ...options.limits };
  const saved = readSavedOwnerTypes(json, options.host);
  if (saved.format !== 'snapshot@2') {
    const none = { status: 'unavailable', reason: OWNER_TYPES_ONLY } as const;
    return { host: saved.host, ownerTypes: saved.types, pipelines: none, spaDetails: none, notices: [] };
  }
  const ownerTypes = new Map(saved.types.map((type) => [type.id, type]));
  const reader = new SnapshotReader(limits, ownerTypes);
  const pipelines = reader.section(saved.json, 'pipelines', (section, path) => reader.pipelines(section, path));
  const spaDetails = reader.section(saved.json, 'spaDetails', (section, path) => reader.spaDetails(section, path));
  const notices = saved.json['notices'];
  if (!Array.isArray(notices) || notices.some((notice) => typeof notice !== 'string')) {
    fail(`Invalid ${KIND}`, `"notices" must be an array of strings, got ${showValue(notices)}`);
  }
  return { host: saved.host, ownerTypes: saved.types, pipelines, spaDetails, notices: notices as string[] };
}

const SEMANTICS: ReadonlySet<string> = new Set<StageSemantics>(['process', 'success', 'failure']);

/** Reads the pipeline sections of a format-2 snapshot, holding them to the invariants `parsePortal` gives. */
class SnapshotReader {
  private stageCount = 0;
  private readonly statusEntityIds = new Set<string>();

  constructor(
    private readonly limits: PortalLimits,
    private readonly ownerTypes: ReadonlyMap<number, OwnerType>,
  ) {}

  private where(path: string): string {
    return `Invalid ${KIND}: ${path}`;
  }

  private object(value: unknown, path: string): JsonObject {
    if (!isObject(value)) fail(this.where(path), `must be an object, got ${showValue(value)}`);
    return value;
  }

  private array(item: JsonObject, key: string, path: string, max: number, what: string): unknown[] {
    const value = item[key];
    if (!Array.isArray(value)) fail(this.where(path), `${key} must be an array, got ${showValue(value)}`);
    checkCount(value.length, what, this.where(`${path}.${key}`), max);
    return value;
  }

  private boolean(item: JsonObject, key: string, path: string): boolean {
    const value = item[key];
    if (typeof value !== 'boolean') fail(this.where(path), `${key} must be true or false, got ${showValue(value)}`);
    return value;
  }

  section<T>(json: JsonObject, key: string, read: (section: JsonObject, path: string) => T): Section<T> {
    const section = this.object(json[key], key);
    if (section['status'] === 'unavailable') {
      return { status: 'unavailable', reason: readString(section, 'reason', this.where(key), this.limits.nameLength, { nonEmpty: true }) };
    }
    if (section['status'] !== 'ok') {
      fail(this.where(key), `status must be "ok" or "unavailable", got ${showValue(section['status'])}`);
    }
    return { status: 'ok', data: read(section, key) };
  }

  private entityTypeId(item: JsonObject, path: string, seen: Set<number>): number {
    const id = readInteger(item, 'entityTypeId', this.where(path), 1);
    if (!this.ownerTypes.has(id)) fail(this.where(path), `entity type ${id} is not among the owner types`);
    if (seen.has(id)) fail(this.where(path), `entity type ${id} is listed twice`);
    seen.add(id);
    return id;
  }

  pipelines(section: JsonObject, path: string): PipelinesData {
    const seen = new Set<number>();
    const types = this.array(section, 'types', path, this.limits.ownerTypes, 'owner types').map(
      (value, index): OwnerTypeStages => {
        const at = `${path}.types[${index}]`;
        const item = this.object(value, at);
        const entityTypeId = this.entityTypeId(item, at, seen);
        if (item['kind'] === 'stages') {
          const statusEntityId = this.statusEntityId(item, at);
          return { kind: 'stages', entityTypeId, statusEntityId, stages: this.stages(item, at) };
        }
        if (item['kind'] !== 'pipelines') fail(this.where(at), `kind must be "stages" or "pipelines", got ${showValue(item['kind'])}`);
        const list = this.array(item, 'pipelines', at, this.limits.pipelinesPerType, 'pipelines');
        if (list.length === 0) fail(this.where(at), 'pipelines is empty; a type with pipelines has its default one');
        const categories = new Set<number>();
        const pipelines = list.map((entry, i) => this.pipeline(entry, `${at}.pipelines[${i}]`, categories));
        const defaults = pipelines.filter((p) => p.isDefault).length;
        if (defaults !== 1) fail(this.where(at), `exactly one pipeline must be the default, found ${defaults}`);
        return { kind: 'pipelines', entityTypeId, pipelines: pipelines.sort((a, b) => a.categoryId - b.categoryId) };
      },
    );
    return { types: types.sort((a, b) => a.entityTypeId - b.entityTypeId) };
  }

  private pipeline(value: unknown, path: string, categories: Set<number>): Pipeline {
    const item = this.object(value, path);
    const where = this.where(path);
    const categoryId = readInteger(item, 'categoryId', where, 0);
    if (categories.has(categoryId)) fail(where, `category ${categoryId} is listed twice`);
    categories.add(categoryId);
    const name = item['name'] === undefined ? undefined : readString(item, 'name', where, this.limits.nameLength);
    const statusEntityId = item['statusEntityId'] === undefined ? undefined : this.statusEntityId(item, path);
    const stages = this.stages(item, path);
    if (statusEntityId === undefined && stages.length > 0) fail(where, 'has stages but no statusEntityId');
    return {
      categoryId,
      name,
      sort: readInteger(item, 'sort', where, INT32_MIN),
      isDefault: this.boolean(item, 'isDefault', path),
      readable: this.boolean(item, 'readable', path),
      statusEntityId,
      stages,
    };
  }

  private statusEntityId(item: JsonObject, path: string): string {
    const id = readString(item, 'statusEntityId', this.where(path), this.limits.codeLength, { nonEmpty: true });
    if (this.statusEntityIds.has(id)) fail(this.where(path), `the stage dictionary ${showValue(id)} appears twice`);
    this.statusEntityIds.add(id);
    return id;
  }

  private stages(item: JsonObject, path: string): Stage[] {
    const list = this.array(item, 'stages', path, this.limits.stagesPerPipeline, 'stages');
    this.stageCount += list.length;
    checkCount(this.stageCount, 'stages', this.where('pipelines'), this.limits.stages);
    const statusIds = new Set<string>();
    const rowIds = new Set<number>();
    return list
      .map((value, index): Stage => {
        const at = `${path}.stages[${index}]`;
        const stage = this.object(value, at);
        const where = this.where(at);
        const statusId = readString(stage, 'statusId', where, this.limits.codeLength, { nonEmpty: true });
        if (statusIds.has(statusId)) fail(where, `the stage ${showValue(statusId)} appears twice`);
        statusIds.add(statusId);
        const code = readString(stage, 'code', where, this.limits.codeLength, { nonEmpty: true });
        if (!statusId.endsWith(code)) fail(where, `code ${showValue(code)} is not the end of ${showValue(statusId)}`);
        const rowId = readInteger(stage, 'rowId', where, 1);
        if (rowIds.has(rowId)) fail(where, `row ID ${rowId} appears twice`);
        rowIds.add(rowId);
        const semantics = stage['semantics'];
        if (typeof semantics !== 'string' || !SEMANTICS.has(semantics)) {
          fail(where, `semantics must be "process", "success" or "failure", got ${showValue(semantics)}`);
        }
        return {
          statusId,
          code,
          name: readString(stage, 'name', where, this.limits.nameLength),
          sort: readInteger(stage, 'sort', where, INT32_MIN),
          rowId,
          semantics: semantics as StageSemantics,
        };
      })
      .sort(byStageOrder);
  }

  spaDetails(section: JsonObject, path: string): SpaDetail[] {
    const seen = new Set<number>();
    const typeIds = new Set<number>();
    const details = this.array(section, 'types', path, this.limits.ownerTypes, 'types').map((value, index): SpaDetail => {
      const at = `${path}.types[${index}]`;
      const item = this.object(value, at);
      const where = this.where(at);
      const entityTypeId = this.entityTypeId(item, at, seen);
      if (this.ownerTypes.get(entityTypeId)?.isSpa !== true) fail(where, `entity type ${entityTypeId} is not a smart process`);
      const typeId = readInteger(item, 'typeId', where, 1);
      if (typeIds.has(typeId)) fail(where, `typeId ${typeId} appears twice`);
      typeIds.add(typeId);
      return { entityTypeId, typeId, code: readString(item, 'code', where, this.limits.codeLength) };
    });
    return details.sort((a, b) => a.entityTypeId - b.entityTypeId);
  }
}
