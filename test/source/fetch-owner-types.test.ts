import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, InvalidResponseError, NetworkError, PortalError } from '../../src/shared/errors.js';
import {
  fetchOwnerTypes,
  scrubError,
  type FetchOptions,
  type PortalSource,
} from '../../src/source/fetch-owner-types.js';
import {
  seedOwnerTypes,
  startFakePortal,
  type FakePortal,
  type FakePortalOptions,
  type FaultStep,
} from '../support/fake-portal.mjs';

const USER_AGENT = 'gen-ownertypes-test/0.0.0';
const FAST = { baseMs: 5, rateLimitBaseMs: 5, operationLimitMinMs: 20, maxTotalWaitMs: 2_000 };

const portals: FakePortal[] = [];
async function startPortal(options?: FakePortalOptions): Promise<FakePortal> {
  const portal = await startFakePortal(options);
  portals.push(portal);
  return portal;
}
afterEach(async () => {
  await Promise.all(portals.splice(0).map((portal) => portal.close()));
});

function options(overrides: Partial<FetchOptions> = {}): FetchOptions {
  return { timeoutMs: 2_000, retries: 3, userAgent: USER_AGENT, delays: FAST, ...overrides };
}

const webhook = (portal: FakePortal): PortalSource => ({ kind: 'webhook', url: portal.webhookUrl });
const oauth = (portal: FakePortal, token = portal.token): PortalSource => ({ kind: 'oauth', portal: portal.origin, token });

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** Everything an error exposes: message, stack and every property down the cause chain. */
function everythingIn(error: unknown): string {
  const parts: string[] = [inspect(error, { depth: 12, showHidden: true })];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth++) {
    parts.push(current.message, current.stack ?? '', JSON.stringify(Object.entries(current)));
    current = current.cause;
  }
  return parts.join('\n');
}

function expectNoSecrets(error: unknown, portal: FakePortal): void {
  const text = everythingIn(error);
  expect(text).not.toContain(portal.code);
  expect(text).not.toContain(portal.token);
}

describe('fetchOwnerTypes: success', () => {
  it('calls the webhook with POST, a JSON body and the headers a portal expects', async () => {
    const portal = await startPortal();
    const result = await fetchOwnerTypes(webhook(portal), options());
    expect(result.json).toEqual({ result: seedOwnerTypes(), time: expect.any(Object) });
    expect(result.host).toBe(`127.0.0.1:${portal.port}`);
    expect(result.attempts).toBe(1);
    expect(portal.requests).toHaveLength(1);
    const [request] = portal.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: `/rest/1/${portal.code}/crm.enum.ownertype`,
      body: '{}',
    });
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['user-agent']).toBe(USER_AGENT);
  });

  it('accepts a webhook URL copied with a method name at the end', async () => {
    const portal = await startPortal();
    const result = await fetchOwnerTypes({ kind: 'webhook', url: `${portal.webhookUrl}profile.json` }, options());
    expect((result.json as { result: unknown[] }).result).toHaveLength(12);
    expect(portal.requests[0]?.path).toBe(`/rest/1/${portal.code}/crm.enum.ownertype`);
  });

  it('calls OAuth with the token in the JSON body, not the URL', async () => {
    const portal = await startPortal();
    const result = await fetchOwnerTypes(oauth(portal), options());
    expect((result.json as { result: unknown[] }).result).toEqual(seedOwnerTypes());
    expect(portal.requests).toHaveLength(1);
    expect(portal.requests[0]).toMatchObject({
      method: 'POST',
      path: '/rest/crm.enum.ownertype',
      body: JSON.stringify({ auth: portal.token }),
    });
    expect(portal.requests[0]?.headers['content-type']).toBe('application/json');
    expect(portal.requests[0]?.headers['user-agent']).toBe(USER_AGENT);
  });

  it('returns the served list as is, generated SPAs included', async () => {
    const portal = await startPortal({ spas: 70 });
    const result = await fetchOwnerTypes(webhook(portal), options());
    const list = (result.json as { result: { ID: number }[] }).result;
    expect(list).toHaveLength(82);
    expect(list.map((t) => t.ID)).toEqual(portal.ownerTypes.map((t) => t.ID));
  });
});

