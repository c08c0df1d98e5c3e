import { InvalidResponseError } from '../shared/errors.js';

/**
 * Small checks shared by every parser of portal answers and saved files: values shown in messages, bounds on
 * what an answer may hold, and numbers that arrive as JSON numbers or as strings of digits.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Longest value (in characters) quoted in a message; portal text can be megabytes. */
const SHOWN_LENGTH = 60;

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

/**
 * What one portal answer may hold. Real portals stay far below every limit (a stage NAME is a 100-character
 * column, STATUS_ID 50); the limits exist so that a runaway or hostile answer fails here, with a message
 * naming what is too large, instead of exhausting memory or the formatter later. Lengths count UTF-16 units.
 */
export const PORTAL_LIMITS = {
  /** Owner types in `crm.enum.ownertype`. */
  ownerTypes: 10_000,
  /** Entries of `crm.status.entity.types`. */
  dictionaries: 20_000,
  /** Rows in one `crm.status.list` answer (a portal that ignores the filter sends every dictionary). */
  rowsPerAnswer: 200_000,
  /** Stages in one dictionary (one pipeline, or a type without pipelines). */
  stagesPerPipeline: 1_000,
  /** Stages of the whole portal. */
  stages: 100_000,
  /** Pipelines of one owner type, and categories in one `crm.category.list` answer. */
  pipelinesPerType: 2_000,
  /** NAME, title or pipeline name. */
  nameLength: 1_000,
  /** STATUS_ID, SYMBOL_CODE, a dictionary ID, PREFIX, an SPA's `code`. */
  codeLength: 200,
} as const;

export type PortalLimits = { readonly [K in keyof typeof PORTAL_LIMITS]: number };

/** Throws `InvalidResponseError` with `where: message.` — `where` names the method and the item. */
export function fail(where: string, message: string): never {
  throw new InvalidResponseError(`${where}: ${message}.`);
}

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

/**
 * An integer sent as a JSON number or as a string of its digits (the portal's SQL-backed methods send
 * `"10"`, the D7 ones `10`); `undefined` for anything else or outside [min, max].
 */
export function toInteger(value: unknown, min: number, max: number): number | undefined {
  let number: number;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'string' && value.length <= 16 && INTEGER.test(value)) number = Number(value);
  else return undefined;
  return Number.isInteger(number) && number >= min && number <= max ? number : undefined;
}

export const INT32_MAX = 2 ** 31 - 1;
export const INT32_MIN = -(2 ** 31);

/** A required integer field; the message says which forms are accepted. */
export function readInteger(item: JsonObject, key: string, where: string, min: number, max = INT32_MAX): number {
  const value = toInteger(item[key], min, max);
  if (value === undefined) {
    const range = min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : 'an integer';
    fail(where, `${key} must be ${range} (or a string of its digits), got ${showValue(item[key])}`);
  }
  return value;
}

/** A required string field, at most `max` long (and non-empty when asked). */
export function readString(
  item: JsonObject,
  key: string,
  where: string,
  max: number,
  options: { readonly nonEmpty?: boolean } = {},
): string {
  const value = item[key];
  if (typeof value !== 'string' || (options.nonEmpty === true && value === '')) {
    fail(where, `${key} must be a ${options.nonEmpty === true ? 'non-empty ' : ''}string, got ${showValue(value)}`);
  }
  checkLength(value, key, where, max);
  return value;
}

export function checkLength(value: string, key: string, where: string, max: number): void {
  if (value.length > max) fail(where, `${key} is too long: ${value.length} characters, more than ${max} (${showValue(value)})`);
}

export function checkCount(count: number, what: string, where: string, max: number): void {
  if (count > max) fail(where, `too large: ${count} ${what}, more than ${max}`);
}

/** Portal text for a one-line reason or notice: controls and line breaks become spaces, cut short. */
function oneLine(text: string, max = 120): string {
  const clean = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();
  const chars = Array.from(clean);
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : clean;
}

/** `crm.type.list: ACCESS_DENIED — Access denied`: a failed command in one line, for reasons and notices. */
export function describeFailure(method: string, failure: { readonly error: string; readonly description: string }): string {
  const parts = [oneLine(failure.error, 60), oneLine(failure.description)].filter((part) => part !== '');
  return `${method}: ${parts.length === 0 ? 'an error without a code or description' : parts.join(' — ')}`;
}
