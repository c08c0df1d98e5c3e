import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { ConfigError, InvalidResponseError, NetworkError, PortalError, isGenOwnerTypesError } from '../shared/errors.js';
import { isLoopbackHost, parsePortalUrl, parseWebhookUrl, redactUrl } from './address.js';
import {
  createNonJsonError,
  createPortalError,
  describeNonJsonAnswer,
  readBitrixError,
  retryClassOf,
  checkAddress,
  DEFAULT_SOURCE_NAMES,
  type BodyDetails,
  type RetryClass,
} from './portal-errors.js';
import { stripBom } from '../shared/text-file.js';
import { checkJsonBounds } from './json-bounds.js';
import { redact, scrubError, secretsOf } from './redact.js';
import { describeRoute, proxyRoute, proxySecretsOf, proxySettingsFrom, type ProxyEnvironment, type ProxyRoute, type ProxySettings } from './proxy.js';
import type { RemoteSource, SourceNames } from './source.js';
import {
  delayFor,
  describeWait,
  operatingResetMs,
  overallLimitMs,
  resolveRetryPolicy,
  retryAfterMs,
  sleep,
  type RetryDelays,
} from './retry.js';

export interface ClientOptions {
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
  delays?: RetryDelays;
  /** Largest body accepted. Default 32 MiB. */
  maxBodyBytes?: number;
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY (and their lower-case forms) are read. Default `process.env`. */
  env?: ProxyEnvironment;
  /** Details for `--verbose`: which proxy a portal is reached through, or that NO_PROXY bypassed it. */
  onDebug?: (message: string) => void;
  /** Where the caller sets the webhook, portal and token, for the advice of messages. Default: the fields of `source`. */
  names?: Partial<SourceNames> | undefined;
}

/** A successful answer: an object with `result` and no `error`. Not validated further. */
export interface CallResult {
  readonly json: Readonly<Record<string, unknown>>;
  /** Host of the portal that answered (after redirects), e.g. `example.bitrix24.com`. Never a secret. */
  readonly host: string;
  /** How many attempts it took (redirects are part of an attempt). */
  readonly attempts: number;
}