interface FaultCase {
  name: string;
  portal?: FakePortalOptions;
  steps?: FaultStep[];
  source?: (portal: FakePortal) => PortalSource;
  retries?: number;
  maxBodyBytes?: number;
  error: typeof PortalError | typeof InvalidResponseError | typeof NetworkError;
  fragment: string | ((portal: FakePortal) => string);
  requests: number;
  fields?: Record<string, unknown>;
}

const repeat = (count: number, step: FaultStep): FaultStep[] => Array.from({ length: count }, () => step);

const faultCases: FaultCase[] = [
  {
    name: 'wrong webhook code (live 401, not the documented 403)',
    source: (p) => ({ kind: 'webhook', url: `${p.origin}/rest/1/wrong${p.code}/` }),
    error: PortalError,
    fragment: 'Portal error INVALID_CREDENTIALS (HTTP 401): Invalid request credentials — the portal rejected the webhook code',
    requests: 1,
    fields: { error: 'INVALID_CREDENTIALS', status: 401 },
  },
  {
    name: 'wrong user ID',
    source: (p) => ({ kind: 'webhook', url: `${p.origin}/rest/2/${p.code}/` }),
    error: PortalError,
    fragment: 'Check `source.url` (Developer resources',
    requests: 1,
  },
  {
    name: 'webhook without the crm scope',
    portal: { scopes: ['user'] },
    error: PortalError,
    fragment: 'crm scope',
    requests: 1,
    fields: { error: 'insufficient_scope', status: 401 },
  },
  {
    name: 'unknown OAuth token',
    source: (p) => oauth(p, `${p.token}x`),
    error: PortalError,
    fragment: 'invalid_token (HTTP 401)',
    requests: 1,
  },
  {
    name: 'expired OAuth token',
    portal: { token: 'valid-token-0000000000', expiredTokens: ['expired-token-1111111111'] },
    source: (p) => oauth(p, 'expired-token-1111111111'),
    error: PortalError,
    fragment: 'expired (they live one hour)',
    requests: 1,
    fields: { error: 'expired_token' },
  },
  {
    name: 'user without CRM access ("" + Access denied.)',
    steps: [{ accessDenied: true }],
    error: PortalError,
    fragment: "Portal error with no code (HTTP 400): Access denied — the webhook's user has no access to the CRM",
    requests: 1,
    fields: { error: '', errorDescription: 'Access denied.', status: 400 },
  },
  {
    name: 'error code 0',
    steps: [{ status: 400, body: { error: 0, error_description: 'Access denied.' } }],
    error: PortalError,
    fragment: 'no access to the CRM',
    requests: 1,
    fields: { error: '' },
  },
  {
    name: 'OVERLOAD_LIMIT is a manual block: not retried although 503',
    steps: [{ error: 'OVERLOAD_LIMIT' }, { error: 'OVERLOAD_LIMIT' }],
    error: PortalError,
    fragment: 'Contact Bitrix24 support',
    requests: 1,
    fields: { status: 503 },
  },
  {
    name: 'ACCESS_DENIED (plan)',
    steps: [{ error: 'ACCESS_DENIED' }],
    error: PortalError,
    fragment: 'commercial',
    requests: 1,
  },
  {
    name: 'PORTAL_DELETED with the live 403',
    steps: [{ error: 'PORTAL_DELETED' }],
    error: PortalError,
    fragment: 'PORTAL_DELETED (HTTP 403)',
    requests: 1,
  },
  {
    name: 'ERROR_METHOD_NOT_FOUND',
    steps: [{ error: 'ERROR_METHOD_NOT_FOUND' }],
    error: PortalError,
    fragment: 'does not know crm.enum.ownertype',
    requests: 1,
  },
  {
    name: 'INVALID_CREDENTIALS sent with a 500 is still an auth error',
    steps: [{ error: 'INVALID_CREDENTIALS', status: 500 }, { error: 'INVALID_CREDENTIALS', status: 500 }],
    error: PortalError,
    fragment: 'INVALID_CREDENTIALS (HTTP 500)',
    requests: 1,
  },
  {
    name: 'rate limit that never clears: retries, then gives up',
    steps: repeat(4, { error: 'QUERY_LIMIT_EXCEEDED' }),
    error: PortalError,
    fragment: 'QUERY_LIMIT_EXCEEDED (HTTP 503): Too many requests — too many requests',
    requests: 4,
  },
  {
    name: 'INTERNAL_SERVER_ERROR with retries 2',
    steps: repeat(3, { error: 'INTERNAL_SERVER_ERROR' }),
    retries: 2,
    error: PortalError,
    fragment: 'Tried 3 times.',
    requests: 3,
  },
  {
    name: 'unknown code with a 5xx is retried',
    steps: repeat(2, { error: 'SOMETHING_NEW', status: 502, description: 'Новая ошибка' }),
    retries: 1,
    error: PortalError,
    fragment: 'Portal error SOMETHING_NEW (HTTP 502): Новая ошибка.',
    requests: 2,
  },
  {
    name: 'HTML gateway pages',
    steps: repeat(4, { html: 502 }),
    error: InvalidResponseError,
    fragment: 'HTTP 502 with text/html ("502 Bad Gateway") instead of JSON',
    requests: 4,
  },
  {
    name: 'a 200 HTML login page is not retried',
    steps: [{ status: 200, body: '<html><head><title>Authorization</title></head></html>', contentType: 'text/html' }],
    error: InvalidResponseError,
    fragment: 'HTTP 200 with text/html ("Authorization")',
    requests: 1,
  },
  {
    name: 'a 200 with an empty body',
    steps: [{ status: 200, body: '', contentType: 'application/json' }],
    error: InvalidResponseError,
    fragment: 'an empty body (application/json)',
    requests: 1,
  },
  {
    name: 'truncated JSON',
    steps: [{ status: 200, body: '{"result":[{"ID":1', contentType: 'application/json' }],
    error: InvalidResponseError,
    fragment: 'HTTP 200 with application/json ("{"result":[{"ID":1") instead of JSON',
    requests: 1,
  },
  {
    name: 'JSON without result',
    steps: [{ status: 200, body: { data: [] } }],
    error: InvalidResponseError,
    fragment: 'no "result"',
    requests: 1,
  },
  {
    name: 'a 404 page that is not Bitrix',
    steps: [{ status: 404, body: '<html><title>Not Found</title></html>', contentType: 'text/html' }],
    error: InvalidResponseError,
    fragment: 'nothing answers at that address',
    requests: 1,
  },
  {
    name: '500 with JSON that is not a Bitrix answer',
    steps: repeat(2, { status: 500, body: { message: 'boom' } }),
    retries: 1,
    error: InvalidResponseError,
    fragment: 'HTTP 500 with JSON that is not a Bitrix24 REST answer',
    requests: 2,
  },
  {
    name: 'connection reset every time',
    steps: repeat(3, { reset: true }),
    retries: 2,
    error: NetworkError,
    fragment: (p) => `The connection to 127.0.0.1:${p.port}`,
    requests: 3,
  },
  {
    name: 'an unknown code with a 4xx is not retried',
    steps: [{ error: 'WEIRD', description: 'Something odd' }, { error: 'WEIRD' }],
    error: PortalError,
    fragment: 'Portal error WEIRD (HTTP 400)',
    requests: 1,
  },
  {
    name: 'an absurdly large body',
    portal: { spas: 40 },
    maxBodyBytes: 1_000,
    error: InvalidResponseError,
    fragment: 'absurdly large',
    requests: 1,
  },
];

