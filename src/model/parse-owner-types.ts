import { InvalidResponseError } from '../shared/errors.js';
import type { OwnerType, OwnerTypeModel } from './owner-types.js';
import {
  checkCount,
  checkLength,
  INT32_MAX,
  isObject,
  PORTAL_LIMITS,
  showValue,
  toInteger,
  type JsonObject,
  type PortalLimits,
} from './validate.js';

export { showValue } from './validate.js';

export interface ParseOptions {
  /** Host to record when the JSON does not name one (a raw response never does). */
  readonly portal?: string | undefined;
}

/** The marker of the snapshot format this version writes. Bump the `@n` on an incompatible change. */
export const SNAPSHOT_FORMAT = 'gen-ownertypes/portal@2';
/** The first snapshot format: owner types only. Still read. */
export const SNAPSHOT_FORMAT_V1 = 'gen-ownertypes/crm.enum.ownertype@1';
const OUR_FORMATS = 'gen-ownertypes/';

const SPA_SYMBOL_CODE = /^DYNAMIC_\d+$/;
const EXPECTED = 'a crm.enum.ownertype response ({"result": [...]}) or a file written by --snapshot';

/** Which saved form a JSON value is, with its owner types validated. */
export interface SavedOwnerTypes {
  readonly format: 'response' | 'snapshot@1' | 'snapshot@2';
  readonly host: string | undefined;
  readonly types: OwnerType[];
  /** The whole JSON object, for the reader of the other sections of a v2 snapshot. */
  readonly json: JsonObject;
}

/**
 * Whether `json` claims to be a snapshot (an object with a `snapshot` key), of any format version: such a
 * value is read as a snapshot, and versions this one does not know are refused with a clear message.
 */
export function isSnapshot(json: unknown): boolean {
  return isObject(json) && Object.hasOwn(json, 'snapshot');
}

/**
 * Validates a `crm.enum.ownertype` answer, or a snapshot written by `serializeSnapshot` (either format), into
 * the owner types every later stage works from: sorted by ID, with IDs, symbol codes and non-empty short
 * codes unique. Throws `InvalidResponseError` naming the first offending item. A v2 snapshot's other
 * sections are read by `parsePortalInput`.
 */
export function parseOwnerTypes(json: unknown, options: ParseOptions = {}): OwnerTypeModel {
  const saved = readSavedOwnerTypes(json, options.portal);
  return { portal: saved.host, types: saved.types };
}

/** The owner-type half of reading an `--input` value: its format, its host and its validated owner types. */
export function readSavedOwnerTypes(json: unknown, host: string | undefined): SavedOwnerTypes {
  if (!isObject(json)) {
    throw new InvalidResponseError(
      `Expected ${EXPECTED}, got ${Array.isArray(json) ? 'a bare array' : showValue(json)}.`,
    );
  }
  if (isSnapshot(json)) {
    const kind = 'gen-ownertypes snapshot';
    const format = snapshotFormat(json['snapshot']);
    const hostKey = format === 'snapshot@1' ? 'portal' : 'host';
    const listKey = format === 'snapshot@1' ? 'result' : 'ownerTypes';
    const snapshotHost = json[hostKey];
    if (snapshotHost !== undefined) {
      if (typeof snapshotHost !== 'string') {
        throw new InvalidResponseError(`Invalid ${kind}: "${hostKey}" must be a string, got ${showValue(snapshotHost)}.`);
      }
      host = snapshotHost;
    }
    requireKey(json, listKey, `Invalid ${kind}: got`);
    return { format, host, types: parseOwnerTypeList(json[listKey], kind, listKey), json };
  }
  if (Object.hasOwn(json, 'error')) {
    throw new InvalidResponseError(
      `The JSON is a Bitrix24 error response, not an owner type list: error ${showValue(json['error'])}, ` +
        `error_description ${showValue(json['error_description'])}.`,
    );
  }
  requireKey(json, 'result', `Expected ${EXPECTED}, got`);
  return { format: 'response', host, types: parseOwnerTypeList(json['result'], 'crm.enum.ownertype response'), json };
}

function requireKey(json: JsonObject, key: string, lead: string): void {
  if (Object.hasOwn(json, key)) return;
  const keys = Object.keys(json);
  const shown = keys.length === 0 ? 'an empty object' : `an object without "${key}" (keys: ${showValue(keys)})`;
  throw new InvalidResponseError(`${lead} ${shown}.`);
}

