import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePortal } from '../../src/model/parse-portal.js';
import { parseOwnerTypes } from '../../src/model/parse-owner-types.js';
import type { Pipeline, PortalModel, Section, Stage, StageSemantics } from '../../src/model/portal.js';
import {
  OWNER_TYPES_ONLY,
  parsePortalInput,
  serializeSnapshot,
  SNAPSHOT_FORMAT,
  SNAPSHOT_FORMAT_V1,
} from '../../src/model/snapshot.js';
import { InvalidResponseError } from '../../src/shared/errors.js';
import { failed, loadFixture, ok, rawPortal } from './pipelines-fixture.js';

const A = loadFixture('portal-a.json');
const seed = loadFixture('../seed-response.json') as unknown as { result: unknown[] };
const DENIED = failed('ACCESS_DENIED', 'Access denied');

const admin = parsePortal(rawPortal(A));
const nonAdmin = parsePortal(
  rawPortal(
    (() => {
      const f = structuredClone(A);
      const deal = f.categories['2'];
      if (deal) deal.categories = deal.categories.filter((c) => c['id'] !== 9);
      return f;
    })(),
    { spaTypes: DENIED, spaTypeByEntityTypeId: { '177': ok({ type: A.spaTypes.types[1] }), '1034': DENIED } },
  ),
);
const noPipelines = parsePortal({ host: undefined, ownerTypes: A.ownerTypes });

const roundTrip = (model: PortalModel) => parsePortalInput(JSON.parse(serializeSnapshot(model)));

describe('snapshot format 2', () => {
  it.each([
    ['an admin portal', admin],
    ['a non-admin portal (unreadable pipeline, partial SPA details, notices)', nonAdmin],
    ['a run without pipelines', noPipelines],
  ])('round-trips %s exactly', (_, model) => {
    expect(roundTrip(model)).toEqual(model);
    expect(serializeSnapshot(roundTrip(model))).toBe(serializeSnapshot(model));
  });

  it('is marked generically, holds no time, and no key that is not the model', () => {
    const text = serializeSnapshot(admin);
    const json = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['snapshot', 'host', 'ownerTypes', 'pipelines', 'spaDetails', 'notices']);
    expect(json['snapshot']).toBe('gen-ownertypes/portal@2');
    expect(text).not.toContain('"time"');
    expect(text).not.toContain('EXTRA');
    expect(text).not.toContain('COLOR');
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('writes the same bytes for a model handed over unsorted', () => {
    const reversed = (model: PortalModel): PortalModel => ({
      ...model,
      ownerTypes: [...model.ownerTypes].reverse(),
      pipelines:
        model.pipelines.status === 'ok'
          ? {
              status: 'ok',
              data: {
                types: [...model.pipelines.data.types].reverse().map((type) =>
                  type.kind === 'stages'
                    ? { ...type, stages: [...type.stages].reverse() }
                    : { ...type, pipelines: [...type.pipelines].reverse().map((p) => ({ ...p, stages: [...p.stages].reverse() })) },
                ),
              },
            }
          : model.pipelines,
      spaDetails: model.spaDetails.status === 'ok' ? { status: 'ok', data: [...model.spaDetails.data].reverse() } : model.spaDetails,
    });
    expect(serializeSnapshot(reversed(admin))).toBe(serializeSnapshot(admin));
  });

  it('round-trips any model', () => {
    const semantics = fc.constantFrom<StageSemantics>('process', 'success', 'failure');
    const stagesArb = (prefix: string) =>
      fc
        .array(fc.record({ code: fc.string({ minLength: 1, maxLength: 8 }), name: fc.string(), sort: fc.integer({ min: -5, max: 5 }), semantics }), { maxLength: 6 })
        .map((rows) =>
          rows
            .map((row, i): Stage => {
              const code = `${row.code}#${i}`;
              return { statusId: prefix === '' ? code : `${prefix}:${code}`, code, name: row.name, sort: row.sort, rowId: 1000 + i, semantics: row.semantics };
            })
            .sort((a, b) => a.sort - b.sort || a.rowId - b.rowId),
        );
    const pipelinesArb = (entityTypeId: number) =>
      fc
        .uniqueArray(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 4 })
        .chain((ids) =>
          fc.tuple(
            fc.constant([...ids].sort((a, b) => a - b)),
            fc.nat({ max: ids.length - 1 }),
            fc.array(fc.record({ name: fc.option(fc.string(), { nil: undefined }), sort: fc.integer(), readable: fc.boolean() }), { minLength: ids.length, maxLength: ids.length }),
            fc.tuple(...ids.map((id) => stagesArb(`DT${entityTypeId}_${id}`))),
          ),
        )
        .map(([ids, defaultIndex, extras, stages]): Pipeline[] =>
          ids.map((categoryId, i) => ({
            categoryId,
            name: extras[i]?.name,
            sort: extras[i]?.sort ?? 0,
            isDefault: i === defaultIndex,
            readable: extras[i]?.readable ?? true,
            statusEntityId: `DYNAMIC_${entityTypeId}_STAGE_${categoryId}`,
            stages: stages[i] ?? [],
          })),
        );
    const reason = fc.string({ minLength: 1, maxLength: 40 });
    const section = <T>(data: fc.Arbitrary<T>): fc.Arbitrary<Section<T>> =>
      fc.oneof(data.map((d) => ({ status: 'ok' as const, data: d })), reason.map((r) => ({ status: 'unavailable' as const, reason: r })));
    const modelArb = fc
      .record({
        host: fc.option(fc.string(), { nil: undefined }),
        leadName: fc.string(),
        spaName: fc.string(),
        lead: stagesArb(''),
        spa: pipelinesArb(177),
        details: fc.record({ typeId: fc.integer({ min: 1, max: 99 }), code: fc.string() }),
        withLead: fc.boolean(),
        pipelines: fc.boolean(),
        spaDetails: section(fc.boolean()),
        notices: fc.array(fc.string(), { maxLength: 3 }),
      })
      .map((r): PortalModel => ({
        host: r.host,
        ownerTypes: [
          { id: 1, name: r.leadName, symbolCode: 'LEAD', shortCode: 'L', isSpa: false },
          { id: 177, name: r.spaName, symbolCode: 'DYNAMIC_177', shortCode: 'Tb1', isSpa: true },
        ],
        pipelines: r.pipelines
          ? {
              status: 'ok',
              data: {
                types: [
                  ...(r.withLead ? [{ kind: 'stages' as const, entityTypeId: 1, statusEntityId: 'STATUS', stages: r.lead }] : []),
                  { kind: 'pipelines' as const, entityTypeId: 177, pipelines: r.spa },
                ],
              },
            }
          : { status: 'unavailable', reason: 'not read' },
        spaDetails:
          r.spaDetails.status === 'ok'
            ? { status: 'ok', data: r.spaDetails.data ? [{ entityTypeId: 177, ...r.details }] : [] }
            : r.spaDetails,
        notices: r.notices,
      }));
    fc.assert(
      fc.property(modelArb, (model) => {
        expect(roundTrip(model)).toEqual(model);
      }),
      { numRuns: 200 },
    );
  });
});