describe('fetchOwnerTypes: faults', () => {
  it.each(faultCases)('$name', async (fault) => {
    const portal = await startPortal(fault.portal);
    portal.enqueue(...(fault.steps ?? []));
    const retries: number[] = [];
    const error = await rejectionOf(
      fetchOwnerTypes(
        (fault.source ?? webhook)(portal),
        options({
          retries: fault.retries ?? 3,
          onRetry: ({ attempt }) => retries.push(attempt),
          ...(fault.maxBodyBytes !== undefined && { maxBodyBytes: fault.maxBodyBytes }),
        }),
      ),
    );
    expect(error).toBeInstanceOf(fault.error);
    expect(error.message).toContain(typeof fault.fragment === 'function' ? fault.fragment(portal) : fault.fragment);
    expect(portal.requests).toHaveLength(fault.requests);
    expect(retries).toHaveLength(fault.requests - 1);
    if (fault.fields !== undefined) expect(error).toMatchObject(fault.fields);
    expectNoSecrets(error, portal);
  });

  it('refuses a declared body over the limit without reading it', async () => {
    const portal = await startPortal();
    portal.enqueue({ status: 200, body: '{"result":[', contentType: 'application/json', headers: { 'content-length': '5000' } });
    const started = Date.now();
    const error = await rejectionOf(fetchOwnerTypes(webhook(portal), options({ maxBodyBytes: 1_000 })));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain('absurdly large (5000 bytes declared, limit 1000 bytes)');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(portal.requests).toHaveLength(1);
  });

  it('masks the webhook code when the portal echoes it back', async () => {
    const portal = await startPortal();
    const path = `/rest/1/${portal.code}/crm.enum.ownertype`;
    portal.enqueue({ error: 'WEIRD', description: `Bad request ${path} (${encodeURIComponent(portal.code)})` });
    const error = await rejectionOf(fetchOwnerTypes(webhook(portal), options()));
    expect(error).toBeInstanceOf(PortalError);
    expect(error.message).toContain('Bad request /rest/1/***/crm.enum.ownertype (***)');
    expect((error as PortalError).errorDescription).toContain('/rest/1/***/');
    expectNoSecrets(error, portal);
  });

  it('masks the token when the portal echoes it back', async () => {
    const portal = await startPortal();
    portal.enqueue({ status: 502, body: `<html><title>bad token ${portal.token}</title></html>`, contentType: 'text/html' });
    const error = await rejectionOf(fetchOwnerTypes(oauth(portal), options({ retries: 0 })));
    expect(error.message).toContain('bad token ***');
    expectNoSecrets(error, portal);
  });

  it('keeps the network error as a scrubbed cause', async () => {
    const portal = await startPortal();
    const url = portal.webhookUrl;
    await portal.close();
    const error = await rejectionOf(fetchOwnerTypes({ kind: 'webhook', url }, options({ retries: 1 })));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toContain(`Cannot connect to 127.0.0.1:${portal.port}: connection refused`);
    expect(error.message).toContain('Tried 2 times.');
    expect(error.cause).toBeInstanceOf(Error);
    expectNoSecrets(error, portal);
  });

  it('refuses plain http to a non-loopback host before sending anything', async () => {
    const error = await rejectionOf(
      fetchOwnerTypes({ kind: 'webhook', url: 'http://x.bitrix24.com/rest/1/secretcode123/' }, options()),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('refused before anything is sent');
    expect(everythingIn(error)).not.toContain('secretcode123');
  });

  it('refuses an empty token', async () => {
    const error = await rejectionOf(fetchOwnerTypes({ kind: 'oauth', portal: 'https://x.bitrix24.com', token: ' ' }, options()));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ option: 'token', exitCode: 2 });
    expect(error.message).toContain('`token`');
  });
});