/** One portal, any method: the only code that speaks HTTP. */
export interface RestClient {
  /**
   * Calls `method` with `params` as its JSON body. Retries rate limits, 5xx, gateway pages and network
   * faults within `retries` and an overall limit (`timeoutMs × (retries + 1)` plus `delays.maxTotalWaitMs`);
   * never auth or permission errors. No message, notice or `cause` carries the webhook code or the token.
   */
  call(method: string, params?: Readonly<Record<string, unknown>>): Promise<CallResult>;
  /** Host of the portal as currently addressed (after any redirect). */
  readonly host: string;
  /** HTTP requests sent so far, retries and redirects included. */
  readonly requests: number;
  readonly source: RemoteSource['kind'];
  /** Where the caller sets the webhook, portal and token, for the advice of messages about this client's answers. */
  readonly names: SourceNames;
  /**
   * For a retryable error found inside a successful answer (one command of a batch): waits as the retry
   * policy says before attempt `attempt + 1` and resolves `true`, or resolves `false` when the retries are
   * used up. Rejects when the caller's signal aborts.
   */
  retryLater(attempt: number, retry: RetryClass, reason: string, waitAtLeastMs?: number): Promise<boolean>;
  /** Masks the source's secrets in portal text that leaves the client some other way (a batch member's error). */
  redact(text: string): string;
  /** The same for an error and its `cause` chain. */
  scrub<T>(error: T): T;
  /** How many times a failed request (or command) may be retried. */
  readonly retryLimit: number;
  /** Closes the connections. The client cannot be used afterwards. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;
const MAX_REDIRECTS = 3;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|HOSTNAME_MISMATCH|ERR_OSSL)/;

interface Endpoint {
  origin: string;
  readonly pathOf: (method: string) => string;
  readonly bodyOf: (params: Readonly<Record<string, unknown>>) => string;
  /** Tells the user what to update after a redirect. */
  readonly describeMove: (from: string, next: URL) => string;
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

type Outcome = { readonly ok: true; readonly json: Record<string, unknown> } | ({ readonly ok: false } & Failure);

/** A reason for aborting that is ours, so it can be told apart from the caller's signal. */
class Expired extends Error {}

function endpointOf(source: RemoteSource, names: SourceNames): Endpoint {
  if (source.kind === 'webhook') {
    const address = parseWebhookUrl(source.url);
    return {
      origin: address.origin,
      pathOf: (method) => `/rest/${address.userId}/${address.code}/${method}`,
      bodyOf: (params) => JSON.stringify(params),
      describeMove: (from, next) =>
        `the portal moved: ${from} redirects to ${next.host}. Update ${names.webhook} to ${next.origin}/rest/${address.userId}/***/`,
    };
  }
  const address = parsePortalUrl(source.portal);
  if (source.token.trim() === '') {
    throw new ConfigError('The OAuth access token (`token`) is empty: give the access token of the portal.', { option: 'token' });
  }
  return {
    origin: address.origin,
    pathOf: (method) => `/rest/${method}`,
    bodyOf: (params) => JSON.stringify({ ...params, auth: source.token }),
    describeMove: (from, next) =>
      `the portal moved: ${from} redirects to ${next.host}. Update ${names.portal} to ${next.origin}`,
  };
}

/** A REST client for one source. Checks the options and the address before anything is sent. */
export function createClient(source: RemoteSource, options: ClientOptions): RestClient {
  const names = { ...DEFAULT_SOURCE_NAMES, ...options.names };
  const secrets = secretsOf(source);
  const scrub = (error: unknown): unknown => {
    if (options.signal?.aborted === true && error === options.signal.reason) return error;
    return scrubError(error, secrets);
  };
  let delays: ReturnType<typeof resolveRetryPolicy>;
  let endpoint: Endpoint;
  let proxy: ProxySettings | undefined;
  try {
    delays = resolveRetryPolicy(options);
    endpoint = endpointOf(source, names);
    proxy = proxySettingsFrom(options.env ?? process.env);
  } catch (error) {
    throw scrub(error);
  }
  // Proxy credentials are secrets like the webhook code: masked in every message, notice and cause.
  secrets.push(...proxySecretsOf(proxy));
  const KEEP_ALIVE_MS = 4_000;
  // Without a proxy variable, the plain Agent as always; the proxy agent is loaded only when one is set.
  let agent: Dispatcher | undefined = proxy === undefined ? new Agent({ connect: { timeout: options.timeoutMs }, keepAliveTimeout: KEEP_ALIVE_MS }) : undefined;
  let loading: Promise<Dispatcher> | undefined;
  const dispatcher = (): Dispatcher | Promise<Dispatcher> => {
    if (agent !== undefined) return agent;
    const settings = proxy!;
    loading ??= import('./proxy-agent.js').then(({ createProxyAgent }) => (agent = createProxyAgent(settings, options.timeoutMs, KEEP_ALIVE_MS)));
    return loading;
  };
  const routes = new Map<string, ProxyRoute>();
  /** How requests to `url`'s origin travel, said once per origin under --verbose when a proxy is set. */
  const routeOf = (url: URL): ProxyRoute => {
    let route = routes.get(url.origin);
    if (route === undefined) {
      route = proxyRoute(url, proxy);
      routes.set(url.origin, route);
      if (proxy !== undefined) options.onDebug?.(describeRoute(route, url.host, url.protocol));
    }
    return route;
  };
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const noticed = new Set<string>();
  const notice = (message: string) => {
    if (noticed.has(message)) return;
    noticed.add(message);
    options.onNotice?.(redact(message, secrets));
  };
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json',
    'accept-encoding': 'identity',
    'user-agent': options.userAgent,
  };
  let requests = 0;
  let closed = false;