describe('parsePortalInput: the older forms', () => {
  it('a format-1 snapshot gives its owner types, pipelines unavailable', () => {
    const v1 = serializeSnapshot(parseOwnerTypes(seed, { portal: 'example.bitrix24.com' }));
    expect(JSON.parse(v1)).toMatchObject({ snapshot: SNAPSHOT_FORMAT_V1 });
    const model = parsePortalInput(JSON.parse(v1), { host: 'other.example' });
    expect(model.host).toBe('example.bitrix24.com');
    expect(model.ownerTypes).toEqual(parseOwnerTypes(seed).types);
    expect(model.pipelines).toEqual({ status: 'unavailable', reason: OWNER_TYPES_ONLY });
    expect(model.spaDetails).toEqual({ status: 'unavailable', reason: 'the input holds owner types only' });
    expect(model.notices).toEqual([]);
  });

  it('a raw crm.enum.ownertype response gives the same, with the host given', () => {
    const model = parsePortalInput(seed, { host: 'portal.example:8443' });
    expect(model.host).toBe('portal.example:8443');
    expect(model.ownerTypes.map((t) => t.id)).toEqual([1, 2, 3, 4, 5, 7, 8, 31, 36, 39, 156, 177]);
    expect(model.pipelines).toEqual({ status: 'unavailable', reason: OWNER_TYPES_ONLY });
  });

  it('parseOwnerTypes reads the owner types of a format-2 snapshot too', () => {
    const model = parseOwnerTypes(JSON.parse(serializeSnapshot(admin)));
    expect(model).toEqual({ portal: admin.host, types: admin.ownerTypes });
  });
});

