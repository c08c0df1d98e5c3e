import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { InvalidResponseError, NetworkError, PortalError, UsageError, isGenOwnerTypesError } from '../shared/errors.js';
import { isLoopbackHost, parsePortalUrl, parseWebhookUrl, redact, redactUrl, secretsOf } from './address.js';
import {
  createNonJsonError,
  createPortalError,
  describeNonJsonAnswer,
  readBitrixError,
  retryClassOf,
  type RetryClass,
} from './portal-errors.js';

/** Where to call `crm.enum.ownertype`: an inbound webhook, or a portal origin plus an OAuth access token. */
export type PortalSource = { kind: 'webhook'; url: string } | { kind: 'oauth'; portal: string; token: string };

/** Waits between attempts. Defaults follow the Bitrix24 limits; tests pass small values. */
export interface FetchDelays {
  /** First wait after a 5xx, a gateway page or a network fault; doubles each retry. Default 1000. */
  baseMs?: number;
  /** First wait after QUERY_LIMIT_EXCEEDED; ×1.5 each retry. Default 1000 (the bucket drains 2 requests/s). */
  rateLimitBaseMs?: number;
  /** Shortest wait after OPERATION_TIME_LIMIT, unless the portal's `operating_reset_at` says later. Default 10000. */
  operationLimitMinMs?: number;
  /** Time that may be spent waiting between attempts, on top of `timeoutMs` per attempt. Default 60000. */
  maxTotalWaitMs?: number;
}

export interface FetchOptions {
  /** Bounds each attempt: connecting, the headers and the whole body. */
  timeoutMs: number;
  /** Retries for rate limits, 5xx, gateway pages and network faults; auth and permission errors are never retried. */
  retries: number;
  userAgent: string;
  /** Aborts everything, including waits between attempts; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  /** Things the user should act on that do not stop the run, e.g. the portal moved to a new address. */
  onNotice?: (message: string) => void;
  delays?: FetchDelays;
  /** Largest body accepted. Default 32 MiB. */
  maxBodyBytes?: number;
}

export interface FetchResult {
  /** The parsed JSON of a successful answer: an object with `result` and no `error`. Not validated further. */
  json: unknown;
  /** Host of the portal that answered (after redirects), e.g. `example.bitrix24.com`. Never a secret. */
  host: string;
  /** How many attempts it took (redirects are part of an attempt). */
  attempts: number;
}

export const DEFAULT_DELAYS: Readonly<Required<FetchDelays>> = {
  baseMs: 1_000,
  rateLimitBaseMs: 1_000,
  operationLimitMinMs: 10_000,
  maxTotalWaitMs: 60_000,
};
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
export const MAX_REDIRECTS = 3;

const METHOD = 'crm.enum.ownertype';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|HOSTNAME_MISMATCH|ERR_OSSL)/;

interface Target {
  url: URL;
  readonly body: string;
  readonly secrets: readonly string[];
  /** Tells the user what to update after a redirect. */
  readonly describeMove: (next: URL) => string;
}

/**
 * One attempt that did not produce a result. `error(attempts, giveUp)` builds what is thrown if no retry
 * follows; `giveUp` explains a stop before the retries ran out.
 */
interface Failure {
  readonly retry: RetryClass;
  readonly reason: string;
  readonly error: (attempts: number, giveUp?: string) => Error;
  /** The portal asked for at least this long (`operating_reset_at`, `Retry-After`). */
  readonly waitAtLeastMs?: number;
}

type Outcome = { readonly ok: true; readonly json: unknown } | ({ readonly ok: false } & Failure);

/** A reason for aborting that is ours, so it can be told apart from the caller's signal. */
class Expired extends Error {}

