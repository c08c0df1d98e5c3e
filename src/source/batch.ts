import type { CommandResult } from '../model/portal.js';
import { InvalidResponseError, PortalError } from '../shared/errors.js';
import type { RestClient } from './client.js';
import { affectsRun, checkAddress, describePortalError, retryClassOf } from './portal-errors.js';
import { operatingResetMs } from './retry.js';

/** The most commands one `batch` request may hold (`CRestUtil::BATCH_MAX_LENGTH`). */
export const MAX_BATCH_COMMANDS = 50;

/** A query value as PHP's `parse_str` reads it back: scalars, lists and maps in bracket syntax. */
export type QueryValue = string | number | readonly QueryValue[] | { readonly [key: string]: QueryValue };

/** One command: a method and its parameters. */
export interface BatchCommand {
  readonly method: string;
  readonly params?: Readonly<Record<string, QueryValue>>;
}

export interface BatchResult {
  /** Every command's outcome, by its key. */
  readonly results: Readonly<Record<string, CommandResult>>;
  /** HTTP requests the batches took, retries included. */
  readonly requests: number;
  /** `batch` calls made (each of at most 50 commands). */
  readonly batches: number;
}

const COMMAND_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const METHOD_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/;

function append(pairs: string[], name: string, value: QueryValue): void {
  if (typeof value === 'string' || typeof value === 'number') {
    pairs.push(`${name}=${encodeURIComponent(String(value))}`);
  } else if (Array.isArray(value)) {
    (value as readonly QueryValue[]).forEach((item, index) => append(pairs, `${name}[${index}]`, item));
  } else {
    for (const [key, item] of Object.entries(value as Readonly<Record<string, QueryValue>>)) {
      append(pairs, `${name}[${encodeURIComponent(key)}]`, item);
    }
  }
}

/**
 * Parameters as a query string in PHP bracket syntax, as the portal's `parse_str` reads a batch command:
 * `filter[ENTITY_ID]=DEAL_STAGE_3&order[SORT]=ASC`. Keys and values are URL-encoded (`#`, `&`, `+`, `%`
 * and `=` in a value survive), the brackets are not.
 */
export function buildQuery(params: Readonly<Record<string, QueryValue>>): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params)) append(pairs, encodeURIComponent(key), value);
  return pairs.join('&');
}

