import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/shared/logger.js';
import { PortalError } from '../../src/shared/errors.js';
import { readPortal, type ReadPortalOptions } from '../../src/source/read-portal.js';
import { seedOwnerTypes, startFakePortal, type FakePortal, type FaultStep } from '../support/fake-portal.mjs';

const FAST = { baseMs: 5, rateLimitBaseMs: 5, operationLimitMinMs: 20, maxTotalWaitMs: 2_000 };
const portals: FakePortal[] = [];
afterEach(async () => {
  await Promise.all(portals.splice(0).map((portal) => portal.close()));
});

async function portalWith(steps: FaultStep[]): Promise<FakePortal> {
  const portal = await startFakePortal({ faults: steps });
  portals.push(portal);
  return portal;
}

function options(overrides: Partial<ReadPortalOptions> = {}): ReadPortalOptions {
  return { timeoutMs: 2_000, retries: 2, userAgent: 'test', delays: FAST, pipelines: true, ...overrides };
}

type Members = { result?: Record<string, unknown>; result_error?: Record<string, unknown>; result_total?: Record<string, unknown>; result_next?: Record<string, unknown> };
function answer(members: Members): FaultStep {
  const php = (value: Record<string, unknown> | undefined) => (value === undefined || Object.keys(value).length === 0 ? [] : value);
  return {
    status: 200,
    body: {
      result: {
        result: php(members.result),
        result_error: php(members.result_error),
        result_total: php(members.result_total),
        result_next: php(members.result_next),
        result_time: [],
      },
      time: { start: 1 },
    },
  };
}

function commandsOf(portal: FakePortal, index: number): Record<string, string> {
  return (JSON.parse(portal.requests[index]?.body ?? '{}') as { cmd: Record<string, string> }).cmd;
}

/** The dictionaries of the seed portal: leads, quotes, three deal pipelines, smart invoices, and two SPA pipelines each. */
const STATUS_TYPES = [
  { ID: 'STATUS', NAME: 'Lead stages', ENTITY_TYPE_ID: 1 },
  { ID: 'SOURCE', NAME: 'Sources' },
  { ID: 'SMART_INVOICE_STAGE_5', ENTITY_TYPE_ID: 31, CATEGORY_ID: 5, PREFIX: 'DT31_5' },
  { ID: 'DEAL_STAGE_3', ENTITY_TYPE_ID: 2, CATEGORY_ID: '3', PREFIX: 'C3' },
  { ID: 'DEAL_STAGE', ENTITY_TYPE_ID: 2, CATEGORY_ID: 0 },
  { ID: 'DEAL_STAGE_9', ENTITY_TYPE_ID: 2, CATEGORY_ID: '9', PREFIX: 'C9' },
  { ID: 'QUOTE_STATUS', ENTITY_TYPE_ID: 7 },
  { ID: 'HONORIFIC', NAME: 'Salutations' },
  { ID: 'DYNAMIC_177_STAGE_7', ENTITY_TYPE_ID: 177, CATEGORY_ID: 7 },
  { ID: 'DYNAMIC_177_STAGE_9', ENTITY_TYPE_ID: 177, CATEGORY_ID: 9 },
  { ID: 'DYNAMIC_156_STAGE_11', ENTITY_TYPE_ID: 156, CATEGORY_ID: 11 },
];
const STAGE_DICTIONARIES = STATUS_TYPES.filter((t) => t.ENTITY_TYPE_ID !== undefined).map((t) => t.ID);

function roundOne(overrides: Members = {}): FaultStep {
  return answer({
    result: {
      ownerTypes: seedOwnerTypes(),
      statusTypes: STATUS_TYPES,
      spaTypes_0: { types: [{ id: 7, entityTypeId: 177, code: '' }, { id: 3, entityTypeId: 156, code: 'rental' }] },
      categories_2: { categories: [{ id: 0 }, { id: 3 }, { id: 9 }] },
      categories_31: { categories: [{ id: 5 }] },
      categories_36: { categories: [] },
      categories_39: { categories: [] },
      ...overrides.result,
    },
    result_error: {
      categories_3: { error: 'NOT_FOUND', error_description: 'Smart process not found' },
      categories_4: { error: 'NOT_FOUND', error_description: 'Smart process not found' },
      ...overrides.result_error,
    },
    result_total: { spaTypes_0: 2, ...overrides.result_total },
  });
}