function targetOf(source: PortalSource): Target {
  const secrets = secretsOf(source);
  if (source.kind === 'webhook') {
    const address = parseWebhookUrl(source.url);
    return {
      url: new URL(address.methodUrl(METHOD)),
      body: '{}',
      secrets,
      describeMove: (next) =>
        `the portal moved: ${address.host} redirects to ${next.host}. Update B24_WEBHOOK_URL (or --webhook) to ${next.origin}/rest/${address.userId}/***/`,
    };
  }
  const address = parsePortalUrl(source.portal);
  if (source.token.trim() === '') {
    throw new UsageError('The OAuth access token is empty: set B24_ACCESS_TOKEN (or pass --token).');
  }
  return {
    url: new URL(address.methodUrl(METHOD)),
    body: JSON.stringify({ auth: source.token }),
    secrets,
    describeMove: (next) =>
      `the portal moved: ${address.host} redirects to ${next.host}. Update B24_PORTAL_URL (or --portal) to ${next.origin}`,
  };
}

function checkOptions(options: FetchOptions): Required<FetchDelays> {
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new UsageError(`The timeout must be a positive number of milliseconds, not ${String(options.timeoutMs)}.`);
  }
  if (!Number.isInteger(options.retries) || options.retries < 0) {
    throw new UsageError(`The number of retries must be a whole number ≥ 0, not ${String(options.retries)}.`);
  }
  const delays = { ...DEFAULT_DELAYS };
  for (const key of Object.keys(delays) as (keyof FetchDelays)[]) {
    const value = options.delays?.[key];
    if (value !== undefined) {
      if (!Number.isFinite(value) || value < 0) throw new UsageError(`delays.${key} must be a number ≥ 0.`);
      delays[key] = value;
    }
  }
  return delays;
}

/**
 * Calls `crm.enum.ownertype` and returns the parsed JSON of a successful answer. The only code that speaks
 * HTTP. Retries rate limits, 5xx, gateway pages and network faults within `retries` and an overall deadline
 * (`timeoutMs × (retries + 1)` plus `delays.maxTotalWaitMs`); never auth or permission errors. No message,
 * notice or `cause` carries the webhook code or the token.
 */
export async function fetchOwnerTypes(source: PortalSource, options: FetchOptions): Promise<FetchResult> {
  const secrets = secretsOf(source);
  try {
    const delays = checkOptions(options);
    const target = targetOf(source);
    return await run(target, options, delays);
  } catch (error) {
    if (options.signal?.aborted === true && error === options.signal.reason) throw error;
    throw scrubError(error, secrets);
  }
}

