import { InvalidResponseError } from '../shared/errors.js';
import type { OwnerType, OwnerTypeModel } from './owner-types.js';
import { isSnapshot, SNAPSHOT_FORMAT } from './snapshot.js';

export interface ParseOptions {
  /** Host to record when the JSON does not name one (a raw response never does). */
  readonly portal?: string | undefined;
}

/** Entity type IDs are int columns on the portal; anything past int32 is not an ID. */
const MAX_ID = 2 ** 31 - 1;
const SPA_SYMBOL_CODE = /^DYNAMIC_\d+$/;
/** Longest value (in characters) quoted in a message; portal text can be megabytes. */
const SHOWN_LENGTH = 60;
const EXPECTED = 'a crm.enum.ownertype response ({"result": [...]}) or a file written by --snapshot';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function truncate(text: string): string {
  const chars = Array.from(text);
  return chars.length > SHOWN_LENGTH ? `${chars.slice(0, SHOWN_LENGTH).join('')}…` : text;
}

/** A value as it may appear in a message: escaped, and cut short. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  if (typeof value === 'string') {
    const chars = Array.from(value);
    return chars.length > SHOWN_LENGTH
      ? `${JSON.stringify(chars.slice(0, SHOWN_LENGTH).join(''))}… (${chars.length} characters)`
      : JSON.stringify(value);
  }
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.length === 0) return 'an empty array';
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // Cyclic structures and bigints from programmatic callers; JSON.parse never makes them.
  }
  return text === undefined ? `a ${typeof value}` : truncate(text);
}

function parseId(value: unknown): number | undefined {
  let id: number;
  if (typeof value === 'number') {
    id = value;
  } else if (typeof value === 'string' && /^[1-9][0-9]*$/.test(value)) {
    id = Number(value);
  } else {
    return undefined;
  }
  return Number.isInteger(id) && id > 0 && id <= MAX_ID ? id : undefined;
}

/**
 * Validates a `crm.enum.ownertype` answer, or a snapshot written by `serializeSnapshot`, into the model every
 * later stage works from: types sorted by ID, with IDs, symbol codes and non-empty short codes unique.
 * Throws `InvalidResponseError` naming the first offending item.
 */
export function parseOwnerTypes(json: unknown, options: ParseOptions = {}): OwnerTypeModel {
  if (!isObject(json)) {
    throw new InvalidResponseError(
      `Expected ${EXPECTED}, got ${Array.isArray(json) ? 'a bare array' : showValue(json)}.`,
    );
  }
  let portal = options.portal;
  let kind = 'crm.enum.ownertype response';
  if (isSnapshot(json)) {
    kind = 'gen-ownertypes snapshot';
    checkSnapshotFormat(json['snapshot']);
    const snapshotPortal = json['portal'];
    if (snapshotPortal !== undefined) {
      if (typeof snapshotPortal !== 'string') {
        throw new InvalidResponseError(`Invalid ${kind}: "portal" must be a string, got ${showValue(snapshotPortal)}.`);
      }
      portal = snapshotPortal;
    }
  } else if (Object.hasOwn(json, 'error')) {
    throw new InvalidResponseError(
      `The JSON is a Bitrix24 error response, not an owner type list: error ${showValue(json['error'])}, ` +
        `error_description ${showValue(json['error_description'])}.`,
    );
  }
  if (!Object.hasOwn(json, 'result')) {
    const keys = Object.keys(json);
    const shown = keys.length === 0 ? 'an empty object' : `an object without "result" (keys: ${showValue(keys)})`;
    throw new InvalidResponseError(`Expected ${EXPECTED}, got ${shown}.`);
  }
  return { portal, types: parseResult(json['result'], kind) };
}

function checkSnapshotFormat(marker: unknown): void {
  if (marker === SNAPSHOT_FORMAT) return;
  const family = SNAPSHOT_FORMAT.slice(0, SNAPSHOT_FORMAT.indexOf('@') + 1);
  if (typeof marker === 'string' && marker.startsWith(family)) {
    throw new InvalidResponseError(
      `Unsupported snapshot format ${showValue(marker)}: this version of gen-ownertypes reads "${SNAPSHOT_FORMAT}". ` +
        'Upgrade gen-ownertypes, or write the snapshot again with this version (--snapshot).',
    );
  }
  throw new InvalidResponseError(
    `Unknown snapshot format ${showValue(marker)}: expected "snapshot": "${SNAPSHOT_FORMAT}" ` +
      '(a file written by gen-ownertypes --snapshot).',
  );
}

function fail(kind: string, message: string): never {
  throw new InvalidResponseError(`Invalid ${kind}: ${message}.`);
}

function parseItem(item: unknown, index: number, kind: string): OwnerType {
  if (!isObject(item)) fail(kind, `result[${index}] must be an object, got ${showValue(item)}`);
  const id = parseId(item['ID']);
  if (id === undefined) {
    fail(
      kind,
      `result[${index}]: ID must be a positive integer (or a string of its digits), got ${showValue(item['ID'])}`,
    );
  }
  const label = `result[${index}] (ID ${id})`;
  const { NAME: name, SYMBOL_CODE: symbolCode, SYMBOL_CODE_SHORT: shortCode } = item;
  if (typeof name !== 'string') fail(kind, `${label}: NAME must be a string, got ${showValue(name)}`);
  if (typeof symbolCode !== 'string' || symbolCode === '') {
    fail(kind, `${label}: SYMBOL_CODE must be a non-empty string, got ${showValue(symbolCode)}`);
  }
  if (typeof shortCode !== 'string') {
    fail(kind, `${label}: SYMBOL_CODE_SHORT must be a string, got ${showValue(shortCode)}`);
  }
  return { id, name, symbolCode, shortCode, isSpa: SPA_SYMBOL_CODE.test(symbolCode) };
}

function parseResult(result: unknown, kind: string): OwnerType[] {
  if (!Array.isArray(result)) fail(kind, `"result" must be a non-empty array, got ${showValue(result)}`);
  if (result.length === 0) fail(kind, '"result" is an empty array; a portal always lists its system types');

  const types = result.map((item: unknown, index) => parseItem(item, index, kind));
  const label = (index: number) => `result[${index}] (ID ${types[index]?.id})`;
  const checkUnique = (field: string, keyOf: (type: OwnerType) => string | number | undefined) => {
    const seen = new Map<string | number, number>();
    types.forEach((type, index) => {
      const key = keyOf(type);
      if (key === undefined) return;
      const first = seen.get(key);
      if (first !== undefined) {
        fail(kind, `${label(first)} and ${label(index)} have the same ${field} ${showValue(key)}`);
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
