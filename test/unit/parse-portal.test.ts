import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePortal, PIPELINES_NOT_READ, type ParsePortalOptions } from '../../src/model/parse-portal.js';
import type { OwnerTypeStages, Pipeline, PortalModel, RawPortal } from '../../src/model/portal.js';
import { serializeSnapshot } from '../../src/model/snapshot.js';
import { InvalidResponseError, PipelinesRefusedError, PortalError } from '../../src/shared/errors.js';
import { failed, loadFixture, ok, rawPortal, type PortalFixture, type RawOptions } from './pipelines-fixture.js';

const A = loadFixture('portal-a.json');
const documented = loadFixture('documented-answers.json') as unknown as Record<string, { result: unknown }>;
const seed = loadFixture('../seed-response.json') as unknown as { result: unknown[] };

const DENIED = failed('ACCESS_DENIED', 'Access denied');

function mutate(change: (fixture: PortalFixture) => void): PortalFixture {
  const copy = structuredClone(A);
  change(copy);
  return copy;
}

function parse(fixture: PortalFixture = A, options: RawOptions = {}, parseOptions?: ParsePortalOptions): PortalModel {
  return parsePortal(rawPortal(fixture, options), parseOptions);
}

function typeOf(model: PortalModel, entityTypeId: number): OwnerTypeStages {
  if (model.pipelines.status !== 'ok') throw new Error(`pipelines unavailable: ${model.pipelines.reason}`);
  const type = model.pipelines.data.types.find((t) => t.entityTypeId === entityTypeId);
  if (type === undefined) throw new Error(`no stages for ${entityTypeId}`);
  return type;
}

function pipelinesOf(model: PortalModel, entityTypeId: number): readonly Pipeline[] {
  const type = typeOf(model, entityTypeId);
  if (type.kind !== 'pipelines') throw new Error(`${entityTypeId} has no pipelines`);
  return type.pipelines;
}

function pipeline(model: PortalModel, entityTypeId: number, categoryId: number): Pipeline {
  const found = pipelinesOf(model, entityTypeId).find((p) => p.categoryId === categoryId);
  if (found === undefined) throw new Error(`no pipeline ${categoryId} of ${entityTypeId}`);
  return found;
}

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('no error was thrown');
}

const rowsOf = (fixture: PortalFixture, entityId: string) => fixture.statusList.filter((r) => r['ENTITY_ID'] === entityId);
const entry = (fixture: PortalFixture, id: string) => fixture.statusTypes.find((e) => e['ID'] === id) as Record<string, unknown>;