function snapshotFormat(marker: unknown): SavedOwnerTypes['format'] {
  if (marker === SNAPSHOT_FORMAT) return 'snapshot@2';
  if (marker === SNAPSHOT_FORMAT_V1) return 'snapshot@1';
  if (typeof marker === 'string' && marker.startsWith(OUR_FORMATS)) {
    throw new InvalidResponseError(
      `Unsupported snapshot format ${showValue(marker)}: this version of gen-ownertypes reads "${SNAPSHOT_FORMAT}" ` +
        `and "${SNAPSHOT_FORMAT_V1}". Upgrade gen-ownertypes, or write the snapshot again with this version (--snapshot).`,
    );
  }
  throw new InvalidResponseError(
    `Unknown snapshot format ${showValue(marker)}: expected "snapshot": "${SNAPSHOT_FORMAT}" ` +
      '(a file written by gen-ownertypes --snapshot).',
  );
}

function failItem(kind: string, message: string): never {
  throw new InvalidResponseError(`Invalid ${kind}: ${message}.`);
}

function parseItem(item: unknown, index: number, kind: string, listKey: string, limits: PortalLimits): OwnerType {
  const at = `${listKey}[${index}]`;
  if (!isObject(item)) failItem(kind, `${at} must be an object, got ${showValue(item)}`);
  // Entity type IDs are int columns on the portal; anything past int32 is not an ID.
  const raw = item['ID'];
  const id = toInteger(raw, 1, INT32_MAX);
  if (id === undefined) {
    failItem(kind, `${at}: ID must be a positive integer (or a string of its digits), got ${showValue(raw)}`);
  }
  const label = `${at} (ID ${id})`;
  const { NAME: name, SYMBOL_CODE: symbolCode, SYMBOL_CODE_SHORT: shortCode } = item;
  if (typeof name !== 'string') failItem(kind, `${label}: NAME must be a string, got ${showValue(name)}`);
  if (typeof symbolCode !== 'string' || symbolCode === '') {
    failItem(kind, `${label}: SYMBOL_CODE must be a non-empty string, got ${showValue(symbolCode)}`);
  }
  if (typeof shortCode !== 'string') {
    failItem(kind, `${label}: SYMBOL_CODE_SHORT must be a string, got ${showValue(shortCode)}`);
  }
  const where = `Invalid ${kind}: ${label}`;
  checkLength(name, 'NAME', where, limits.nameLength);
  checkLength(symbolCode, 'SYMBOL_CODE', where, limits.codeLength);
  checkLength(shortCode, 'SYMBOL_CODE_SHORT', where, limits.codeLength);
  return { id, name, symbolCode, shortCode, isSpa: SPA_SYMBOL_CODE.test(symbolCode) };
}

/**
 * Validates the `result` list of `crm.enum.ownertype` (or the same list saved in a snapshot): sorted by ID,
 * IDs, symbol codes and non-empty short codes unique, counts and lengths within `limits`.
 */
export function parseOwnerTypeList(
  result: unknown,
  kind = 'crm.enum.ownertype response',
  listKey = 'result',
  limits: PortalLimits = PORTAL_LIMITS,
): OwnerType[] {
  if (!Array.isArray(result)) failItem(kind, `"${listKey}" must be a non-empty array, got ${showValue(result)}`);
  if (result.length === 0) failItem(kind, `"${listKey}" is an empty array; a portal always lists its system types`);
  checkCount(result.length, 'owner types', `Invalid ${kind}`, limits.ownerTypes);

  const types = result.map((item: unknown, index) => parseItem(item, index, kind, listKey, limits));
  const label = (index: number) => `${listKey}[${index}] (ID ${types[index]?.id})`;
  const checkUnique = (field: string, keyOf: (type: OwnerType) => string | number | undefined) => {
    const seen = new Map<string | number, number>();
    types.forEach((type, index) => {
      const key = keyOf(type);
      if (key === undefined) return;
      const first = seen.get(key);
      if (first !== undefined) {
        failItem(kind, `${label(first)} and ${label(index)} have the same ${field} ${showValue(key)}`);
      }
      seen.set(key, index);
    });
  };
  checkUnique('ID', (type) => type.id);
  checkUnique('SYMBOL_CODE', (type) => type.symbolCode);
  checkUnique('SYMBOL_CODE_SHORT', (type) => (type.shortCode === '' ? undefined : type.shortCode));
  // Numeric, never locale-aware: the portal's own order is not sorted and output must not depend on it.
  return types.sort((a, b) => a.id - b.id);
}