function roundTwo(keys: readonly string[], errors: Record<string, unknown> = {}): FaultStep {
  return answer({
    result: Object.fromEntries(keys.filter((k) => !(k in errors)).map((k) => [k, `answer of ${k}`])),
    result_error: errors,
  });
}

const statusKeys = STAGE_DICTIONARIES.map((_, i) => `status_${i}`);

describe('readPortal without pipelines', () => {
  it('is the single crm.enum.ownertype call of today', async () => {
    const portal = await startFakePortal();
    portals.push(portal);
    const raw = await readPortal({ kind: 'webhook', url: portal.webhookUrl }, options({ pipelines: false }));
    expect(raw).toEqual({ host: `127.0.0.1:${portal.port}`, ownerTypes: seedOwnerTypes() });
    expect(portal.requests.map((r) => r.path)).toEqual([`/rest/1/${portal.code}/crm.enum.ownertype`]);
  });
});

describe('readPortal with pipelines: the request plan', () => {
  it('reads the seed portal in two requests: round 1, then one batch of every dictionary and SPA', async () => {
    const two = [...statusKeys, 'categories_156', 'categories_177'];
    const portal = await portalWith([roundOne(), roundTwo(two)]);
    const debug: string[] = [];
    const logger: Logger = { info() {}, warn() {}, debug: (m) => debug.push(m) };
    const raw = await readPortal({ kind: 'webhook', url: portal.webhookUrl }, options({ logger }));

    expect(portal.requests).toHaveLength(2);
    expect(commandsOf(portal, 0)).toEqual({
      ownerTypes: 'crm.enum.ownertype',
      statusTypes: 'crm.status.entity.types',
      spaTypes_0: 'crm.type.list?order[entityTypeId]=ASC&start=0',
      categories_2: 'crm.category.list?entityTypeId=2',
      categories_31: 'crm.category.list?entityTypeId=31',
      categories_36: 'crm.category.list?entityTypeId=36',
      categories_39: 'crm.category.list?entityTypeId=39',
      categories_3: 'crm.category.list?entityTypeId=3',
      categories_4: 'crm.category.list?entityTypeId=4',
    });
    const second = commandsOf(portal, 1);
    expect(Object.keys(second).sort()).toEqual([...two].sort());
    expect(STAGE_DICTIONARIES.map((_, i) => second[`status_${i}`])).toEqual(
      STAGE_DICTIONARIES.map((id) => `crm.status.list?filter[ENTITY_ID]=${id}`),
    );
    expect(second.categories_177).toBe('crm.category.list?entityTypeId=177');

    expect(raw.host).toBe(`127.0.0.1:${portal.port}`);
    expect(raw.ownerTypes).toEqual(seedOwnerTypes());
    expect(raw.pipelines?.statusTypes).toEqual({ ok: true, result: STATUS_TYPES });
    expect(Object.keys(raw.pipelines?.statuses ?? {})).toEqual(STAGE_DICTIONARIES);
    expect(raw.pipelines?.statuses.DEAL_STAGE_3).toEqual({ ok: true, result: `answer of status_${STAGE_DICTIONARIES.indexOf('DEAL_STAGE_3')}` });
    expect(Object.keys(raw.pipelines?.categories ?? {})).toEqual(['2', '3', '4', '31', '36', '39', '156', '177']);
    expect(raw.pipelines?.categories['3']).toEqual({ ok: false, error: 'NOT_FOUND', description: 'Smart process not found' });
    expect(raw.pipelines?.categories['177']).toEqual({ ok: true, result: 'answer of categories_177' });
    expect(raw.pipelines?.spaTypes).toMatchObject({ ok: true, total: 2 });
    expect(raw.pipelines?.spaTypeByEntityTypeId).toBeUndefined();
    expect(debug).toEqual([
      'round 1: 9 commands in 1 batch (1 HTTP request)',
      `round 2: ${two.length} commands in 1 batch (1 HTTP request)`,
      `read 127.0.0.1:${portal.port}: 2 HTTP requests in all`,
    ]);
  });

  it('without CRM-admin rights asks crm.type.getByEntityTypeId per SPA, in the same round', async () => {
    const denied = { error: 'ACCESS_DENIED', error_description: 'Access denied' };
    const two = [...statusKeys, 'categories_156', 'categories_177', 'spaType_156', 'spaType_177'];
    const portal = await portalWith([
      roundOne({ result_error: { spaTypes_0: denied } }),
      roundTwo(two, { spaType_156: denied }),
    ]);
    const raw = await readPortal({ kind: 'webhook', url: portal.webhookUrl }, options());
    expect(portal.requests).toHaveLength(2);
    const second = commandsOf(portal, 1);
    expect(second.spaType_177).toBe('crm.type.getByEntityTypeId?entityTypeId=177');
    expect(raw.pipelines?.spaTypes).toEqual({ ok: false, error: 'ACCESS_DENIED', description: 'Access denied' });
    expect(raw.pipelines?.spaTypeByEntityTypeId).toEqual({
      156: { ok: false, error: 'ACCESS_DENIED', description: 'Access denied' },
      177: { ok: true, result: 'answer of spaType_177' },
    });
  });

  it('asks the remaining crm.type.list pages from total, and merges them', async () => {
    const pageTypes = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ entityTypeId: 1030 + 2 * (from + i) }));
    const portal = await portalWith([
      roundOne({ result: { spaTypes_0: { types: pageTypes(0, 50) } }, result_total: { spaTypes_0: '120' } }),
      answer({
        result: {
          ...Object.fromEntries([...statusKeys, 'categories_156', 'categories_177'].map((k) => [k, []])),
          spaTypes_50: { types: pageTypes(50, 50) },
          spaTypes_100: { types: pageTypes(100, 20) },
        },
      }),
    ]);
    const raw = await readPortal({ kind: 'webhook', url: portal.webhookUrl }, options());
    const second = commandsOf(portal, 1);
    expect(second.spaTypes_50).toBe('crm.type.list?order[entityTypeId]=ASC&start=50');
    expect(second.spaTypes_100).toBe('crm.type.list?order[entityTypeId]=ASC&start=100');
    expect(second.spaTypes_150).toBeUndefined();
    const spaTypes = raw.pipelines?.spaTypes;
    expect(spaTypes?.ok && (spaTypes.result as { types: unknown[] }).types).toEqual(pageTypes(0, 120));
  });

  it('takes any portal in two rounds of ceil(commands / 50) batches', async () => {
    // 70 SPAs with two pipelines each: 11 - 3 + 140 dictionaries, plus 70 SPA category lists.
    const spaIds = Array.from({ length: 70 }, (_, i) => 1030 + 2 * i);
    const ownerTypes = [...seedOwnerTypes().filter((t) => !String(t.SYMBOL_CODE).startsWith('DYNAMIC_')), ...spaIds.map((id) => ({ ID: id, NAME: `S${id}`, SYMBOL_CODE: `DYNAMIC_${id}`, SYMBOL_CODE_SHORT: `T${id.toString(16)}` }))];
    const statusTypes = [
      ...STATUS_TYPES.filter((t) => !t.ID.startsWith('DYNAMIC_')),
      ...spaIds.flatMap((id, i) => [0, 1].map((k) => ({ ID: `DYNAMIC_${id}_STAGE_${2 * i + k + 20}`, ENTITY_TYPE_ID: id, CATEGORY_ID: 2 * i + k + 20 }))),
    ];
    const dictionaries = statusTypes.filter((t) => t.ENTITY_TYPE_ID !== undefined).length;
    const commands = dictionaries + spaIds.length;
    const batches = Math.ceil(commands / 50);
    const keys = [...Array.from({ length: dictionaries }, (_, i) => `status_${i}`), ...spaIds.map((id) => `categories_${id}`)];
    const chunks = Array.from({ length: batches }, (_, b) => keys.slice(b * 50, b * 50 + 50));
    const portal = await portalWith([
      roundOne({ result: { ownerTypes, statusTypes } }),
      ...chunks.map((chunk) => roundTwo(chunk)),
    ]);
    const raw = await readPortal({ kind: 'webhook', url: portal.webhookUrl }, options());
    expect(portal.requests).toHaveLength(1 + batches);
    expect(Object.keys(raw.pipelines?.statuses ?? {})).toHaveLength(dictionaries);
    expect(Object.values(raw.pipelines?.statuses ?? {}).every((r) => r.ok)).toBe(true);
  });

  it('passes the rows of a portal that ignores the filter through, for the model to check', async () => {
    const everything = [
      { ENTITY_ID: 'STATUS', STATUS_ID: 'NEW' },
      { ENTITY_ID: 'DEAL_STAGE', STATUS_ID: 'WON' },
    ];
    const two = [...statusKeys, 'categories_156', 'categories_177'];
    const portal = await portalWith([roundOne(), answer({ result: Object.fromEntries(two.map((k) => [k, everything])) })]);
    const raw = await readPortal({ kind: 'webhook', url: portal.webhookUrl }, options());
    expect(raw.pipelines?.statuses.QUOTE_STATUS).toEqual({ ok: true, result: everything });
    expect(portal.requests).toHaveLength(2);
  });
});