describe('parsePortal: portal A with an admin webhook', () => {
  const model = parse();

  it('keeps the owner types as parseOwnerTypes gives them, and the host', () => {
    expect(model.host).toBe('portal-a.example.bitrix24.com');
    expect(model.ownerTypes.map((t) => t.id)).toEqual([1, 2, 3, 4, 5, 7, 8, 31, 36, 39, 156, 177, 1032, 1034]);
    expect(model.notices).toEqual([]);
  });

  it('lists every owner type with stages or pipelines, by entity type ID', () => {
    if (model.pipelines.status !== 'ok') throw new Error('unavailable');
    expect(model.pipelines.data.types.map((t) => [t.entityTypeId, t.kind])).toEqual([
      [1, 'stages'],
      [2, 'pipelines'],
      [3, 'pipelines'],
      [5, 'stages'],
      [7, 'stages'],
      [31, 'pipelines'],
      [36, 'pipelines'],
      [156, 'pipelines'],
      [177, 'pipelines'],
      [1032, 'pipelines'],
      [1034, 'pipelines'],
    ]);
  });

  it('gives deals the default pipeline 0 and the others by category ID, named by crm.category.list', () => {
    expect(pipelinesOf(model, 2).map(({ categoryId, name, sort, isDefault, readable, statusEntityId }) => ({
      categoryId, name, sort, isDefault, readable, statusEntityId,
    }))).toEqual([
      { categoryId: 0, name: 'General', sort: 300, isDefault: true, readable: true, statusEntityId: 'DEAL_STAGE' },
      { categoryId: 3, name: 'Wholesale', sort: 100, isDefault: false, readable: true, statusEntityId: 'DEAL_STAGE_3' },
      { categoryId: 9, name: 'Service', sort: 200, isDefault: false, readable: true, statusEntityId: 'DEAL_STAGE_9' },
    ]);
  });

  it('reads stages: full ID, code after the prefix, numbers from strings, semantics, the portal order', () => {
    expect(pipeline(model, 2, 3).stages.map((s) => [s.statusId, s.code, s.sort, s.semantics])).toEqual([
      ['C3:NEW', 'NEW', 10, 'process'],
      ['C3:PREPARATION', 'PREPARATION', 20, 'process'],
      ['C3:1', '1', 30, 'process'],
      ['C3:UC_YYTFYG', 'UC_YYTFYG', 40, 'process'],
      ['C3:WON', 'WON', 50, 'success'],
      ['C3:LOSE', 'LOSE', 60, 'failure'],
    ]);
    const won = pipeline(model, 2, 0).stages.find((s) => s.statusId === 'WON');
    expect(won).toEqual({ statusId: 'WON', code: 'WON', name: 'Deal successful', sort: 70, rowId: expect.any(Number), semantics: 'success' });
    expect(pipeline(model, 177, 7).stages.map((s) => s.statusId)).toEqual([
      'DT177_7:NEW', 'DT177_7:PREPARATION', 'DT177_7:CLIENT', 'DT177_7:UC_0VHWE2', 'DT177_7:SUCCESS', 'DT177_7:FAIL',
    ]);
  });

  it('gives types without pipelines their one dictionary, user-added and numeric codes included', () => {
    const lead = typeOf(model, 1);
    expect(lead.kind === 'stages' && lead.statusEntityId).toBe('STATUS');
    expect(lead.kind === 'stages' && lead.stages.map((s) => s.code)).toEqual([
      'NEW', 'IN_PROCESS', 'UC_NJ6R1M', 'PROCESSED', '1', 'CONVERTED', 'JUNK',
    ]);
    const quote = typeOf(model, 7);
    expect(quote.kind === 'stages' && quote.stages.filter((s) => s.semantics === 'failure').map((s) => s.code)).toEqual([
      'DECLAINED', 'APOLOGY',
    ]);
    expect(typeOf(model, 5).kind).toBe('stages');
  });

  it('gives every SPA its pipelines with real IDs, even with categories or stages switched off', () => {
    expect(pipelinesOf(model, 177).map((p) => [p.categoryId, p.name, p.isDefault])).toEqual([
      [7, 'General', true],
      [9, 'Second pipeline', false],
    ]);
    expect(pipelinesOf(model, 1032).map((p) => [p.categoryId, p.isDefault, p.stages.length])).toEqual([[57, true, 3]]);
    expect(pipelinesOf(model, 1034).map((p) => [p.categoryId, p.name, p.isDefault])).toEqual([[60, 'Общая', true]]);
    expect(pipelinesOf(model, 31).map((p) => [p.categoryId, p.statusEntityId, p.stages.map((s) => s.statusId)])).toEqual([
      [5, 'SMART_INVOICE_STAGE_5', ['DT31_5:N', 'DT31_5:S', 'DT31_5:P', 'DT31_5:D']],
    ]);
  });

  it('gives contacts their categories from crm.category.list, without stages', () => {
    expect(pipelinesOf(model, 3)).toEqual([
      { categoryId: 0, name: 'Contacts', sort: 100, isDefault: true, readable: true, statusEntityId: undefined, stages: [] },
      { categoryId: 21, name: 'Suppliers', sort: 200, isDefault: false, readable: true, statusEntityId: undefined, stages: [] },
    ]);
  });

  it('reads SPA codes and row IDs from crm.type.list; a null code is ""', () => {
    expect(model.spaDetails).toEqual({
      status: 'ok',
      data: [
        { entityTypeId: 156, typeId: 3, code: '' },
        { entityTypeId: 177, typeId: 7, code: '' },
        { entityTypeId: 1032, typeId: 12, code: 'rental_listing' },
        { entityTypeId: 1034, typeId: 13, code: '' },
      ],
    });
  });

  it('matches the committed snapshot of portal A byte for byte', async () => {
    const { readFileSync } = await import('node:fs');
    const golden = readFileSync(new URL('../fixtures/pipelines/portal-a.snapshot.json', import.meta.url), 'utf8');
    expect(serializeSnapshot(model)).toBe(golden);
  });
});