  const client: RestClient = {
    get host() {
      return new URL(endpoint.origin).host;
    },
    get requests() {
      return requests;
    },
    source: source.kind,
    names,
    retryLimit: options.retries,
    redact: (text) => redact(text, secrets),
    scrub: (error) => scrubError(error, secrets),
    async call(method, params = {}) {
      if (closed) throw new Error('The REST client is closed.');
      try {
        return await callWithRetries(method, endpoint.bodyOf(params));
      } catch (error) {
        throw scrub(error);
      }
    },
    async retryLater(attempt, retry, reason, waitAtLeastMs) {
      if (retry === 'never' || attempt > options.retries) return false;
      const delayMs = delayFor(retry, attempt, delays, waitAtLeastMs);
      if (delayMs > delays.maxTotalWaitMs) return false;
      options.onRetry?.({ attempt, delayMs, reason: redact(reason, secrets) });
      await sleep(delayMs, options.signal ?? new AbortController().signal);
      return true;
    },
    async close() {
      closed = true;
      const open = agent ?? (await loading?.catch(() => undefined));
      await open?.destroy().catch(() => undefined);
    },
  };
  return client;

  async function callWithRetries(method: string, body: string): Promise<CallResult> {
    const { timeoutMs, retries, signal } = options;
    signal?.throwIfAborted();
    const deadlineMs = overallLimitMs(options, delays);
    const deadlineAt = Date.now() + deadlineMs;
    const deadline = new AbortController();
    const deadlineTimer = setTimeout(() => deadline.abort(new Expired('overall deadline')), deadlineMs);
    const host = () => client.host;
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
          outcome = await exchange(method, body, attemptSignal, progress);
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
        const delayMs = delayFor(outcome.retry, attempt, delays, outcome.waitAtLeastMs);
        if (Date.now() + delayMs > deadlineAt) {
          throw outcome.error(
            attempt,
            `Gave up at once: the next try would be in ${describeWait(delayMs)}, past the overall limit of ${deadlineMs} ms. Run again later, or raise --timeout.`,
          );
        }
        options.onRetry?.({ attempt, delayMs, reason: redact(outcome.reason, secrets) });
        try {
          await sleep(delayMs, signal === undefined ? deadline.signal : AbortSignal.any([signal, deadline.signal]));
        } catch (error) {
          if (signal?.aborted === true) throw signal.reason;
          throw overallTimeout(attempt, error);
        }
      }
    } finally {
      clearTimeout(deadlineTimer);
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
      const hostname = new URL(endpoint.origin).hostname;
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
      const route = routeOf(new URL(endpoint.origin));
      if (route.kind === 'proxy') {
        const refused = proxyFailure(error, code, route, where, hostname);
        if (refused !== undefined) return { ...refused, error: wrap(refused.message) };
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
        ENOTFOUND: `Cannot resolve ${hostname} (DNS). Check the portal address and your network`,
        EAI_AGAIN: `Cannot resolve ${hostname} right now (DNS lookup failed temporarily). Check your network`,
        ECONNRESET: `The connection to ${where} was reset before a complete answer arrived`,
        UND_ERR_SOCKET: `The connection to ${where} closed before a complete answer arrived`,
        EPIPE: `The connection to ${where} closed while sending the request`,
        ETIMEDOUT: `The connection to ${where} timed out`,
        ENETUNREACH: `The network to ${where} is unreachable. Check your network`,
        EHOSTUNREACH: `${where} is unreachable. Check your network`,
        UND_ERR_RES_CONTENT_LENGTH_MISMATCH: `The answer from ${where} was cut short (fewer bytes arrived than its Content-Length announced)`,
      };
      const message =
        (code === undefined ? undefined : described[code]) ??
        `Network error talking to ${where}: ${code ?? (error instanceof Error ? error.message : String(error))}`;
      return { retry: 'server', reason: code ?? 'network error', error: wrap(`${message}.`) };
    }
  }

  /**
   * A failure of the proxy itself, named by `host:port` only: it refused the connection, answered the
   * CONNECT with an error status (undici: "Proxy response (407) !== 200 when HTTP Tunneling"), or its host
   * does not resolve. `undefined` for failures past the proxy, which read as the portal's.
   */
  function proxyFailure(
    error: unknown,
    code: string | undefined,
    route: Extract<ProxyRoute, { kind: 'proxy' }>,
    where: string,
    hostname: string,
  ): (Omit<Failure, 'error'> & { message: string }) | undefined {
    const proxyName = `the proxy ${route.proxy} (${route.variable})`;
    const bypass = `or add ${hostname} to NO_PROXY if the portal is reachable without it`;
    const text = error instanceof Error ? error.message : '';
    const status = Number(/Proxy response \((\d{3})\)/.exec(text)?.[1] ?? (/Proxy Authentication Required \(407\)/.test(text) ? 407 : NaN));
    if (status === 407) {
      const message = route.credentials
        ? `${sentenceStart(proxyName)} rejected its credentials (HTTP 407 Proxy Authentication Required). Check the user and password in ${route.variable} (http://USER:PASSWORD@${route.proxy}, special characters percent-encoded).`
        : `${sentenceStart(proxyName)} requires credentials (HTTP 407 Proxy Authentication Required). Put them in ${route.variable}: http://USER:PASSWORD@${route.proxy} (special characters percent-encoded).`;
      return { retry: 'never', reason: 'proxy HTTP 407', message };
    }
    if (status === 502 || status === 503 || status === 504) {
      return {
        retry: 'server',
        reason: `proxy HTTP ${status}`,
        message: `${sentenceStart(proxyName)} could not reach ${where} (HTTP ${status} to CONNECT). Check the portal address; if it is right, the proxy or the portal is down: run again later, ${bypass}.`,
      };
    }
    if (Number.isInteger(status)) {
      return {
        retry: 'never',
        reason: `proxy HTTP ${status}`,
        message: `${sentenceStart(proxyName)} refused to connect to ${where} (HTTP ${status} to CONNECT). Ask your network administrator to allow ${hostname} through the proxy, ${bypass}.`,
      };
    }
    // Every connection goes to the proxy: a refused or unresolvable address is the proxy's.
    const proxyHost = route.proxy.replace(/:\d+$/, '');
    const described: Record<string, string> = {
      ECONNREFUSED: `Cannot connect to ${proxyName}: connection refused. Check ${route.variable}, ${bypass}`,
      ENOTFOUND: `Cannot resolve the proxy host ${proxyHost} (DNS), from ${route.variable}. Check ${route.variable} and your network`,
      EAI_AGAIN: `Cannot resolve the proxy host ${proxyHost} right now (DNS lookup failed temporarily), from ${route.variable}. Check your network`,
    };
    const message = code === undefined ? undefined : described[code];
    return message === undefined ? undefined : { retry: 'server', reason: `proxy ${code}`, message: `${message}.` };
  }

  /** One attempt: the request plus any redirects it leads to. */
  async function exchange(method: string, body: string, attemptSignal: AbortSignal, progress: { headers: boolean }): Promise<Outcome> {
    for (let hop = 0; ; hop++) {
      const url = new URL(endpoint.pathOf(method), endpoint.origin);
      routeOf(url);
      progress.headers = false;
      const through = await dispatcher();
      requests++;
      const response = await request(url, {
        dispatcher: through,
        method: 'POST',
        headers,
        body,
        signal: attemptSignal,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      progress.headers = true;
      const status = response.statusCode;
      if (REDIRECT_STATUSES.has(status)) {
        await response.body.dump({ limit: 64 * 1024, signal: attemptSignal }).catch(() => undefined);
        if (hop >= MAX_REDIRECTS) {
          throw new InvalidResponseError(
            `The portal at ${url.host} redirected more than ${MAX_REDIRECTS} times; ${checkAddress(source.kind, names).replace(/^C/, 'c')}.`,
          );
        }
        const next = followRedirect(url, firstHeader(response.headers.location), status, checkAddress(source.kind, names));
        if (next.origin !== url.origin) {
          notice(endpoint.describeMove(url.host, next));
          endpoint.origin = next.origin;
        }
        continue;
      }
      const received = await readBody(response, maxBody, url.host, method);
      return interpret(method, status, response.headers, received);
    }
  }

  function interpret(method: string, status: number, responseHeaders: Dispatcher.ResponseData['headers'], received: Received): Outcome {
    const contentType = firstHeader(responseHeaders['content-type']);
    const details: BodyDetails = { source: source.kind, names, contentEncoding: firstHeader(responseHeaders['content-encoding']), bytes: received.bytes };
    const ok = status >= 200 && status < 300;
    const json = parseAnswer(received.text, client.host, method, details.contentEncoding, checkAddress(source.kind, names));
    const askedWait = retryAfterMs(firstHeader(responseHeaders['retry-after']));
    const wait = askedWait === undefined ? {} : { waitAtLeastMs: askedWait };
    const context = { method, source: source.kind, names };
    if (json === NOT_JSON) {
      if (ok) throw createNonJsonError(status, contentType, received.text, details);
      const type = contentType?.split(';')[0]?.trim() || 'no content type';
      return {
        ok: false,
        retry: status >= 500 ? 'server' : 'never',
        reason: `HTTP ${status} (${type})`,
        error: (attempts, giveUp) => new InvalidResponseError(noted(describeNonJsonAnswer(status, contentType, received.text, details), attempts, giveUp)),
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
          const error = createPortalError(bitrix, status, context);
          return new PortalError(noted(error.message, attempts, giveUp), error.error, error.errorDescription, status);
        },
        ...(waitAtLeastMs > 0 && { waitAtLeastMs }),
      };
    }
    if (ok) {
      if (isRecord(json) && 'result' in json) return { ok: true, json };
      throw new InvalidResponseError(
        `The portal answered HTTP ${status} with JSON that has no "result"; it is not a ${method} response. ${checkAddress(source.kind, names)}.`,
      );
    }
    return {
      ok: false,
      retry: status >= 500 ? 'server' : 'never',
      reason: `HTTP ${status}`,
      error: (attempts, giveUp) =>
        new InvalidResponseError(
          noted(`The portal answered HTTP ${status} with JSON that is not a Bitrix24 REST answer. ${checkAddress(source.kind, names)}.`, attempts, giveUp),
        ),
      ...wait,
    };
  }
}

