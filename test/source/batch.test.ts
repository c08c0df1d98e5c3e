import { afterEach, describe, expect, it } from 'vitest';
import { InvalidResponseError, PortalError } from '../../src/shared/errors.js';
import { MAX_BATCH_COMMANDS, buildQuery, commandString, runBatch, type BatchCommand } from '../../src/source/batch.js';
import { createClient, type ClientOptions, type RestClient } from '../../src/source/client.js';
import { startFakePortal, type FakePortal, type FaultStep } from '../support/fake-portal.mjs';

const FAST = { baseMs: 5, rateLimitBaseMs: 5, operationLimitMinMs: 20, maxTotalWaitMs: 2_000 };
const portals: FakePortal[] = [];
const clients: RestClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(portals.splice(0).map((portal) => portal.close()));
});

async function setUp(steps: FaultStep[], overrides: Partial<ClientOptions> = {}, kind: 'webhook' | 'oauth' = 'webhook') {
  const portal = await startFakePortal({ faults: steps });
  portals.push(portal);
  const client = createClient(
    kind === 'webhook' ? { kind, url: portal.webhookUrl } : { kind, portal: portal.origin, token: portal.token },
    { timeoutMs: 2_000, retries: 2, userAgent: 'test', delays: FAST, ...overrides },
  );
  clients.push(client);
  return { portal, client };
}

type Members = Partial<Record<'result' | 'result_error' | 'result_total' | 'result_next', Record<string, unknown> | unknown[]>>;
/** A batch answer as the portal builds it: every member a PHP array, so `[]` when empty. */
function answer(members: Members): FaultStep {
  const empty = (value: Record<string, unknown> | unknown[] | undefined) =>
    value === undefined || (!Array.isArray(value) && Object.keys(value).length === 0) ? [] : value;
  return {
    status: 200,
    body: {
      result: {
        result: empty(members.result),
        result_error: empty(members.result_error),
        result_total: empty(members.result_total),
        result_next: empty(members.result_next),
        result_time: [],
      },
      time: { start: 1, finish: 2 },
    },
  };
}

function sentCommands(portal: FakePortal, index: number): Record<string, string> {
  const body = JSON.parse(portal.requests[index]?.body ?? '{}') as { halt?: unknown; cmd?: Record<string, string> };
  expect(body.halt).toBe(0);
  return body.cmd ?? {};
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('query strings in PHP bracket syntax', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['an exact filter', { filter: { ENTITY_ID: 'DEAL_STAGE_3' } }, 'filter[ENTITY_ID]=DEAL_STAGE_3'],
    ['order and start', { order: { entityTypeId: 'ASC' }, start: 50 }, 'order[entityTypeId]=ASC&start=50'],
    ['a list', { select: ['ID', 'NAME'] }, 'select[0]=ID&select[1]=NAME'],
    ['nesting', { filter: { '@ID': [1, 2] } }, 'filter[%40ID][0]=1&filter[%40ID][1]=2'],
    ['characters that would cut or change the query', { filter: { NAME: 'a#b&c+d%e=f g' } }, 'filter[NAME]=a%23b%26c%2Bd%25e%3Df%20g'],
    ['brackets in a key', { 'a[b]': 'x' }, 'a%5Bb%5D=x'],
    ['Unicode', { filter: { NAME: 'Сделки' } }, `filter[NAME]=${encodeURIComponent('Сделки')}`],
  ])('%s', (_name, params, expected) => {
    const query = buildQuery(params as never);
    expect(query).toBe(expected);
    // What PHP's parse_str would read back, for the flat cases: the value survives intact.
    if (_name === 'characters that would cut or change the query') {
      expect(new URLSearchParams(query.replace(/%20/g, '+')).get('filter[NAME]')).toBe('a#b&c+d%e=f g');
    }
  });

  it('a command is method?query, or the bare method', () => {
    expect(commandString({ method: 'crm.category.list', params: { entityTypeId: 177 } })).toBe('crm.category.list?entityTypeId=177');
    expect(commandString({ method: 'crm.enum.ownertype' })).toBe('crm.enum.ownertype');
    expect(() => commandString({ method: 'crm.x?y=1' })).toThrow(/method name/);
  });
});