describe('parsePortalInput: refusals', () => {
  const base = (): Record<string, unknown> => JSON.parse(serializeSnapshot(admin)) as Record<string, unknown>;
  type Json = Record<string, any>;
  const deal = (json: Json) => json['pipelines']['types'][1] as Json;

  it.each<[string, (json: Json) => unknown, string]>([
    ['an unknown version of ours', (j) => (j['snapshot'] = 'gen-ownertypes/portal@3'), 'Unsupported snapshot format "gen-ownertypes/portal@3": this version of gen-ownertypes reads "gen-ownertypes/portal@2" and "gen-ownertypes/crm.enum.ownertype@1". Upgrade gen-ownertypes'],
    ['a foreign marker', (j) => (j['snapshot'] = 'kysely-codegen@1'), 'Unknown snapshot format "kysely-codegen@1"'],
    ['a host that is not a string', (j) => (j['host'] = 5), 'Invalid gen-ownertypes snapshot: "host" must be a string, got 5'],
    ['a section without status', (j) => (j['pipelines'] = {}), 'Invalid gen-ownertypes snapshot: pipelines: status must be "ok" or "unavailable", got nothing'],
    ['an unavailable section without a reason', (j) => (j['spaDetails'] = { status: 'unavailable' }), 'Invalid gen-ownertypes snapshot: spaDetails: reason must be a non-empty string'],
    ['a missing section', (j) => delete j['spaDetails'], 'Invalid gen-ownertypes snapshot: spaDetails: must be an object, got nothing'],
    ['notices that are not strings', (j) => (j['notices'] = [1]), '"notices" must be an array of strings, got [1]'],
    ['a type that is not an owner type', (j) => (deal(j)['entityTypeId'] = 99), 'pipelines.types[1]: entity type 99 is not among the owner types'],
    ['a type twice', (j) => (j['pipelines']['types'][2]['entityTypeId'] = 2), 'pipelines.types[2]: entity type 2 is listed twice'],
    ['an unknown kind', (j) => (deal(j)['kind'] = 'funnels'), 'pipelines.types[1]: kind must be "stages" or "pipelines", got "funnels"'],
    ['two defaults', (j) => (deal(j)['pipelines'][1]['isDefault'] = true), 'pipelines.types[1]: exactly one pipeline must be the default, found 2'],
    ['no pipelines', (j) => (deal(j)['pipelines'] = []), 'pipelines.types[1]: pipelines is empty'],
    ['a category twice', (j) => (deal(j)['pipelines'][1]['categoryId'] = 0), 'pipelines.types[1].pipelines[1]: category 0 is listed twice'],
    ['a dictionary twice', (j) => (deal(j)['pipelines'][1]['statusEntityId'] = 'DEAL_STAGE'), 'the stage dictionary "DEAL_STAGE" appears twice'],
    ['a readable flag that is a string', (j) => (deal(j)['pipelines'][0]['readable'] = 'Y'), 'pipelines.types[1].pipelines[0]: readable must be true or false, got "Y"'],
    ['a stage twice', (j) => (deal(j)['pipelines'][0]['stages'][1]['statusId'] = 'NEW'), 'pipelines.types[1].pipelines[0].stages[1]: the stage "NEW" appears twice'],
    ['a code that is not the end of the ID', (j) => (deal(j)['pipelines'][1]['stages'][0]['code'] = 'OLD'), 'code "OLD" is not the end of "C3:NEW"'],
    ['unknown semantics', (j) => (deal(j)['pipelines'][0]['stages'][0]['semantics'] = 'S'), 'semantics must be "process", "success" or "failure", got "S"'],
    ['stages without a dictionary', (j) => delete j['pipelines']['types'][2]['pipelines'][0]['stages'], 'pipelines.types[2].pipelines[0]: stages must be an array'],
    ['SPA details of a system type', (j) => (j['spaDetails']['types'][0]['entityTypeId'] = 2), 'spaDetails.types[0]: entity type 2 is not a smart process'],
    ['two SPAs with one row ID', (j) => (j['spaDetails']['types'][1]['typeId'] = 3), 'spaDetails.types[1]: typeId 3 appears twice'],
    ['a giant stage name', (j) => (deal(j)['pipelines'][0]['stages'][0]['name'] = 'x'.repeat(5000)), 'name is too long: 5000 characters, more than 1000'],
  ])('%s', (_, change, message) => {
    const json = base();
    change(json);
    let error: unknown;
    try {
      parsePortalInput(json);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toContain(message);
  });

  it('the format constants are what the files say', () => {
    expect(SNAPSHOT_FORMAT).toBe('gen-ownertypes/portal@2');
    expect(SNAPSHOT_FORMAT_V1).toBe('gen-ownertypes/crm.enum.ownertype@1');
  });
});