/** `method?query`, as a batch's `cmd` holds it. */
export function commandString(command: BatchCommand): string {
  if (!METHOD_NAME.test(command.method)) throw new Error(`Not a REST method name: ${JSON.stringify(command.method)}.`);
  const query = command.params === undefined ? '' : buildQuery(command.params);
  return query === '' ? command.method : `${command.method}?${query}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One member (`result`, `result_error`, …) of a batch answer. The portal builds each from a PHP array, so
 * it is `[]` when empty, an object with named keys, or a JSON array when the keys were 0…n-1.
 */
function member(answer: Record<string, unknown>, name: string): ReadonlyMap<string, unknown> {
  const value = answer[name];
  if (value === undefined || value === null) return new Map();
  if (Array.isArray(value)) return new Map(value.map((item, index) => [String(index), item] as const));
  if (isRecord(value)) return new Map(Object.entries(value));
  throw new InvalidResponseError(`The portal answered batch with a "${name}" that is ${typeof value}, not a map of commands; it is not a batch response.`);
}

function countOf(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

/** A member error as sent: `{error, error_description}`, or a bare string (the JS SDK types both). */
function readMemberError(value: unknown): { error: string; description: string } {
  if (typeof value === 'string') return { error: value, description: '' };
  if (isRecord(value)) {
    const { error, error_description: description } = value;
    return {
      error: typeof error === 'string' ? error : typeof error === 'number' ? String(error) : '',
      description: typeof description === 'string' ? description : description == null ? '' : String(description),
    };
  }
  return { error: '', description: '' };
}

/**
 * Runs `commands` through `batch` (`halt: 0`, named keys), at most 50 a request; more become several
 * requests. Whole-request failures (rate limits, 5xx, network) are retried by the client like any call and
 * thrown when they last. Inside an answer, each command's error is classified by the same error table as a
 * single call: credentials, plan and portal errors are thrown (as fatal as on a call); rate limits and
 * server errors of single commands are re-sent within the retries; commands past a portal's smaller batch
 * limit (`ERROR_BATCH_LENGTH_EXCEEDED`) go in the next request; anything else is that command's result.
 */
export async function runBatch(client: RestClient, commands: Readonly<Record<string, BatchCommand>>): Promise<BatchResult> {
  const cmd = new Map<string, string>();
  for (const [key, command] of Object.entries(commands)) {
    // Numeric keys would turn the answer's members into JSON arrays; named keys keep them maps.
    if (!COMMAND_KEY.test(key)) throw new Error(`Batch command keys must be names, not ${JSON.stringify(key)}.`);
    cmd.set(key, commandString(command));
  }
  const results: Record<string, CommandResult> = {};
  const attempts = new Map<string, number>();
  const startRequests = client.requests;
  let pending = [...cmd.keys()];
  let limit = MAX_BATCH_COMMANDS;
  let batches = 0;

  while (pending.length > 0) {
    const chunk = pending.slice(0, limit);
    const rest = pending.slice(limit);
    const body = { halt: 0, cmd: Object.fromEntries(chunk.map((key) => [key, cmd.get(key) ?? ''])) };
    batches++;
    const { json } = await client.call('batch', body);
    const answer = json.result;
    if (!isRecord(answer) && !(Array.isArray(answer) && answer.length === 0)) {
      throw new InvalidResponseError(
        `The portal answered batch with a "result" that is not a batch answer; ${checkAddress(client.source, client.names).replace(/^C/, 'c')}.`,
      );
    }
    const record = isRecord(answer) ? answer : {};
    const values = member(record, 'result');
    const errors = member(record, 'result_error');
    const totals = member(record, 'result_total');
    const nexts = member(record, 'result_next');

    const again: string[] = [];
    const tooMany: string[] = [];
    let retryWait:
      | { retry: ReturnType<typeof retryClassOf>; reason: string; attempt: number; fail: () => PortalError }
      | undefined;
    for (const key of chunk) {
      const method = commands[key]?.method ?? key;
      if (errors.has(key)) {
        const read = readMemberError(errors.get(key));
        const error = client.redact(read.error);
        const description = client.redact(read.description);
        if (error === 'ERROR_BATCH_LENGTH_EXCEEDED') {
          tooMany.push(key);
          continue;
        }
        const retry = retryClassOf(error, 200, description);
        const attempt = (attempts.get(key) ?? 0) + 1;
        if (retry !== 'never' && attempt <= client.retryLimit) {
          attempts.set(key, attempt);
          again.push(key);
          if (retryWait === undefined || attempt > retryWait.attempt) {
            const fail = () =>
              new PortalError(
                `${describePortalError(error, description, 200, { method, source: client.source, names: client.names, inBatch: true })} Gave up at once: the wait the portal asks for is past the time allowed for waiting.`,
                error,
                description,
                200,
              );
            retryWait = { retry, reason: `${error} from ${method} inside batch`, attempt, fail };
          }
          continue;
        }
        if (affectsRun(error, description)) {
          throw new PortalError(
            describePortalError(error, description, 200, { method, source: client.source, names: client.names, inBatch: true }),
            error,
            description,
            200,
          );
        }
        results[key] = { ok: false, error, description };
      } else if (values.has(key)) {
        const total = countOf(totals.get(key));
        const next = countOf(nexts.get(key));
        results[key] = {
          ok: true,
          result: values.get(key),
          ...(total !== undefined && { total }),
          ...(next !== undefined && { next }),
        };
      } else {
        results[key] = { ok: false, error: '', description: 'The batch answer holds neither a result nor an error for this command.' };
      }
    }
    if (tooMany.length > 0) {
      const accepted = chunk.length - tooMany.length;
      if (accepted === 0) {
        throw new PortalError(
          describePortalError('ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded', 200, { method: 'batch', source: client.source, names: client.names }),
          'ERROR_BATCH_LENGTH_EXCEEDED',
          'Max batch length exceeded',
          200,
        );
      }
      limit = Math.min(limit, accepted);
    }
    if (retryWait !== undefined) {
      const waitAtLeastMs = retryWait.retry === 'operation-limit' ? operatingResetMs(json) : undefined;
      if (!(await client.retryLater(retryWait.attempt, retryWait.retry, retryWait.reason, waitAtLeastMs))) throw retryWait.fail();
    }
    pending = [...tooMany, ...again, ...rest];
  }
  return { results, requests: client.requests - startRequests, batches };
}