describe('fetchOwnerTypes: retries that succeed', () => {
  it.each<[string, FaultStep[]]>([
    ['rate limit', [{ error: 'QUERY_LIMIT_EXCEEDED' }, { error: 'QUERY_LIMIT_EXCEEDED' }]],
    ['5xx', [{ error: 'INTERNAL_SERVER_ERROR' }, { error: 'ERROR_UNEXPECTED_ANSWER' }]],
    ['gateway pages', [{ html: 502 }, { html: 504 }]],
    ['connection resets', [{ reset: true }, { reset: true }]],
    ['a slow answer then a reset', [{ delayMs: 20, reset: true }, { html: 503 }]],
  ])('after %s', async (_name, steps) => {
    const portal = await startPortal();
    portal.enqueue(...steps);
    const seen: { attempt: number; delayMs: number; reason: string }[] = [];
    const result = await fetchOwnerTypes(webhook(portal), options({ onRetry: (info) => seen.push(info) }));
    expect(result.attempts).toBe(3);
    expect((result.json as { result: unknown[] }).result).toHaveLength(12);
    expect(portal.requests).toHaveLength(3);
    expect(seen.map((s) => s.attempt)).toEqual([1, 2]);
    for (const info of seen) expect(info.reason).not.toContain(portal.code);
  });

  it('waits longer after each rate-limit answer (×1.5 with jitter)', async () => {
    const portal = await startPortal();
    portal.enqueue(...repeat(3, { error: 'QUERY_LIMIT_EXCEEDED' }));
    const delays: number[] = [];
    await fetchOwnerTypes(
      webhook(portal),
      options({ delays: { ...FAST, rateLimitBaseMs: 40 }, onRetry: ({ delayMs }) => delays.push(delayMs) }),
    );
    expect(delays).toHaveLength(3);
    expect(delays[0]).toBeGreaterThanOrEqual(40);
    expect(delays[0]).toBeLessThanOrEqual(48);
    expect(delays[1]).toBeGreaterThanOrEqual(60);
    expect(delays[2]).toBeGreaterThanOrEqual(90);
    const gap = (portal.requests[1]?.time ?? 0) - (portal.requests[0]?.time ?? 0);
    expect(gap).toBeGreaterThanOrEqual(35);
  });

  it('gets through a leaky-bucket rate limit', async () => {
    const portal = await startPortal({ rateLimit: { capacity: 1, drainPerSecond: 10 } });
    await fetchOwnerTypes(webhook(portal), options());
    const result = await fetchOwnerTypes(webhook(portal), options({ delays: { ...FAST, rateLimitBaseMs: 40 }, retries: 5 }));
    expect(result.attempts).toBeGreaterThan(1);
    expect(portal.requests.length).toBe(1 + result.attempts);
  });

  it('waits for OPERATION_TIME_LIMIT, no sooner than the minimum', async () => {
    const portal = await startPortal();
    portal.enqueue({ error: 'OPERATION_TIME_LIMIT' });
    const delays: number[] = [];
    const result = await fetchOwnerTypes(
      webhook(portal),
      options({ delays: { ...FAST, operationLimitMinMs: 60 }, onRetry: ({ delayMs }) => delays.push(delayMs) }),
    );
    expect(result.attempts).toBe(2);
    expect(delays).toEqual([60]);
  });

  it('waits until operating_reset_at when the portal gives it', async () => {
    const portal = await startPortal();
    const resetAt = Math.floor(Date.now() / 1000) + 1;
    portal.enqueue({ error: 'OPERATION_TIME_LIMIT', extra: { time: { operating_reset_at: resetAt } } });
    const delays: number[] = [];
    await fetchOwnerTypes(webhook(portal), options({ onRetry: ({ delayMs }) => delays.push(delayMs) }));
    expect(delays[0]).toBeGreaterThan(20);
    expect(Date.now()).toBeGreaterThanOrEqual(resetAt * 1000);
  });
});

