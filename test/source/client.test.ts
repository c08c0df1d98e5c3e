import { afterEach, describe, expect, it } from 'vitest';
import { InvalidResponseError } from '../../src/shared/errors.js';
import { createClient, type ClientOptions, type RestClient } from '../../src/source/client.js';
import { MAX_JSON_DEPTH, MAX_JSON_STRING, MAX_JSON_VALUES, checkJsonBounds } from '../../src/source/json-bounds.js';
import { startFakePortal, type FakePortal, type FakePortalOptions } from '../support/fake-portal.mjs';

const FAST = { baseMs: 5, rateLimitBaseMs: 5, operationLimitMinMs: 20, maxTotalWaitMs: 2_000 };
const portals: FakePortal[] = [];
const clients: RestClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(portals.splice(0).map((portal) => portal.close()));
});

async function setUp(portalOptions: FakePortalOptions = {}, overrides: Partial<ClientOptions> = {}) {
  const portal = await startFakePortal(portalOptions);
  portals.push(portal);
  const client = createClient({ kind: 'webhook', url: portal.webhookUrl }, { timeoutMs: 2_000, retries: 0, userAgent: 'test', delays: FAST, ...overrides });
  clients.push(client);
  return { portal, client };
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('the REST client', () => {
  it('calls any method with its params as the JSON body, and asks for uncompressed answers', async () => {
    const { portal, client } = await setUp({ faults: [{ status: 200, body: { result: { categories: [] } } }] });
    const { json } = await client.call('crm.category.list', { entityTypeId: 177 });
    expect(json.result).toEqual({ categories: [] });
    expect(portal.requests[0]).toMatchObject({ path: `/rest/1/${portal.code}/crm.category.list`, body: '{"entityTypeId":177}' });
    expect(portal.requests[0]?.headers['accept-encoding']).toBe('identity');
    expect(client.requests).toBe(1);
  });

  it('keeps a moved portal for the next calls', async () => {
    const moved = await startFakePortal();
    portals.push(moved);
    const { portal, client } = await setUp({ code: moved.code, faults: [{ redirect: `${moved.origin}/rest/1/${moved.code}/crm.enum.ownertype`, status: 308 }] });
    await client.call('crm.enum.ownertype');
    await client.call('crm.enum.ownertype');
    expect(portal.requests).toHaveLength(1);
    expect(moved.requests).toHaveLength(2);
    expect(client.host).toBe(`127.0.0.1:${moved.port}`);
  });

  it('names the method in its messages', async () => {
    const { client } = await setUp({ faults: [{ status: 200, body: { data: 1 } }] });
    expect((await rejectionOf(client.call('crm.status.list'))).message).toContain('it is not a crm.status.list response');
  });
});

describe('answers described in words, never in bytes', () => {
  const gzipBytes = '\u001f\u008b\u0008\u0000\u0000\u0000\u0000\u0000\u0000\u0003\u00abV*J-.\u00cd)Q';

  it.each([
    ['a gzip body the portal compressed unasked', { status: 200, body: gzipBytes, contentType: 'application/json', headers: { 'content-encoding': 'gzip' } }, /HTTP 200 with a gzip-compressed body \(content-encoding: gzip, \d+ bytes, application\/json\)/],
    ['binary bytes', { status: 200, body: gzipBytes, contentType: 'application/octet-stream' }, /HTTP 200 with \d+ bytes of binary data \(application\/octet-stream\) instead of JSON/],
    ['JSON cut short', { status: 200, body: '{"result":{"result":{"ownerTypes":[{"ID":1,"NAME":"Lea', contentType: 'application/json' }, /cut short after 54 bytes/],
  ] as const)('%s', async (_name, step, message) => {
    const { client } = await setUp({ faults: [step] });
    const error = await rejectionOf(client.call('batch'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/[\u0000-\u0008\u000e-\u001f\u0080-\u009f\ufffd]/);
  });
});

describe('bounds on what an answer may hold (exit 3, a clear message)', () => {
  it.each([
    ['nested too deep', `{"result":${'['.repeat(MAX_JSON_DEPTH + 10)}${']'.repeat(MAX_JSON_DEPTH + 10)}}`, `values nested over ${MAX_JSON_DEPTH} levels deep`],
    ['millions of values', `{"result":[${'1,'.repeat(MAX_JSON_VALUES + 1)}1]}`, `over ${MAX_JSON_VALUES} values`],
    ['a giant string', `{"result":[{"ID":1,"NAME":"${'x'.repeat(MAX_JSON_STRING + 1)}"}]}`, `a string of over ${MAX_JSON_STRING} characters`],
  ])('%s', async (_name, body, fragment) => {
    const { client } = await setUp({ faults: [{ status: 200, body, contentType: 'application/json' }] });
    const error = await rejectionOf(client.call('crm.enum.ownertype'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ exitCode: 3 });
    expect(error.message).toContain(fragment);
    expect(error.message).toContain('no crm.enum.ownertype response does');
  });

  it('accepts what portals send: escaped quotes, brackets inside strings, long but bounded names', () => {
    expect(checkJsonBounds(JSON.stringify({ result: [{ NAME: `a"[[[[{{{${'y'.repeat(1000)}\\` }] }))).toBeUndefined();
    expect(checkJsonBounds(JSON.stringify({ a: { b: { c: [[[[1]]]] } } }))).toBeUndefined();
  });
});