function sentenceStart(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Where a redirect may lead: the same path, over https (or http on loopback), never with credentials in the URL. */
/** `check`: where to look, as `checkAddress` says it for this client. */
function followRedirect(current: URL, location: string | undefined, status: number, check: string): URL {
  if (location === undefined || location.trim() === '') {
    throw new InvalidResponseError(`The portal at ${current.host} answered HTTP ${status} without a Location; ${check.replace(/^C/, 'c')}.`);
  }
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    throw new InvalidResponseError(`The portal at ${current.host} answered HTTP ${status} with an invalid Location; ${check.replace(/^C/, 'c')}.`);
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
      `The portal at ${current.host} redirected to a different path (${shown}); refused, so the credentials were not re-sent. ${check}.`,
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

interface Received {
  readonly text: string;
  readonly bytes: number;
}

async function readBody(response: Dispatcher.ResponseData, maxBytes: number, host: string, method: string): Promise<Received> {
  const tooLarge = (size: string) =>
    new InvalidResponseError(`The answer from ${host} is absurdly large (${size}, limit ${maxBytes} bytes); it is not a ${method} response.`);
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
  return { text: Buffer.concat(chunks).toString('utf8'), bytes: size };
}

const NOT_JSON = Symbol('not JSON');

function parseAnswer(text: string, host: string, method: string, contentEncoding: string | undefined, check: string): unknown {
  const trimmed = stripBom(text).trim();
  if (trimmed === '') return NOT_JSON;
  if (contentEncoding !== undefined && !/^\s*identity\s*$/i.test(contentEncoding)) return NOT_JSON;
  const crossed = checkJsonBounds(trimmed);
  if (crossed !== undefined) {
    throw new InvalidResponseError(
      `The answer from ${host} holds ${crossed}, which no ${method} response does; it was not read. ${check}.`,
    );
  }
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** A message with how many attempts were made (when more than one) and why retrying stopped early. */
function noted(message: string, attempts: number, giveUp?: string): string {
  const tried = attempts > 1 ? ` Tried ${attempts} times.` : '';
  return `${message}${tried}${giveUp === undefined ? '' : ` ${giveUp}`}`;
}

/** The error code of a Node or undici error, looking through `cause` and AggregateError's `errors`. */
function errorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && code !== '') return code;
  return errorCode(cause, depth + 1) ?? (Array.isArray(errors) ? errorCode(errors[0], depth + 1) : undefined);
}