describe('runBatch', () => {
  it('sends named commands in one POST and reads each result with its total and next', async () => {
    const { portal, client } = await setUp([
      answer({
        result: { ownerTypes: [{ ID: 1 }], spaTypes: { types: [] }, statuses: [] },
        result_total: { spaTypes: '120', statuses: 0 },
        result_next: { spaTypes: 50 },
      }),
    ]);
    const done = await runBatch(client, {
      ownerTypes: { method: 'crm.enum.ownertype' },
      spaTypes: { method: 'crm.type.list', params: { start: 0 } },
      statuses: { method: 'crm.status.list', params: { filter: { ENTITY_ID: 'DEAL_STAGE_3' } } },
    });
    expect(done).toEqual({
      requests: 1,
      batches: 1,
      results: {
        ownerTypes: { ok: true, result: [{ ID: 1 }] },
        spaTypes: { ok: true, result: { types: [] }, total: 120, next: 50 },
        statuses: { ok: true, result: [], total: 0 },
      },
    });
    expect(portal.requests[0]).toMatchObject({ method: 'POST', path: `/rest/1/${portal.code}/batch` });
    expect(sentCommands(portal, 0)).toEqual({
      ownerTypes: 'crm.enum.ownertype',
      spaTypes: 'crm.type.list?start=0',
      statuses: 'crm.status.list?filter[ENTITY_ID]=DEAL_STAGE_3',
    });
  });

  it('sends the token in the body for OAuth', async () => {
    const { portal, client } = await setUp([answer({ result: { a: 1 } })], {}, 'oauth');
    await runBatch(client, { a: { method: 'crm.enum.ownertype' } });
    expect(portal.requests[0]?.path).toBe('/rest/batch');
    expect(JSON.parse(portal.requests[0]?.body ?? '{}')).toEqual({ halt: 0, cmd: { a: 'crm.enum.ownertype' }, auth: portal.token });
  });

  it('refuses numeric keys, which would turn the answer into arrays', async () => {
    const { client } = await setUp([]);
    await expect(runBatch(client, { 0: { method: 'crm.enum.ownertype' } })).rejects.toThrow(/names/);
  });

  it(`splits more than ${MAX_BATCH_COMMANDS} commands into several requests`, async () => {
    const keys = Array.from({ length: 123 }, (_, i) => `c${i}`);
    const chunks = [keys.slice(0, 50), keys.slice(50, 100), keys.slice(100)];
    const { portal, client } = await setUp(chunks.map((chunk) => answer({ result: Object.fromEntries(chunk.map((k) => [k, k])) })));
    const commands = Object.fromEntries(keys.map((k) => [k, { method: 'crm.category.list', params: { entityTypeId: k.slice(1) } }]));
    const done = await runBatch(client, commands);
    expect(done.requests).toBe(3);
    expect(done.batches).toBe(3);
    expect(chunks.map((_, i) => Object.keys(sentCommands(portal, i)))).toEqual(chunks);
    for (const key of keys) expect(done.results[key]).toEqual({ ok: true, result: key });
  });

  it('reads members that are [], objects or arrays', async () => {
    const { client } = await setUp([
      { status: 200, body: { result: { result: { a: null }, result_error: [], result_total: [], result_next: [] } } },
      { status: 200, body: { result: [] } },
    ]);
    expect((await runBatch(client, { a: { method: 'crm.enum.ownertype' } })).results).toEqual({ a: { ok: true, result: null } });
    expect((await runBatch(client, { b: { method: 'crm.enum.ownertype' } })).results.b).toMatchObject({ ok: false, error: '' });
  });

  it('keeps per-command errors for the caller: a denied method, code 0, a bare string', async () => {
    const { client } = await setUp([
      answer({
        result: { ok: [1] },
        result_error: {
          denied: { error: 'ACCESS_DENIED', error_description: 'Access denied' },
          zero: { error: 0, error_description: 'SPA not found' },
          proxy: { error: '', error_description: 'Access denied.' },
          bare: 'ERROR_METHOD_NOT_FOUND',
        },
      }),
    ]);
    const done = await runBatch(client, {
      ok: { method: 'crm.enum.ownertype' },
      denied: { method: 'crm.type.list' },
      zero: { method: 'crm.type.getByEntityTypeId', params: { entityTypeId: 1 } },
      proxy: { method: 'crm.status.list' },
      bare: { method: 'crm.type.getByEntityTypeId', params: { entityTypeId: 2 } },
    });
    expect(done.results).toEqual({
      ok: { ok: true, result: [1] },
      denied: { ok: false, error: 'ACCESS_DENIED', description: 'Access denied' },
      zero: { ok: false, error: '0', description: 'SPA not found' },
      proxy: { ok: false, error: '', description: 'Access denied.' },
      bare: { ok: false, error: 'ERROR_METHOD_NOT_FOUND', description: '' },
    });
  });

  it.each([
    ['insufficient_scope', 'webhook', /insufficient_scope from crm\.status\.list \(inside a batch.*tick the "CRM \(crm\)" permission/],
    ['INVALID_CREDENTIALS', 'webhook', /INVALID_CREDENTIALS from crm\.status\.list.*Check `source\.url`/],
    ['expired_token', 'oauth', /expired_token from crm\.status\.list.*via `source\.token`/],
    ['OVERLOAD_LIMIT', 'webhook', /Contact Bitrix24 support/],
  ] as const)('an auth or portal error on one command (%s) is as fatal as on a call', async (code, kind, message) => {
    const { portal, client } = await setUp([answer({ result: { a: 1 }, result_error: { b: { error: code, error_description: '' } } })], {}, kind);
    const error = await rejectionOf(runBatch(client, { a: { method: 'crm.enum.ownertype' }, b: { method: 'crm.status.list' } }));
    expect(error).toBeInstanceOf(PortalError);
    expect(error).toMatchObject({ error: code });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(portal.code);
    expect(portal.requests).toHaveLength(1);
  });

  it('resends the commands past a smaller batch limit (ERROR_BATCH_LENGTH_EXCEEDED)', async () => {
    const exceeded = { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' };
    const { portal, client } = await setUp([
      answer({ result: { a: 1, b: 2 }, result_error: { c: exceeded, d: exceeded, e: exceeded } }),
      answer({ result: { c: 3, d: 4 } }),
      answer({ result: { e: 5 } }),
    ]);
    const commands = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((k) => [k, { method: 'crm.enum.ownertype' }])) as Record<string, BatchCommand>;
    const done = await runBatch(client, commands);
    expect(Object.values(done.results).map((r) => (r.ok ? r.result : r.error))).toEqual([1, 2, 3, 4, 5]);
    expect([0, 1, 2].map((i) => Object.keys(sentCommands(portal, i)))).toEqual([['a', 'b', 'c', 'd', 'e'], ['c', 'd'], ['e']]);
  });

  it('fails clearly when the portal accepts no command at all', async () => {
    const exceeded = { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' };
    const { client } = await setUp([answer({ result_error: { a: exceeded } })]);
    const error = await rejectionOf(runBatch(client, { a: { method: 'crm.enum.ownertype' } }));
    expect(error).toBeInstanceOf(PortalError);
    expect(error.message).toContain('more commands than the portal allows');
  });

  it('retries a rate-limited batch request with the same body', async () => {
    const { portal, client } = await setUp([{ error: 'QUERY_LIMIT_EXCEEDED' }, { html: 502 }, answer({ result: { a: 1 } })]);
    const done = await runBatch(client, { a: { method: 'crm.status.list', params: { filter: { ENTITY_ID: 'a#b' } } } });
    expect(done.requests).toBe(3);
    expect(done.results.a).toEqual({ ok: true, result: 1 });
    expect(new Set(portal.requests.map((r) => r.body)).size).toBe(1);
  });

  it('re-sends only the commands that hit a rate limit inside the batch', async () => {
    const { portal, client } = await setUp([
      answer({ result: { a: 1 }, result_error: { b: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' } } }),
      answer({ result: { b: 2 } }),
    ]);
    const retries: string[] = [];
    const retrying = createClient({ kind: 'webhook', url: portal.webhookUrl }, {
      timeoutMs: 2_000,
      retries: 2,
      userAgent: 'test',
      delays: FAST,
      onRetry: ({ reason }) => retries.push(reason),
    });
    clients.push(retrying, client);
    const done = await runBatch(retrying, { a: { method: 'crm.enum.ownertype' }, b: { method: 'crm.type.list' } });
    expect(done.results).toEqual({ a: { ok: true, result: 1 }, b: { ok: true, result: 2 } });
    expect(Object.keys(sentCommands(portal, 1))).toEqual(['b']);
    expect(retries).toEqual(['QUERY_LIMIT_EXCEEDED from crm.type.list inside batch']);
  });

  it('gives up on a command that stays rate-limited, as a call would', async () => {
    const limited = answer({ result_error: { a: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' } } });
    const { portal, client } = await setUp([limited, limited, limited]);
    const error = await rejectionOf(runBatch(client, { a: { method: 'crm.type.list' } }));
    expect(error).toBeInstanceOf(PortalError);
    expect(error.message).toContain('QUERY_LIMIT_EXCEEDED from crm.type.list');
    expect(portal.requests).toHaveLength(3);
  });

  it('a whole-request auth error is thrown at once', async () => {
    const { portal, client } = await setUp([{ error: 'INVALID_CREDENTIALS' }]);
    const error = await rejectionOf(runBatch(client, { a: { method: 'crm.enum.ownertype' } }));
    expect(error).toBeInstanceOf(PortalError);
    expect(portal.requests).toHaveLength(1);
  });

  it('an answer that is not a batch answer', async () => {
    const { client } = await setUp([{ status: 200, body: { result: 'nope' } }]);
    expect(await rejectionOf(runBatch(client, { a: { method: 'crm.enum.ownertype' } }))).toBeInstanceOf(InvalidResponseError);
  });
});

describe('runBatch: a command whose time budget resets too late', () => {
  it('gives up at once instead of re-sending it without waiting', async () => {
    const { portal, client } = await setUp([
      {
        status: 200,
        body: {
          result: {
            result: [],
            result_error: { a: { error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked due to operation time limit' } },
            result_total: [],
            result_next: [],
          },
          time: { operating_reset_at: Math.floor(Date.now() / 1000) + 600 },
        },
      },
    ]);
    const error = await rejectionOf(runBatch(client, { a: { method: 'crm.status.list' } }));
    expect(error).toBeInstanceOf(PortalError);
    expect(error.message).toMatch(/OPERATION_TIME_LIMIT from crm\.status\.list \(inside a batch.*Gave up at once/);
    expect(portal.requests).toHaveLength(1);
  });
});

describe('runBatch: secrets in command errors', () => {
  it('masks the webhook code a portal echoes in a member error, kept or thrown', async () => {
    const portal = await startFakePortal();
    portals.push(portal);
    const echo = `bad path /rest/1/${portal.code}/crm.type.list (${encodeURIComponent(portal.code)})`;
    portal.enqueue(
      answer({ result_error: { kept: { error: 'ACCESS_DENIED', error_description: echo } } }),
      answer({ result_error: { fatal: { error: 'insufficient_scope', error_description: echo } } }),
    );
    const client = createClient({ kind: 'webhook', url: portal.webhookUrl }, { timeoutMs: 2_000, retries: 0, userAgent: 'test', delays: FAST });
    clients.push(client);
    const kept = await runBatch(client, { kept: { method: 'crm.type.list' } });
    expect(kept.results.kept).toEqual({ ok: false, error: 'ACCESS_DENIED', description: 'bad path /rest/1/***/crm.type.list (***)' });
    const error = await rejectionOf(runBatch(client, { fatal: { method: 'crm.type.list' } }));
    expect(`${error.message} ${(error as PortalError).errorDescription}`).not.toContain(portal.code);
    expect(error.message).toContain('/rest/1/***/');
  });
});
