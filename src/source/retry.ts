import { ConfigError } from '../shared/errors.js';
import type { RetryClass } from './portal-errors.js';

/** Waits between attempts. Defaults follow the Bitrix24 limits; tests pass small values. */
export interface RetryDelays {
  /** First wait after a 5xx, a gateway page or a network fault; doubles each retry. Default 1000. */
  baseMs?: number;
  /** First wait after QUERY_LIMIT_EXCEEDED; ×1.5 each retry. Default 1000 (the bucket drains 2 requests/s). */
  rateLimitBaseMs?: number;
  /** Shortest wait after OPERATION_TIME_LIMIT, unless the portal's `operating_reset_at` says later. Default 10000. */
  operationLimitMinMs?: number;
  /** Time that may be spent waiting between attempts, on top of `timeoutMs` per attempt. Default 60000. */
  maxTotalWaitMs?: number;
}

const DEFAULT_DELAYS: Readonly<Required<RetryDelays>> = {
  baseMs: 1_000,
  rateLimitBaseMs: 1_000,
  operationLimitMinMs: 10_000,
  maxTotalWaitMs: 60_000,
};

/** What the retry policy needs from the caller's options. */
export interface RetryOptions {
  readonly timeoutMs: number;
  readonly retries: number;
  readonly delays?: RetryDelays | undefined;
}

/** Validates the timeout, the retries and the delays; fills in the default delays. */
export function resolveRetryPolicy(options: RetryOptions): Required<RetryDelays> {
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new ConfigError(`\`timeout\` must be a positive number of milliseconds, not ${String(options.timeoutMs)}.`, { option: 'timeout' });
  }
  if (!Number.isInteger(options.retries) || options.retries < 0) {
    throw new ConfigError(`\`retries\` must be a whole number ≥ 0, not ${String(options.retries)}.`, { option: 'retries' });
  }
  const delays = { ...DEFAULT_DELAYS };
  for (const key of Object.keys(delays) as (keyof RetryDelays)[]) {
    const value = options.delays?.[key];
    if (value !== undefined) {
      if (!Number.isFinite(value) || value < 0) throw new ConfigError(`delays.${key} must be a number ≥ 0.`);
      delays[key] = value;
    }
  }
  return delays;
}

/** The overall limit of one call: every attempt's timeout plus the time allowed for waiting between them. */
export function overallLimitMs(options: RetryOptions, delays: Required<RetryDelays>): number {
  return options.timeoutMs * (options.retries + 1) + delays.maxTotalWaitMs;
}

function jitter(ms: number): number {
  return ms * (1 + Math.random() * 0.2);
}

/**
 * The wait before attempt `attempt + 1`: ×1.5 per rate-limit answer (as the official SDK), at least the
 * minimum for an exhausted time budget, doubling for server and network faults; never shorter than what
 * the portal asked for.
 */
export function delayFor(retry: RetryClass, attempt: number, delays: Required<RetryDelays>, waitAtLeastMs = 0): number {
  const step = attempt - 1;
  let delay: number;
  switch (retry) {
    case 'rate-limit':
      delay = jitter(delays.rateLimitBaseMs * 1.5 ** step);
      break;
    case 'operation-limit':
      delay = delays.operationLimitMinMs;
      break;
    default:
      delay = jitter(delays.baseMs * 2 ** step);
  }
  return Math.max(delay, waitAtLeastMs);
}

/** A wait as a person reads it: `10 s`, `250 ms`. */
export function describeWait(ms: number): string {
  return ms >= 1_000 ? `${Math.ceil(ms / 1_000)} s` : `${Math.round(ms)} ms`;
}

/** `Retry-After` in seconds or as an HTTP date; not documented for Bitrix24, but gateways send it. */
export function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1_000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** `time.operating_reset_at` (Unix seconds): when the method's time budget resets. */
export function operatingResetMs(json: unknown): number | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const time = (json as { time?: unknown }).time;
  if (typeof time !== 'object' || time === null) return undefined;
  const at = (time as { operating_reset_at?: unknown }).operating_reset_at;
  return typeof at === 'number' && Number.isFinite(at) ? Math.max(0, at * 1_000 - Date.now()) : undefined;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
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