describe('fetchOwnerTypes: deadlines and timeouts', () => {
  it('gives up at once when the OPERATION_TIME_LIMIT wait would pass the deadline', async () => {
    const portal = await startPortal();
    portal.enqueue({ error: 'OPERATION_TIME_LIMIT' }, { error: 'OPERATION_TIME_LIMIT' });
    const started = Date.now();
    const error = await rejectionOf(
      fetchOwnerTypes(webhook(portal), options({ timeoutMs: 200, delays: { ...FAST, operationLimitMinMs: 10_000, maxTotalWaitMs: 500 } })),
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(PortalError);
    expect(error.message).toContain('OPERATION_TIME_LIMIT (HTTP 429)');
    expect(error.message).toContain('Gave up at once: the next try would be in 10 s, past the overall limit of 1300 ms');
    expect(portal.requests).toHaveLength(1);
  });

  it('gives up at once when operating_reset_at is past the deadline', async () => {
    const portal = await startPortal();
    portal.enqueue({ error: 'OPERATION_TIME_LIMIT', extra: { time: { operating_reset_at: Math.floor(Date.now() / 1000) + 600 } } });
    const error = await rejectionOf(fetchOwnerTypes(webhook(portal), options()));
    expect(error.message).toMatch(/the next try would be in (599|600|601) s/);
    expect(portal.requests).toHaveLength(1);
  });

  it('times out a portal that never answers, attempt by attempt', async () => {
    const portal = await startPortal();
    portal.enqueue({ hang: true }, { hang: true });
    const started = Date.now();
    const error = await rejectionOf(fetchOwnerTypes(webhook(portal), options({ timeoutMs: 200, retries: 1 })));
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toContain(`No answer from 127.0.0.1:${portal.port} within 200 ms (2 attempts); try --timeout 30000`);
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(2_000);
    expect(portal.requests).toHaveLength(2);
    expectNoSecrets(error, portal);
  });

  it('times out a body that stalls after the headers', async () => {
    const portal = await startPortal();
    portal.enqueue({ stallBody: true });
    const started = Date.now();
    const error = await rejectionOf(fetchOwnerTypes(webhook(portal), options({ timeoutMs: 200, retries: 0 })));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toContain(`No complete answer from 127.0.0.1:${portal.port} within 200 ms (1 attempt)`);
    expect(Date.now() - started).toBeLessThan(1_500);
    expectNoSecrets(error, portal);
  });

  it('times out a body that trickles on for longer than the attempt timeout', async () => {
    const portal = await startPortal();
    portal.enqueue({ trickleMs: 20 }, { ok: true });
    const started = Date.now();
    const retries: string[] = [];
    const result = await fetchOwnerTypes(webhook(portal), options({ timeoutMs: 200, retries: 1, onRetry: ({ reason }) => retries.push(reason) }));
    expect(result.attempts).toBe(2);
    expect(retries).toEqual(['no complete answer within 200 ms']);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('stops at the abort signal, even while waiting between attempts', async () => {
    const portal = await startPortal();
    portal.enqueue({ error: 'QUERY_LIMIT_EXCEEDED' });
    const controller = new AbortController();
    const reason = new Error('stop now');
    const started = Date.now();
    const promise = fetchOwnerTypes(
      webhook(portal),
      options({ signal: controller.signal, delays: { ...FAST, rateLimitBaseMs: 10_000, maxTotalWaitMs: 60_000 } }),
    );
    setTimeout(() => controller.abort(reason), 100);
    expect(await rejectionOf(promise)).toBe(reason);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(portal.requests).toHaveLength(1);
  });

  it('stops at the abort signal during a hanging request', async () => {
    const portal = await startPortal();
    portal.enqueue({ hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await rejectionOf(fetchOwnerTypes(webhook(portal), options({ signal: controller.signal, timeoutMs: 10_000 })));
    expect(error.name).toBe('AbortError');
    expect(portal.requests).toHaveLength(1);
  });

  it('does not start when the signal is already aborted', async () => {
    const portal = await startPortal();
    const error = await rejectionOf(fetchOwnerTypes(webhook(portal), options({ signal: AbortSignal.abort() })));
    expect(error.name).toBe('AbortError');
    expect(portal.requests).toHaveLength(0);
  });
});

describe('fetchOwnerTypes: redirects', () => {
  it('follows a renamed portal to loopback, re-POSTs and says where to update', async () => {
    const moved = await startPortal();
    const old = await startPortal({ code: moved.code });
    old.enqueue({ redirect: `${moved.origin}/rest/1/${moved.code}/crm.enum.ownertype`, status: 301 });
    const notices: string[] = [];
    const result = await fetchOwnerTypes(webhook(old), options({ onNotice: (message) => notices.push(message) }));
    expect(result.host).toBe(`127.0.0.1:${moved.port}`);
    expect(result.attempts).toBe(1);
    expect(old.requests).toHaveLength(1);
    expect(moved.requests).toHaveLength(1);
    expect(moved.requests[0]).toMatchObject({ method: 'POST', body: '{}' });
    expect(notices).toEqual([
      `the portal moved: 127.0.0.1:${old.port} redirects to 127.0.0.1:${moved.port}. Update \`source.url\` to ${moved.origin}/rest/1/***/`,
    ]);
  });

  it('re-sends the OAuth token in the body after a 308', async () => {
    const moved = await startPortal();
    const old = await startPortal({ token: moved.token });
    old.enqueue({ redirect: `${moved.origin}/rest/crm.enum.ownertype`, status: 308 });
    const notices: string[] = [];
    await fetchOwnerTypes(oauth(old), options({ onNotice: (message) => notices.push(message) }));
    expect(moved.requests[0]).toMatchObject({ method: 'POST', body: JSON.stringify({ auth: moved.token }) });
    expect(notices[0]).toContain(`Update \`source.portal\` to ${moved.origin}`);
    expect(notices[0]).not.toContain(moved.token);
  });

  it('follows a same-origin redirect without a notice', async () => {
    const portal = await startPortal();
    portal.enqueue({ redirect: `/rest/1/${portal.code}/crm.enum.ownertype`, status: 307 });
    const notices: string[] = [];
    await fetchOwnerTypes(webhook(portal), options({ onNotice: (message) => notices.push(message) }));
    expect(portal.requests).toHaveLength(2);
    expect(notices).toEqual([]);
  });

  it.each<[string, (p: FakePortal) => string, string]>([
    ['plain http to a non-loopback host', (p) => `http://x.bitrix24.com/rest/1/${p.code}/crm.enum.ownertype`, 'http://x.bitrix24.com/rest/1/***/crm.enum.ownertype, which is not https'],
    ['another path', (p) => `${p.origin}/steal/${p.code}`, 'redirected to a different path'],
    ['another method', (p) => `${p.origin}/rest/1/${p.code}/user.get`, 'redirected to a different path'],
    ['credentials in the Location', (p) => `http://u:pw@127.0.0.1:${p.port}/rest/1/${p.code}/crm.enum.ownertype`, 'different path'],
  ])('refuses a redirect to %s', async (_name, location, fragment) => {
    const portal = await startPortal();
    portal.enqueue({ redirect: location(portal) });
    const error = await rejectionOf(fetchOwnerTypes(webhook(portal), options()));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain(fragment);
    expect(portal.requests).toHaveLength(1);
    expectNoSecrets(error, portal);
  });

  it('stops after three redirects', async () => {
    const portal = await startPortal();
    portal.enqueue(...repeat(4, { redirect: `/rest/1/${portal.code}/crm.enum.ownertype` }));
    const error = await rejectionOf(fetchOwnerTypes(webhook(portal), options()));
    expect(error.message).toContain('redirected more than 3 times');
    expect(portal.requests).toHaveLength(4);
  });

  it('refuses a redirect without a Location', async () => {
    const portal = await startPortal();
    portal.enqueue({ status: 302, body: '' });
    const error = await rejectionOf(fetchOwnerTypes(webhook(portal), options()));
    expect(error.message).toContain('HTTP 302 without a Location');
  });
});

describe('scrubError', () => {
  it('masks secrets through the cause chain, AggregateError members and string properties', () => {
    const secret = 's3cr3tc0de';
    const inner = Object.assign(new Error(`connect failed for /rest/1/${secret}/x`), { url: `https://h/rest/1/${secret}/`, info: { path: secret } });
    const aggregate = new AggregateError([new Error(`a ${encodeURIComponent(secret)}`)], `many ${secret}`);
    const outer = new NetworkError('outer', { cause: Object.assign(inner, { cause: aggregate }) });
    scrubError(outer, [secret]);
    expect(everythingIn(outer)).not.toContain(secret);
    expect(inner.message).toBe('connect failed for /rest/1/***/x');
  });
});

describe('the fake portal answers like a portal', () => {
  const post = (url: string, body: string, type = 'application/json') =>
    fetch(url, { method: 'POST', body, headers: { 'content-type': type } });

  it.each<[string, (p: FakePortal) => Promise<Response>, number, string | undefined]>([
    ['OAuth with auth in the query (GET)', (p) => fetch(`${p.origin}/rest/crm.enum.ownertype.json?auth=${p.token}`), 200, undefined],
    ['OAuth with auth in a form body', (p) => post(`${p.origin}/rest/crm.enum.ownertype`, `auth=${p.token}`, 'application/x-www-form-urlencoded'), 200, undefined],
    ['OAuth without auth', (p) => post(`${p.origin}/rest/crm.enum.ownertype`, '{}'), 401, 'NO_AUTH_FOUND'],
    ['webhook with .json', (p) => post(`${p.webhookUrl}crm.enum.ownertype.json`, '{}'), 200, undefined],
    ['webhook, unknown method', (p) => post(`${p.webhookUrl}crm.lead.list`, '{}'), 404, 'ERROR_METHOD_NOT_FOUND'],
    ['webhook, wrong code', (p) => post(`${p.origin}/rest/1/nope/crm.enum.ownertype`, '{}'), 401, 'INVALID_CREDENTIALS'],
    ['a QUERY_LIMIT_EXCEEDED step', (p) => (p.enqueue({ error: 'QUERY_LIMIT_EXCEEDED' }), post(`${p.webhookUrl}crm.enum.ownertype`, '{}')), 503, 'QUERY_LIMIT_EXCEEDED'],
    ['an OPERATION_TIME_LIMIT step', (p) => (p.enqueue({ error: 'OPERATION_TIME_LIMIT' }), post(`${p.webhookUrl}crm.enum.ownertype`, '{}')), 429, 'OPERATION_TIME_LIMIT'],
  ])('%s', async (_name, call, status, error) => {
    const portal = await startPortal();
    const response = await call(portal);
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error?: string; result?: unknown; time?: Record<string, unknown> };
    if (error === undefined) {
      expect(body.result).toEqual(seedOwnerTypes());
      expect(Object.keys(body.time ?? {})).toEqual([
        'start', 'finish', 'duration', 'processing', 'date_start', 'date_finish', 'operating_reset_at', 'operating',
      ]);
    } else {
      expect(body.error).toBe(error);
    }
  });

  it('generates SPAs with realistic ids, short codes and mixed, duplicated titles', async () => {
    const portal = await startPortal({ spas: 70 });
    const spas = portal.ownerTypes.slice(12);
    const ids = spas.map((t) => Number(t.ID)).sort((a, b) => a - b);
    expect(ids).toHaveLength(70);
    expect(new Set(ids).size).toBe(70);
    expect(ids.filter((id) => id >= 128 && id <= 191)).toHaveLength(62);
    expect(ids.slice(62)).toEqual([1030, 1032, 1034, 1036, 1038, 1040, 1042, 1044]);
    for (const spa of spas) {
      expect(spa.SYMBOL_CODE).toBe(`DYNAMIC_${spa.ID}`);
      expect(spa.SYMBOL_CODE_SHORT).toBe(`T${Number(spa.ID).toString(16)}`);
    }
    const names = spas.map((t) => t.NAME);
    expect(names.some((n) => /[а-я]/i.test(n))).toBe(true);
    expect(names.some((n) => /[äöüß]/.test(n))).toBe(true);
    expect(new Set(names).size).toBeLessThan(names.length);
    expect(spas.map((t) => Number(t.ID))).not.toEqual(ids);
  });

  it('close() ends a hanging request', async () => {
    const portal = await startFakePortal();
    portal.enqueue({ hang: true });
    const pending = post(`${portal.webhookUrl}crm.enum.ownertype`, '{}').then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await portal.close();
    expect(await pending).toBe('failed');
  });
});