describe('parsePortal: the same portal, told differently', () => {
  const expected = serializeSnapshot(parse());

  it('a portal that ignores filter[ENTITY_ID] gives the identical model', () => {
    const ignoring = parse(A, { filter: 'ignore' });
    expect(ignoring).toEqual(parse());
    expect(serializeSnapshot(ignoring)).toBe(expected);
  });

  it('any order of dictionaries, rows, categories and SPA types gives the same bytes', () => {
    const shuffled = <T>(items: readonly T[]) => fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });
    fc.assert(
      fc.property(
        shuffled(A.ownerTypes),
        shuffled(A.statusTypes),
        shuffled(A.statusList),
        shuffled(A.categories['2']?.categories ?? []),
        shuffled(A.spaTypes.types),
        fc.constantFrom<'obey' | 'ignore'>('obey', 'ignore'),
        (ownerTypes, statusTypes, statusList, dealCategories, types, filter) => {
          const fixture = { ...A, ownerTypes, statusTypes, statusList, spaTypes: { types }, categories: { ...A.categories, '2': { categories: dealCategories } } };
          expect(serializeSnapshot(parse(fixture, { filter }))).toBe(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('orders stages by SORT, then row ID, whatever the wire order', () => {
    const fixture = mutate((f) => {
      for (const row of rowsOf(f, 'DEAL_STAGE_9')) row['SORT'] = '100';
    });
    const stages = pipeline(parse(fixture), 2, 9).stages;
    const rowIds = stages.map((s) => s.rowId);
    expect(rowIds).toEqual([...rowIds].sort((a, b) => a - b));
  });

  it('accepts numbers where the wire has strings, and strings where it has numbers', () => {
    const fixture = mutate((f) => {
      for (const row of f.statusList) {
        row['ID'] = Number(row['ID']);
        row['SORT'] = Number(row['SORT']);
      }
      for (const e of f.statusTypes) if (typeof e['CATEGORY_ID'] === 'number') e['CATEGORY_ID'] = String(e['CATEGORY_ID']);
      for (const e of f.statusTypes) if (typeof e['ENTITY_TYPE_ID'] === 'number') e['ENTITY_TYPE_ID'] = String(e['ENTITY_TYPE_ID']);
      for (const c of Object.values(f.categories)) for (const item of c.categories) item['id'] = String(item['id']);
    });
    expect(serializeSnapshot(parse(fixture))).toBe(expected);
  });

  it.each([null, '', 'P', undefined, 'X'])('SEMANTICS %j is process', (value) => {
    const fixture = mutate((f) => {
      const row = rowsOf(f, 'DEAL_STAGE')[0] as Record<string, unknown>;
      if (value === undefined) delete row['SEMANTICS'];
      else row['SEMANTICS'] = value;
    });
    expect(pipeline(parse(fixture), 2, 0).stages[0]?.semantics).toBe('process');
  });

  it('takes CATEGORY_ID from the dictionary, whatever the rows say (null, "0", another)', () => {
    const fixture = mutate((f) => {
      const rows = rowsOf(f, 'DEAL_STAGE');
      rows.forEach((row, i) => (row['CATEGORY_ID'] = [null, '0', '3'][i % 3]));
    });
    expect(serializeSnapshot(parse(fixture))).toBe(expected);
  });
});

describe('parsePortal: a webhook whose user is not a CRM admin', () => {
  const fixture = mutate((f) => {
    const deal = f.categories['2'];
    if (deal) deal.categories = deal.categories.filter((c) => c['id'] !== 9);
  });
  const byEntityTypeId = (denied: readonly number[]) =>
    Object.fromEntries(
      A.spaTypes.types.map((t) => [String(t['entityTypeId']), denied.includes(t['entityTypeId'] as number) ? DENIED : ok({ type: t })]),
    );
  const model = parse(fixture, { spaTypes: DENIED, spaTypeByEntityTypeId: byEntityTypeId([1034]) });

  it('keeps a pipeline crm.category.list hides, by its ID, and says so', () => {
    expect(pipeline(model, 2, 9)).toMatchObject({ categoryId: 9, name: undefined, readable: false, isDefault: false });
    expect(pipeline(model, 2, 9).stages.map((s) => s.statusId)).toContain('C9:WON');
    expect(model.notices).toContainEqual(expect.stringContaining('does not list pipeline 9 (DEAL_STAGE_9) of DEAL (2)'));
    expect(model.notices.find((n) => n.includes('DEAL_STAGE_9'))).toContain('without its name');
  });

  it('reads codes one by one, and names the SPAs it could not read', () => {
    expect(model.spaDetails.status === 'ok' && model.spaDetails.data.map((d) => d.entityTypeId)).toEqual([156, 177, 1032]);
    expect(model.notices).toContainEqual(
      'The code and row ID of smart process 1034 ("Закупка оборудования") are unknown (crm.type.getByEntityTypeId: ACCESS_DENIED — Access denied).',
    );
  });

  it('marks SPA details unavailable, with the reason, when nothing could be read', () => {
    expect(parse(fixture, { spaTypes: DENIED }).spaDetails).toEqual({
      status: 'unavailable',
      reason: 'crm.type.list: ACCESS_DENIED — Access denied',
    });
    expect(parse(fixture, { spaTypes: DENIED, spaTypeByEntityTypeId: byEntityTypeId([156, 177, 1032, 1034]) }).spaDetails).toEqual({
      status: 'unavailable',
      reason: 'crm.type.list: ACCESS_DENIED — Access denied; crm.type.getByEntityTypeId: ACCESS_DENIED — Access denied',
    });
  });

  it('an old core without getByEntityTypeId: unavailable, still not a failure', () => {
    const notFound = failed('ERROR_METHOD_NOT_FOUND', 'Method not found!');
    const all = Object.fromEntries(A.spaTypes.types.map((t) => [String(t['entityTypeId']), notFound]));
    expect(parse(A, { spaTypes: failed('', 'Access denied'), spaTypeByEntityTypeId: all }).spaDetails).toEqual({
      status: 'unavailable',
      reason: 'crm.type.list: Access denied; crm.type.getByEntityTypeId: ERROR_METHOD_NOT_FOUND — Method not found!',
    });
  });

  it('a portal without SPAs loses nothing when crm.type.list is denied', () => {
    const noSpas = mutate((f) => {
      f.ownerTypes = f.ownerTypes.filter((t) => !String(t['SYMBOL_CODE']).startsWith('DYNAMIC_'));
    });
    expect(parse(noSpas, { spaTypes: DENIED }).spaDetails).toEqual({ status: 'ok', data: [] });
  });

  it('a crm.category.list that fails for a type lists none of its pipelines', () => {
    const model = parse(A, { categories: { '177': DENIED } });
    expect(pipelinesOf(model, 177).map((p) => [p.categoryId, p.readable, p.name, p.isDefault])).toEqual([
      [7, false, 'General', true],
      [9, false, 'Second pipeline', false],
    ]);
    expect(model.notices[0]).toContain('crm.category.list (crm.category.list (entityTypeId 177): ACCESS_DENIED — Access denied) does not list pipeline 7');
  });
});

describe('parsePortal: an old core', () => {
  const old = mutate((f) => {
    for (const e of f.statusTypes) {
      delete e['CATEGORY_NAME'];
      delete e['CATEGORY_SORT'];
      delete e['IS_DEFAULT_CATEGORY'];
      delete e['PREFIX'];
    }
  });

  it('without CATEGORY_NAME or PREFIX gives the same model, names from crm.category.list', () => {
    expect(serializeSnapshot(parse(old))).toBe(serializeSnapshot(parse()));
  });

  it('without crm.category.list for an SPA: no name, and the lowest ID taken as default with a notice', () => {
    const fixture = mutate((f) => {
      for (const e of f.statusTypes) {
        delete e['CATEGORY_NAME'];
        delete e['IS_DEFAULT_CATEGORY'];
      }
      delete f.categories['177'];
    });
    const model = parse(fixture);
    expect(pipelinesOf(model, 177).map((p) => [p.categoryId, p.name, p.isDefault, p.readable])).toEqual([
      [7, undefined, true, true],
      [9, undefined, false, true],
    ]);
    expect(model.notices).toEqual([
      'The portal does not say which pipeline of smart process 177 ("Equipment Purchase") is the default ' +
        "(the webhook's user cannot read it): taking pipeline 7, the lowest ID.",
    ]);
  });
});

describe('parsePortal: empty members sent as []', () => {
  it('an empty dictionary, an empty category list and SEMANTIC_INFO [] are fine', () => {
    const model = parse(A, { statuses: { DYNAMIC_1032_STAGE_57: ok([]) }, categories: { '3': ok([]) } });
    expect(pipeline(model, 1032, 57).stages).toEqual([]);
    expect(() => typeOf(model, 3)).toThrow('no stages for 3');
  });
});

describe('parsePortal: notices for what does not fit, with the module unchanged', () => {
  const expectedTypes = () => {
    const model = parse();
    return model.pipelines;
  };

  it('rows of dictionaries crm.status.entity.types does not list are ignored, once', () => {
    const fixture = mutate((f) => {
      f.statusList.push({ ...f.statusList[0], ID: '9001', ENTITY_ID: 'EVENT_TYPE', STATUS_ID: 'INFO' });
      f.statusList.push({ ...f.statusList[0], ID: '9002', ENTITY_ID: 'DEAL_STAGE_77', STATUS_ID: 'C77:NEW' });
    });
    const model = parse(fixture, { filter: 'ignore' });
    expect(model.pipelines).toEqual(expectedTypes());
    expect(model.notices).toEqual([
      'crm.status.list answered rows of dictionaries that crm.status.entity.types does not list ("DEAL_STAGE_77", "EVENT_TYPE"): they are ignored.',
    ]);
  });

  it('stage dictionaries of an entity type crm.enum.ownertype does not list are left out', () => {
    const fixture = mutate((f) => {
      f.statusTypes.push({ ...entry(f, 'DYNAMIC_1032_STAGE_57'), ID: 'DYNAMIC_200_STAGE_3', ENTITY_TYPE_ID: 200, CATEGORY_ID: 3, PREFIX: 'DT200_3' });
    });
    const model = parse(fixture);
    expect(model.pipelines).toEqual(expectedTypes());
    expect(model.notices).toEqual([
      'crm.status.entity.types lists stage dictionaries of entity type 200 ("DYNAMIC_200_STAGE_3"), which crm.enum.ownertype does not list: they are left out.',
    ]);
  });

  it('a pipeline crm.category.list lists but the dictionaries do not is left out', () => {
    const fixture = mutate((f) => {
      f.categories['177']?.categories.push({ id: 88, name: 'Ghost', sort: 900, entityTypeId: 177, isDefault: 'N' });
    });
    const model = parse(fixture);
    expect(pipelinesOf(model, 177).map((p) => p.categoryId)).toEqual([7, 9]);
    expect(model.notices).toEqual([
      'crm.category.list lists pipeline 88 of smart process 177 ("Equipment Purchase"), which crm.status.entity.types does not: left out, as the dictionaries are the authority.',
    ]);
  });

  it('an SPA without any dictionary is named in a notice', () => {
    const fixture = mutate((f) => {
      f.statusTypes = f.statusTypes.filter((e) => e['ENTITY_TYPE_ID'] !== 1034);
    });
    expect(parse(fixture).notices).toEqual([
      'crm.status.entity.types lists no pipeline of smart process 1034 ("Закупка оборудования"): the module has none for it.',
    ]);
  });

  it('a pipeline dictionary of a type newer than this code is read from its fields', () => {
    const fixture = mutate((f) => {
      f.ownerTypes.push({ ID: 40, NAME: 'Future', SYMBOL_CODE: 'SMART_FUTURE', SYMBOL_CODE_SHORT: 'SF' });
      f.statusTypes.push({ ID: 'SMART_FUTURE_STAGE_70', NAME: 'x', PREFIX: 'DT40_70', ENTITY_TYPE_ID: 40, CATEGORY_ID: 70 });
      f.statusList.push({ ID: '9100', ENTITY_ID: 'SMART_FUTURE_STAGE_70', STATUS_ID: 'DT40_70:NEW', NAME: 'New', SORT: '10', SEMANTICS: null });
      f.statusTypes.push({ ID: 'SOMETHING_ELSE', NAME: 'not stages', ENTITY_TYPE_ID: 2 });
    });
    const model = parse(fixture);
    expect(pipelinesOf(model, 40)).toEqual([
      {
        categoryId: 70, name: undefined, sort: 0, isDefault: true, readable: true, statusEntityId: 'SMART_FUTURE_STAGE_70',
        stages: [{ statusId: 'DT40_70:NEW', code: 'NEW', name: 'New', sort: 10, rowId: 9100, semantics: 'process' }],
      },
    ]);
    expect(pipelinesOf(model, 2).map((p) => p.categoryId)).toEqual([0, 3, 9]);
  });
});

describe('parsePortal: the documented answers, verbatim', () => {
  it('reads the docs’ dictionaries, deal rows and categories; mismatches between the pages are notices', () => {
    const raw: RawPortal = {
      host: undefined,
      ownerTypes: seed.result,
      pipelines: {
        statusTypes: ok(documented['crm.status.entity.types']?.result),
        statuses: {
          STATUS: ok([]),
          SMART_INVOICE_STAGE_5: ok([]),
          DEAL_STAGE_1: ok([]),
          DEAL_STAGE: ok(documented['crm.status.list']?.result),
          QUOTE_STATUS: ok([]),
          SMART_DOCUMENT_STAGE_13: ok([]),
          // The docs show the rows of another pipeline: they must not be taken for this one.
          DYNAMIC_177_STAGE_7: ok(documented['crm.status.list?filter[ENTITY_ID]=DYNAMIC_177_STAGE_87']?.result),
        },
        categories: { '2': ok(documented['crm.category.list?entityTypeId=2']?.result) },
        spaTypes: ok(documented['crm.type.list']?.result),
      },
    };
    const model = parsePortal(raw);
    expect(pipeline(model, 2, 0)).toMatchObject({ name: 'General', sort: 300, isDefault: true, readable: true });
    expect(pipeline(model, 2, 0).stages.map((s) => [s.statusId, s.sort, s.rowId, s.semantics])).toEqual([
      ['NEW', 10, 101, 'process'],
      ['WON', 60, 111, 'success'],
      ['APOLOGY', 80, 115, 'failure'],
    ]);
    expect(pipeline(model, 2, 1)).toMatchObject({ readable: false, name: undefined, statusEntityId: 'DEAL_STAGE_1' });
    expect(pipeline(model, 177, 7)).toMatchObject({ name: 'General', sort: 500, isDefault: true, stages: [] });
    expect(pipeline(model, 31, 5).statusEntityId).toBe('SMART_INVOICE_STAGE_5');
    expect(model.spaDetails).toEqual({ status: 'ok', data: [] });
    expect(model.notices).toEqual([
      expect.stringContaining('does not list pipeline 1 (DEAL_STAGE_1) of DEAL (2)'),
      'crm.category.list lists pipelines 9, 10, 11 of DEAL (2), which crm.status.entity.types does not: left out, as the dictionaries are the authority.',
      expect.stringContaining('which pipeline of SMART_INVOICE (31) is the default'),
      expect.stringContaining('which pipeline of SMART_DOCUMENT (36) is the default'),
      expect.stringContaining('crm.status.entity.types lists no pipeline of smart process 156'),
      'crm.status.list answered rows of dictionaries that crm.status.entity.types does not list ("DYNAMIC_177_STAGE_87"): they are ignored.',
    ]);
  });

  it('reads the documented crm.type.list answer', () => {
    const raw = rawPortal(
      mutate((f) => f.ownerTypes.push({ ID: 1256, NAME: 'Smart Process #20', SYMBOL_CODE: 'DYNAMIC_1256', SYMBOL_CODE_SHORT: 'T4e8' })),
      { spaTypes: ok(documented['crm.type.list']?.result) },
    );
    const model = parsePortal(raw);
    expect(model.spaDetails).toEqual({ status: 'ok', data: [{ entityTypeId: 1256, typeId: 37, code: '' }] });
  });
});

describe('parsePortal: a portal that refuses the pipeline methods', () => {
  it('crm.status.entity.types denied: PipelinesRefusedError with the method, the code and the advice', () => {
    const error = errorOf(() => parse(A, { statusTypes: failed('', 'Access denied.') }));
    expect(error).toBeInstanceOf(PipelinesRefusedError);
    expect(error).toBeInstanceOf(PortalError);
    const refused = error as PipelinesRefusedError;
    expect(refused.method).toBe('crm.status.entity.types');
    expect(refused.error).toBe('');
    expect(refused.errorDescription).toBe('Access denied.');
    expect(refused.exitCode).toBe(3);
    expect(refused.message).toContain('The portal refused the pipeline and stage methods (crm.status.entity.types: Access denied.)');
    expect(refused.message).toContain('--no-pipelines');
    expect(refused.message).toContain('"pipelines": false');
  });

  it('every crm.status.list denied: the same', () => {
    const statuses = Object.fromEntries(A.statusTypes.map((e) => [e['ID'] as string, failed('ACCESS_DENIED', 'Access denied')]));
    const error = errorOf(() => parse(A, { statuses }));
    expect(error).toBeInstanceOf(PipelinesRefusedError);
    expect((error as PipelinesRefusedError).method).toBe('crm.status.list');
  });

  it('a failure that is not a refusal is a PortalError naming the method and dictionary, not the advice to grant access', () => {
    const internal = errorOf(() => parse(A, { statusTypes: failed('INTERNAL_SERVER_ERROR', 'Internal server error') }));
    expect(internal).toBeInstanceOf(PortalError);
    expect(internal).not.toBeInstanceOf(PipelinesRefusedError);
    expect(internal.message).toContain('crm.status.entity.types: INTERNAL_SERVER_ERROR — Internal server error');
    const one = errorOf(() => parse(A, { statuses: { DEAL_STAGE_3: DENIED } }));
    expect(one).not.toBeInstanceOf(PipelinesRefusedError);
    expect(one.message).toContain('crm.status.list (DEAL_STAGE_3): ACCESS_DENIED — Access denied');
  });

  it('without pipelines asked for, both sections say so and nothing is refused', () => {
    const model = parsePortal({ host: 'h', ownerTypes: A.ownerTypes });
    expect(model.pipelines).toEqual({ status: 'unavailable', reason: PIPELINES_NOT_READ });
    expect(model.spaDetails).toEqual({ status: 'unavailable', reason: PIPELINES_NOT_READ });
  });
});

describe('parsePortal: answers that cannot be right', () => {
  type Case = [string, (f: PortalFixture) => void, string, RawOptions?];
  const row = (f: PortalFixture, entityId: string, index: number) => rowsOf(f, entityId)[index] as Record<string, unknown>;
  const category = (f: PortalFixture, key: string, index: number) => f.categories[key]?.categories[index] as Record<string, unknown>;
  const spa = (f: PortalFixture, index: number) => f.spaTypes.types[index] as Record<string, unknown>;

  it.each<Case>([
    ['SORT not a number', (f) => (row(f, 'DEAL_STAGE_3', 4)['SORT'] = 'ten'), 'crm.status.list (DEAL_STAGE_3) row 4 ("C3:WON"): SORT must be an integer (or a string of its digits), got "ten".'],
    ['SORT a float', (f) => (row(f, 'DEAL_STAGE_3', 0)['SORT'] = 1.5), 'SORT must be an integer (or a string of its digits), got 1.5'],
    ['ID missing', (f) => delete row(f, 'STATUS', 1)['ID'], 'crm.status.list (STATUS) row 1 ("IN_PROCESS"): ID must be a positive integer (or a string of its digits), got nothing (the key is missing).'],
    ['STATUS_ID twice', (f) => (row(f, 'DEAL_STAGE_3', 5)['STATUS_ID'] = 'C3:NEW'), 'crm.status.list (DEAL_STAGE_3): rows 0 and 5 have the same STATUS_ID "C3:NEW".'],
    ['a row ID twice', (f) => (row(f, 'DEAL_STAGE_3', 5)['ID'] = row(f, 'DEAL_STAGE_3', 1)['ID']), 'crm.status.list (DEAL_STAGE_3): rows 1 and 5 have the same ID'],
    ['a STATUS_ID with nothing after the prefix', (f) => (row(f, 'DEAL_STAGE_3', 0)['STATUS_ID'] = 'C3:'), 'row 0 ("C3:"): STATUS_ID has nothing after the pipeline prefix'],
    ['an empty STATUS_ID', (f) => (row(f, 'STATUS', 0)['STATUS_ID'] = ''), 'crm.status.list (STATUS) row 0: STATUS_ID must be a non-empty string, got ""'],
    ['a NAME that is null', (f) => (row(f, 'DYNAMIC_177_STAGE_7', 2)['NAME'] = null), 'crm.status.list (DYNAMIC_177_STAGE_7) row 2 ("DT177_7:CLIENT"): NAME must be a string, got null'],
    ['a row without ENTITY_ID', () => undefined, 'crm.status.list (QUOTE_STATUS) row 0: ENTITY_ID must be a string', { statuses: { QUOTE_STATUS: ok([{ STATUS_ID: 'DRAFT' }]) } }],
    ['a row that is not an object', () => undefined, 'crm.status.list (STATUS) row 0: must be an object, got "NEW"', { statuses: { STATUS: ok(['NEW']) } }],
    ['rows not an array', () => undefined, 'crm.status.list (STATUS): the result must be an array of rows, got {"0":', { statuses: { STATUS: ok({ 0: {} }) } }],
    ['dictionaries not an array', () => undefined, 'crm.status.entity.types: the result must be an array, got null', { statusTypes: ok(null) }],
    ['a dictionary without ID', (f) => delete entry(f, 'QUOTE_STATUS')['ID'], 'crm.status.entity.types [12]: ID must be a non-empty string'],
    ['a dictionary twice', (f) => f.statusTypes.push({ ID: 'SOURCE' }), 'crm.status.entity.types: entries 1 and 21 have the same ID "SOURCE".'],
    ['ENTITY_TYPE_ID contradicting the ID', (f) => (entry(f, 'DYNAMIC_177_STAGE_9')['ENTITY_TYPE_ID'] = 178), 'crm.status.entity.types [18] ("DYNAMIC_177_STAGE_9"): ENTITY_TYPE_ID 178 contradicts the dictionary ID, which names entity type 177.'],
    ['CATEGORY_ID contradicting the ID', (f) => (entry(f, 'DEAL_STAGE_3')['CATEGORY_ID'] = '4'), 'CATEGORY_ID 4 contradicts the dictionary ID, which names pipeline 3'],
    ['CATEGORY_ID not a number', (f) => (entry(f, 'DEAL_STAGE_3')['CATEGORY_ID'] = 'three'), '("DEAL_STAGE_3"): CATEGORY_ID must be a non-negative integer (or a string of its digits), got "three"'],
    ['two dictionaries for one pipeline', (f) => f.statusTypes.push({ ID: 'DEAL_STAGE_0', ENTITY_TYPE_ID: 2, CATEGORY_ID: 0 }), '"DEAL_STAGE" and "DEAL_STAGE_0" are both the stages of pipeline 0 of entity type 2'],
    ['a type with and without pipelines', (f) => f.statusTypes.push({ ID: 'SMART_INVOICE_STAGE_X', ENTITY_TYPE_ID: 1, CATEGORY_ID: 4, PREFIX: 'L4' }), '"STATUS" and "SMART_INVOICE_STAGE_X" are stage dictionaries of entity type 1, one with pipelines and one without'],
    ['a category without a name', (f) => delete category(f, '2', 0)['name'], 'crm.category.list (entityTypeId 2) category 3: name must be a string, got nothing'],
    ['isDefault neither Y nor N', (f) => (category(f, '177', 1)['isDefault'] = 'maybe'), 'crm.category.list (entityTypeId 177) category 9: isDefault must be "Y" or "N", got "maybe"'],
    ['two default pipelines', (f) => (category(f, '177', 1)['isDefault'] = 'Y'), 'crm.category.list (entityTypeId 177): pipelines 7 and 9 are both flagged as the default.'],
    ['a category of another type', (f) => (category(f, '177', 1)['entityTypeId'] = 178), 'crm.category.list (entityTypeId 177) category 9: entityTypeId must be 177, got 178'],
    ['a category twice', (f) => f.categories['177']?.categories.push({ ...category(f, '177', 0) }), 'crm.category.list (entityTypeId 177): category 7 is listed twice'],
    ['categories not a list', () => undefined, 'crm.category.list (entityTypeId 177): expected {"categories": [...]}, got "x"', { categories: { '177': ok('x') } }],
    ['an SPA type without id', (f) => delete spa(f, 1)['id'], 'crm.type.list types[1] (entityTypeId 177): id must be a positive integer'],
    ['an SPA code that is a number', (f) => (spa(f, 2)['code'] = 5), 'crm.type.list types[2] (entityTypeId 1032): code must be a string, got 5'],
    ['an SPA twice', (f) => f.spaTypes.types.push({ ...spa(f, 0) }), 'crm.type.list: entityTypeId 156 is listed twice'],
    ['two SPAs with one row id', (f) => (spa(f, 1)['id'] = 3), 'crm.type.list: smart processes 156 and 177 have the same id 3'],
    ['types not a list', () => undefined, 'crm.type.list: expected {"types": [...]}, got 7', { spaTypes: ok(7) }],
    ['getByEntityTypeId about another type', () => undefined, 'crm.type.getByEntityTypeId (177): the answer is about entity type 1032', {
      spaTypes: DENIED, spaTypeByEntityTypeId: { '177': ok({ type: A.spaTypes.types[2] }) },
    }],
    ['getByEntityTypeId without type', () => undefined, 'crm.type.getByEntityTypeId (177): expected {"type": {...}}, got an empty array', {
      spaTypes: DENIED, spaTypeByEntityTypeId: { '177': ok([]) },
    }],
  ])('%s', (_, change, message, options) => {
    const error = errorOf(() => parse(mutate(change), options));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain(message);
  });

  it('an owner type list that is wrong is refused as parseOwnerTypes refuses it', () => {
    const error = errorOf(() => parse(mutate((f) => (f.ownerTypes[0] = { ID: 0 }))));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain('Invalid crm.enum.ownertype response: result[0]: ID must be a positive integer');
  });

  it('a dictionary missing from the statuses the source read is a defect, not a portal error', () => {
    const raw = rawPortal(A);
    const { STATUS: _, ...statuses } = raw.pipelines?.statuses ?? {};
    const error = errorOf(() => parsePortal({ ...raw, pipelines: { ...raw.pipelines!, statuses } }));
    expect(error).not.toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain('No crm.status.list answer for the stage dictionary STATUS');
  });
});

describe('parsePortal: bounds', () => {
  it.each<[string, NonNullable<ParsePortalOptions['limits']>, string]>([
    ['owner types', { ownerTypes: 5 }, 'Invalid crm.enum.ownertype response: too large: 14 owner types, more than 5.'],
    ['dictionaries', { dictionaries: 10 }, 'crm.status.entity.types: too large: 21 dictionaries, more than 10.'],
    ['rows in one answer', { rowsPerAnswer: 8 }, 'crm.status.list (DEAL_STAGE): too large: 9 rows, more than 8.'],
    ['stages in one pipeline', { stagesPerPipeline: 6 }, 'crm.status.list (STATUS): too large: 7 stages, more than 6.'],
    ['stages of the portal', { stages: 20 }, 'crm.status.list: too large: 22 stages, more than 20.'],
    ['pipelines of one type', { pipelinesPerType: 2 }, 'crm.status.entity.types (entity type 2): too large: 3 pipelines, more than 2.'],
    ['a name', { nameLength: 12 }, 'NAME is too long: 21 characters, more than 12'],
    ['a code', { codeLength: 12 }, 'is too long'],
  ])('%s', (_, limits, message) => {
    const error = errorOf(() => parse(A, {}, { limits }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain(message);
  });

  it('a giant answer fails fast with a short message, under the default limits', () => {
    const huge = 'Ж\n'.repeat(1_000_000);
    for (const change of [
      (f: PortalFixture) => ((rowsOf(f, 'STATUS')[0] as Record<string, unknown>)['NAME'] = huge),
      (f: PortalFixture) => ((rowsOf(f, 'STATUS')[0] as Record<string, unknown>)['STATUS_ID'] = huge),
      (f: PortalFixture) => ((f.categories['2']?.categories[0] as Record<string, unknown>)['name'] = huge),
      (f: PortalFixture) => ((f.ownerTypes[13] as Record<string, unknown>)['NAME'] = huge),
      (f: PortalFixture) => f.statusList.push(...Array.from({ length: 1_001 }, (_, i) => ({ ID: String(20_000 + i), ENTITY_ID: 'STATUS', STATUS_ID: `S${i}`, NAME: 'x', SORT: '1' }))),
    ]) {
      const error = errorOf(() => parse(mutate(change)));
      expect(error).toBeInstanceOf(InvalidResponseError);
      expect(error.message.length).toBeLessThan(300);
      expect(error.message).not.toContain('\n');
    }
  });
});