async function run(target: Target, options: FetchOptions, delays: Required<FetchDelays>): Promise<FetchResult> {
  const { timeoutMs, retries, signal } = options;
  signal?.throwIfAborted();
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const deadlineMs = timeoutMs * (retries + 1) + delays.maxTotalWaitMs;
  const deadlineAt = Date.now() + deadlineMs;
  const deadline = new AbortController();
  const deadlineTimer = setTimeout(() => deadline.abort(new Expired('overall deadline')), deadlineMs);
  const agent = new Agent({
    connect: { timeout: timeoutMs },
    keepAliveTimeout: 4_000,
  });
  const noticed = new Set<string>();
  const notice = (message: string) => {
    if (noticed.has(message)) return;
    noticed.add(message);
    options.onNotice?.(redact(message, target.secrets));
  };
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json',
    'user-agent': options.userAgent,
  };
  const host = () => target.url.host;

  try {
    for (let attempt = 1; ; attempt++) {
      const attemptController = new AbortController();
      const attemptTimer = setTimeout(() => attemptController.abort(new Expired('attempt timeout')), timeoutMs);
      const attemptSignal = AbortSignal.any(
        signal === undefined ? [deadline.signal, attemptController.signal] : [signal, deadline.signal, attemptController.signal],
      );
      const progress = { headers: false };
      let outcome: Outcome;
      try {
        outcome = await exchange(attemptSignal, progress);
      } catch (error) {
        if (signal?.aborted === true) throw signal.reason;
        if (deadline.signal.aborted) throw overallTimeout(attempt, error);
        if (isGenOwnerTypesError(error)) throw error;
        outcome = { ok: false, ...networkFailure(error, attemptController.signal.aborted, progress.headers) };
      } finally {
        clearTimeout(attemptTimer);
      }
      if (outcome.ok) return { json: outcome.json, host: host(), attempts: attempt };

      const retriesLeft = retries - (attempt - 1);
      if (outcome.retry === 'never' || retriesLeft <= 0) throw outcome.error(attempt);
      const delayMs = delayFor(outcome, attempt, delays);
      if (Date.now() + delayMs > deadlineAt) {
        const wait = delayMs >= 1_000 ? `${Math.ceil(delayMs / 1_000)} s` : `${Math.round(delayMs)} ms`;
        throw outcome.error(
          attempt,
          `Gave up at once: the next try would be in ${wait}, past the overall limit of ${deadlineMs} ms. Run again later, or raise --timeout.`,
        );
      }
      options.onRetry?.({ attempt, delayMs, reason: redact(outcome.reason, target.secrets) });
      try {
        await sleep(delayMs, signal === undefined ? deadline.signal : AbortSignal.any([signal, deadline.signal]));
      } catch (error) {
        if (signal?.aborted === true) throw signal.reason;
        throw overallTimeout(attempt, error);
      }
    }
  } finally {
    clearTimeout(deadlineTimer);
    await agent.destroy().catch(() => undefined);
  }

  function overallTimeout(attempts: number, cause: unknown): NetworkError {
    return new NetworkError(
      `No answer from ${host()} within the overall limit of ${deadlineMs} ms (${plural(attempts, 'attempt')}); try a larger --timeout, or check that the portal is reachable.`,
      cause instanceof Expired ? undefined : { cause },
    );
  }

  function networkFailure(error: unknown, attemptExpired: boolean, headersReceived: boolean): Failure {
    const code = errorCode(error);
    const where = host();
    const tryTimeout = `try --timeout ${Math.max(timeoutMs * 2, 30_000)}, or check that the portal is reachable`;
    const wrap = (message: string) => (attempts: number, giveUp?: string) =>
      new NetworkError(noted(message, attempts, giveUp), error instanceof Expired ? undefined : { cause: error });
    if (attemptExpired || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      const stalled = headersReceived || code === 'UND_ERR_BODY_TIMEOUT';
      return {
        retry: 'server',
        reason: `${stalled ? 'no complete answer' : 'no answer'} within ${timeoutMs} ms`,
        error: (attempts, giveUp) => {
          const what = stalled ? `No complete answer from ${where}` : `No answer from ${where}`;
          const message = `${what} within ${timeoutMs} ms (${plural(attempts, 'attempt')}); ${tryTimeout}.`;
          return wrap(message)(1, giveUp);
        },
      };
    }
    if (code !== undefined && TLS_CODE.test(code)) {
      return {
        retry: 'never',
        reason: code,
        error: wrap(
          `TLS problem talking to ${where} (${code}). Behind a TLS-inspecting proxy, point NODE_EXTRA_CA_CERTS at its CA certificate.`,
        ),
      };
    }
    const described: Record<string, string> = {
      ECONNREFUSED: `Cannot connect to ${where}: connection refused. Check the portal address`,
      ENOTFOUND: `Cannot resolve ${target.url.hostname} (DNS). Check the portal address and your network`,
      EAI_AGAIN: `Cannot resolve ${target.url.hostname} right now (DNS lookup failed temporarily). Check your network`,
      ECONNRESET: `The connection to ${where} was reset before a complete answer arrived`,
      UND_ERR_SOCKET: `The connection to ${where} closed before a complete answer arrived`,
      EPIPE: `The connection to ${where} closed while sending the request`,
      ETIMEDOUT: `The connection to ${where} timed out`,
      ENETUNREACH: `The network to ${where} is unreachable. Check your network`,
      EHOSTUNREACH: `${where} is unreachable. Check your network`,
      UND_ERR_RES_CONTENT_LENGTH_MISMATCH: `The answer from ${where} was cut short`,
    };
    const message =
      (code === undefined ? undefined : described[code]) ??
      `Network error talking to ${where}: ${code ?? (error instanceof Error ? error.message : String(error))}`;
    return { retry: 'server', reason: code ?? 'network error', error: wrap(`${message}.`) };
  }

  /** One attempt: the request plus any redirects it leads to. */
  async function exchange(attemptSignal: AbortSignal, progress: { headers: boolean }): Promise<Outcome> {
    for (let hop = 0; ; hop++) {
      const url = target.url;
      progress.headers = false;
      const response = await request(url, {
        dispatcher: agent,
        method: 'POST',
        headers,
        body: target.body,
        signal: attemptSignal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      progress.headers = true;
      const status = response.statusCode;
      if (REDIRECT_STATUSES.has(status)) {
        await response.body.dump({ limit: 64 * 1024, signal: attemptSignal }).catch(() => undefined);
        if (hop >= MAX_REDIRECTS) {
          throw new InvalidResponseError(
            `The portal at ${url.host} redirected more than ${MAX_REDIRECTS} times; check the webhook URL or portal address.`,
          );
        }
        target.url = followRedirect(url, firstHeader(response.headers.location), status);
        if (target.url.origin !== url.origin) notice(target.describeMove(target.url));
        continue;
      }
      const text = await readBody(response, maxBody, url.host);
      return interpret(status, firstHeader(response.headers['content-type']), firstHeader(response.headers['retry-after']), text);
    }
  }
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Where a redirect may lead: the same path, over https (or http on loopback), never with credentials in the URL. */
function followRedirect(current: URL, location: string | undefined, status: number): URL {
  if (location === undefined || location.trim() === '') {
    throw new InvalidResponseError(`The portal at ${current.host} answered HTTP ${status} without a Location; check the webhook URL or portal address.`);
  }
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    throw new InvalidResponseError(`The portal at ${current.host} answered HTTP ${status} with an invalid Location; check the webhook URL or portal address.`);
  }
  const shown = redactUrl(next);
  const secure = next.protocol === 'https:' || (next.protocol === 'http:' && isLoopbackHost(next.hostname));
  if (!secure) {
    throw new InvalidResponseError(
      `The portal at ${current.host} redirected to ${shown}, which is not https; refused, so the credentials were not sent there. Check the portal address.`,
    );
  }
  if (next.pathname !== current.pathname || next.username !== '' || next.password !== '') {
    throw new InvalidResponseError(
      `The portal at ${current.host} redirected to a different path (${shown}); refused, so the credentials were not re-sent. Check the webhook URL or portal address.`,
    );
  }
  next.hash = '';
  return next;
}

/** Drops a body we will not read; undici emits an abort error on it, which nobody needs to hear. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

async function readBody(response: Dispatcher.ResponseData, maxBytes: number, host: string): Promise<string> {
  const tooLarge = (size: string) =>
    new InvalidResponseError(`The answer from ${host} is absurdly large (${size}, limit ${maxBytes} bytes); it is not a crm.enum.ownertype response.`);
  const declared = Number(firstHeader(response.headers['content-length']));
  if (Number.isFinite(declared) && declared > maxBytes) {
    discard(response.body);
    throw tooLarge(`${declared} bytes declared`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      discard(response.body);
      throw tooLarge(`over ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return NOT_JSON;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Retry-After` in seconds or as an HTTP date; not documented for Bitrix24, but gateways send it. */
function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1_000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** `time.operating_reset_at` (Unix seconds): when the method's time budget resets. */
function operatingResetMs(json: unknown): number | undefined {
  if (!isRecord(json) || !isRecord(json.time)) return undefined;
  const at = json.time.operating_reset_at;
  return typeof at === 'number' && Number.isFinite(at) ? Math.max(0, at * 1_000 - Date.now()) : undefined;
}

function interpret(status: number, contentType: string | undefined, retryAfter: string | undefined, text: string): Outcome {
  const ok = status >= 200 && status < 300;
  const json = parseJson(text);
  const askedWait = retryAfterMs(retryAfter);
  const wait = askedWait === undefined ? {} : { waitAtLeastMs: askedWait };
  if (json === NOT_JSON) {
    if (ok) throw createNonJsonError(status, contentType, text);
    const type = contentType?.split(';')[0]?.trim() || 'no content type';
    return {
      ok: false,
      retry: status >= 500 ? 'server' : 'never',
      reason: `HTTP ${status} (${type})`,
      error: (attempts, giveUp) => new InvalidResponseError(noted(describeNonJsonAnswer(status, contentType, text), attempts, giveUp)),
      ...wait,
    };
  }
  const bitrix = readBitrixError(json);
  if (bitrix !== undefined) {
    const retry = retryClassOf(bitrix.error, status, bitrix.description);
    const resetMs = retry === 'operation-limit' ? operatingResetMs(json) : undefined;
    const waitAtLeastMs = Math.max(resetMs ?? 0, askedWait ?? 0);
    return {
      ok: false,
      retry,
      reason: `${bitrix.error === '' ? 'error' : bitrix.error} (HTTP ${status})`,
      error: (attempts, giveUp) => {
        const error = createPortalError(bitrix, status);
        return new PortalError(noted(error.message, attempts, giveUp), error.error, error.errorDescription, status);
      },
      ...(waitAtLeastMs > 0 && { waitAtLeastMs }),
    };
  }
  if (ok) {
    if (isRecord(json) && 'result' in json) return { ok: true, json };
    throw new InvalidResponseError(
      `The portal answered HTTP ${status} with JSON that has no "result"; it is not a crm.enum.ownertype response. Check the webhook URL or portal address.`,
    );
  }
  return {
    ok: false,
    retry: status >= 500 ? 'server' : 'never',
    reason: `HTTP ${status}`,
    error: (attempts, giveUp) =>
      new InvalidResponseError(
        noted(`The portal answered HTTP ${status} with JSON that is not a Bitrix24 REST answer. Check the webhook URL or portal address.`, attempts, giveUp),
      ),
    ...wait,
  };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** A message with how many attempts were made (when more than one) and why retrying stopped early. */
function noted(message: string, attempts: number, giveUp?: string): string {
  const tried = attempts > 1 ? ` Tried ${attempts} times.` : '';
  return `${message}${tried}${giveUp === undefined ? '' : ` ${giveUp}`}`;
}

function jitter(ms: number): number {
  return ms * (1 + Math.random() * 0.2);
}

function delayFor(failure: Failure, attempt: number, delays: Required<FetchDelays>): number {
  const step = attempt - 1;
  let delay: number;
  switch (failure.retry) {
    case 'rate-limit':
      delay = jitter(delays.rateLimitBaseMs * 1.5 ** step);
      break;
    case 'operation-limit':
      delay = delays.operationLimitMinMs;
      break;
    default:
      delay = jitter(delays.baseMs * 2 ** step);
  }
  return Math.max(delay, failure.waitAtLeastMs ?? 0);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The error code of a Node or undici error, looking through `cause` and AggregateError's `errors`. */
function errorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && code !== '') return code;
  return errorCode(cause, depth + 1) ?? (Array.isArray(errors) ? errorCode(errors[0], depth + 1) : undefined);
}

function containsSecret(value: unknown, secrets: readonly string[]): boolean {
  let text: string;
  try {
    text = JSON.stringify(value) ?? '';
  } catch {
    return true;
  }
  return redact(text, secrets) !== text;
}

/**
 * Masks secrets in an error and everything it links to (`cause`, `errors`, string properties): undici and
 * Node errors can embed the request URL, which holds the webhook code.
 */
export function scrubError<T>(error: T, secrets: readonly string[]): T {
  const seen = new Set<object>();
  const visit = (value: unknown, depth: number): void => {
    if (typeof value !== 'object' || value === null || seen.has(value) || depth > 8) return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(value)) {
      let current: unknown;
      try {
        current = record[key];
      } catch {
        continue;
      }
      if (typeof current === 'string') {
        const clean = redact(current, secrets);
        if (clean !== current) setProperty(record, key, clean);
      } else if (current instanceof Error || Array.isArray(current)) {
        visit(current, depth + 1);
      } else if (typeof current === 'object' && current !== null && containsSecret(current, secrets)) {
        setProperty(record, key, undefined);
      }
    }
  };
  if (secrets.some((secret) => secret !== '')) visit(error, 0);
  return error;
}

function setProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  try {
    Object.defineProperty(target, key, { value, writable: true, configurable: true });
  } catch {
    // A frozen or non-configurable property stays; the walk is best effort on foreign objects.
  }
}