describe('readPortal with pipelines: faults', () => {
  it('a rate limit between round 1 and round 2 is waited out', async () => {
    const two = [...statusKeys, 'categories_156', 'categories_177'];
    const portal = await portalWith([roundOne(), { error: 'QUERY_LIMIT_EXCEEDED' }, { error: 'QUERY_LIMIT_EXCEEDED' }, roundTwo(two)]);
    const raw = await readPortal({ kind: 'webhook', url: portal.webhookUrl }, options());
    expect(portal.requests).toHaveLength(4);
    expect(raw.pipelines?.categories['177']).toMatchObject({ ok: true });
  });

  it('a rate limit that lasts past the retries is fatal, with the table advice', async () => {
    const portal = await portalWith([roundOne(), ...Array.from({ length: 3 }, () => ({ error: 'QUERY_LIMIT_EXCEEDED' }) as FaultStep)]);
    await expect(readPortal({ kind: 'webhook', url: portal.webhookUrl }, options())).rejects.toThrow(/QUERY_LIMIT_EXCEEDED \(HTTP 503\)/);
    expect(portal.requests).toHaveLength(4);
  });

  it.each([
    ['no CRM access', { error: '', error_description: 'Access denied.' }, "the webhook's user has no access to the CRM"],
    ['an old core', { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' }, 'does not know crm.enum.ownertype'],
  ])('a failure of the owner types command is fatal: %s', async (_name, failure, advice) => {
    const portal = await portalWith([roundOne({ result_error: { ownerTypes: failure } })]);
    const error = await readPortal({ kind: 'webhook', url: portal.webhookUrl }, options()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PortalError);
    expect((error as Error).message).toContain('from crm.enum.ownertype (inside a batch');
    expect((error as Error).message).toContain(advice);
    expect(portal.requests).toHaveLength(1);
  });

  it('denied pipeline and stage methods go into the result for the model to judge', async () => {
    const denied = { error: '', error_description: 'Access denied.' };
    const portal = await portalWith([
      roundOne({
        result_error: Object.fromEntries(['statusTypes', 'spaTypes_0', 'categories_2', 'categories_31', 'categories_36', 'categories_39'].map((k) => [k, denied])),
      }),
      roundTwo(['categories_156', 'categories_177', 'spaType_156', 'spaType_177'], {
        categories_156: denied,
        categories_177: denied,
        spaType_156: denied,
        spaType_177: denied,
      }),
    ]);
    const raw = await readPortal({ kind: 'webhook', url: portal.webhookUrl }, options());
    expect(raw.pipelines?.statusTypes).toEqual({ ok: false, ...{ error: '', description: 'Access denied.' } });
    expect(raw.pipelines?.statuses).toEqual({});
    expect(Object.values(raw.pipelines?.categories ?? {}).every((r) => !r.ok)).toBe(true);
    expect(portal.requests).toHaveLength(2);
  });

  it('an insufficient scope on any command stops the run', async () => {
    const portal = await portalWith([roundOne({ result_error: { statusTypes: { error: 'insufficient_scope', error_description: '' } } })]);
    await expect(readPortal({ kind: 'webhook', url: portal.webhookUrl }, options())).rejects.toThrow(/insufficient_scope from crm\.status\.entity\.types/);
  });
});

describe('readPortal against whole fake portals', () => {
  async function live(portalOptions: Parameters<typeof startFakePortal>[0]) {
    const portal = await startFakePortal(portalOptions);
    portals.push(portal);
    return portal;
  }
  const webhookOf = (portal: FakePortal) => ({ kind: 'webhook' as const, url: portal.webhookUrl });
  const commandCount = (portal: FakePortal) => portal.requests.reduce((sum, r) => sum + Object.keys(JSON.parse(r.body).cmd ?? {}).length, 0);

  it('the seed portal with pipelines in at most 3 HTTP requests, every command answered', async () => {
    const portal = await live({ dataset: 'seed' });
    const raw = await readPortal(webhookOf(portal), options());
    expect(portal.requests.length).toBeLessThanOrEqual(3);
    expect(portal.requests.every((r) => r.path.endsWith('/batch'))).toBe(true);
    const pipelines = raw.pipelines;
    expect(pipelines?.statusTypes.ok).toBe(true);
    expect(Object.values(pipelines?.statuses ?? {}).every((r) => r.ok)).toBe(true);
    expect(Object.keys(pipelines?.statuses ?? {})).toEqual(expect.arrayContaining(['STATUS', 'DEAL_STAGE', 'DEAL_STAGE_3']));
    expect(pipelines?.categories['2']?.ok).toBe(true);
    expect(pipelines?.spaTypes.ok).toBe(true);
    // Exact filters: every row of a dictionary's answer belongs to it.
    for (const [entityId, result] of Object.entries(pipelines?.statuses ?? {})) {
      const rows = result.ok ? (result.result as { ENTITY_ID: string }[]) : [];
      expect(rows.every((row) => row.ENTITY_ID === entityId), entityId).toBe(true);
    }
  });

  it.each([
    ['a row without an ID', [...seedOwnerTypes(), { NAME: 'No ID', SYMBOL_CODE: 'DYNAMIC_9', SYMBOL_CODE_SHORT: 'T9' }]],
    ['an ID that is not a number', [...seedOwnerTypes(), { ID: 'x', NAME: 'Bad', SYMBOL_CODE: 'DYNAMIC_9', SYMBOL_CODE_SHORT: 'T9' }]],
  ])('an owner types answer with %s fails after round 1, before round 2 is asked for', async (_what, ownerTypes) => {
    const portal = await live({ dataset: 'seed', ownerTypes: ownerTypes as unknown[] });
    await expect(readPortal(webhookOf(portal), options())).rejects.toThrow(/crm\.enum\.ownertype/);
    expect(portal.requests).toHaveLength(1);
  });

  it('a large portal in two rounds of ceil(commands / 50) batches', async () => {
    const portal = await live({ dataset: 'large', spas: 200, pipelines: 2 });
    const raw = await readPortal(webhookOf(portal), options());
    const roundTwoCommands = commandCount(portal) - 9;
    expect(portal.requests).toHaveLength(1 + Math.ceil(roundTwoCommands / 50));
    expect(Object.keys(raw.pipelines?.statuses ?? {}).length).toBeGreaterThan(400);
    const spaTypes = raw.pipelines?.spaTypes;
    expect(spaTypes?.ok && (spaTypes.result as { types: unknown[] }).types.length).toBeGreaterThanOrEqual(200);
  });

  it('a webhook without CRM-admin rights: crm.type.list denied, crm.type.getByEntityTypeId per SPA', async () => {
    const portal = await live({ dataset: 'seed', admin: false });
    const raw = await readPortal(webhookOf(portal), options());
    expect(portal.requests.length).toBeLessThanOrEqual(3);
    expect(raw.pipelines?.spaTypes).toMatchObject({ ok: false, error: 'ACCESS_DENIED' });
    expect(raw.pipelines?.spaTypeByEntityTypeId?.['156']).toMatchObject({ ok: false });
    expect(raw.pipelines?.spaTypeByEntityTypeId?.['177']).toMatchObject({ ok: true });
  });

  it('a portal that ignores the filter: rows pass through for the model to check', async () => {
    const portal = await live({ dataset: 'seed', ignoreStatusFilter: true });
    const raw = await readPortal(webhookOf(portal), options());
    const lead = raw.pipelines?.statuses.STATUS;
    expect(lead?.ok && (lead.result as { ENTITY_ID: string }[]).some((row) => row.ENTITY_ID !== 'STATUS')).toBe(true);
  });

  it('a user without CRM access: the owner types command fails, and the run with it', async () => {
    const portal = await live({ dataset: 'seed', crmAccess: false });
    await expect(readPortal(webhookOf(portal), options())).rejects.toThrow(/from crm\.enum\.ownertype \(inside a batch.*the webhook's user has no access to the CRM/);
  });

  it('a rate limit between the rounds', async () => {
    const portal = await live({ dataset: 'seed', faults: [{ ok: true }, { error: 'QUERY_LIMIT_EXCEEDED' }] });
    const raw = await readPortal(webhookOf(portal), options());
    expect(raw.pipelines?.statusTypes.ok).toBe(true);
    expect(portal.requests.length).toBeLessThanOrEqual(4);
  });
});
