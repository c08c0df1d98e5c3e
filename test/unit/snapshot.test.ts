import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidResponseError } from '../../src/shared/errors.js';
import type { OwnerType, OwnerTypeModel } from '../../src/model/owner-types.js';
import { parseOwnerTypes } from '../../src/model/parse-owner-types.js';
import { isSnapshot, serializeSnapshot, SNAPSHOT_FORMAT, SNAPSHOT_FORMAT_V1 } from '../../src/model/snapshot.js';

const seed: unknown = JSON.parse(readFileSync(new URL('../fixtures/seed-response.json', import.meta.url), 'utf8'));

const small: OwnerTypeModel = {
  portal: 'example.bitrix24.com',
  types: [
    { id: 1, name: 'Lead', symbolCode: 'LEAD', shortCode: 'L', isSpa: false },
    { id: 177, name: 'Закупка "оборудования"\n', symbolCode: 'DYNAMIC_177', shortCode: 'Tb1', isSpa: true },
  ],
};

// Format 1 (owner types only): still written for an OwnerTypeModel, and read. Format 2: portal-snapshot.test.ts.
describe('serializeSnapshot of an OwnerTypeModel (format 1)', () => {
  it('writes pretty, deterministic JSON with a trailing newline', () => {
    expect(serializeSnapshot(small)).toBe(
      [
        '{',
        '  "snapshot": "gen-ownertypes/crm.enum.ownertype@1",',
        '  "portal": "example.bitrix24.com",',
        '  "result": [',
        '    {',
        '      "ID": 1,',
        '      "NAME": "Lead",',
        '      "SYMBOL_CODE": "LEAD",',
        '      "SYMBOL_CODE_SHORT": "L"',
        '    },',
        '    {',
        '      "ID": 177,',
        '      "NAME": "Закупка \\"оборудования\\"\\n",',
        '      "SYMBOL_CODE": "DYNAMIC_177",',
        '      "SYMBOL_CODE_SHORT": "Tb1"',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('omits the portal when it is unknown', () => {
    const json = JSON.parse(serializeSnapshot({ ...small, portal: undefined })) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['snapshot', 'result']);
  });

  it('sorts by ID even when handed an unsorted model', () => {
    const json = JSON.parse(serializeSnapshot({ ...small, types: [...small.types].reverse() })) as {
      result: { ID: number }[];
    };
    expect(json.result.map((r) => r.ID)).toEqual([1, 177]);
  });

  it('drops time and every key it does not know, and writes IDs as numbers', () => {
    const text = serializeSnapshot(parseOwnerTypes(seed, { portal: 'example.bitrix24.com' }));
    expect(text).not.toContain('time');
    expect(text).not.toContain('"ID": "');
    const json = JSON.parse(text) as { result: Record<string, unknown>[] };
    expect(Object.keys(json)).toEqual(['snapshot', 'portal', 'result']);
    for (const entry of json.result)
      expect(Object.keys(entry)).toEqual(['ID', 'NAME', 'SYMBOL_CODE', 'SYMBOL_CODE_SHORT']);
    expect(json.result.map((r) => r['ID'])).toEqual([1, 2, 3, 4, 5, 7, 8, 31, 36, 39, 156, 177]);
  });

  it('gives the same bytes for any order of the response', () => {
    const result = (seed as { result: unknown[] }).result;
    const reversed = parseOwnerTypes({ result: [...result].reverse() }, { portal: 'p' });
    expect(serializeSnapshot(reversed)).toBe(serializeSnapshot(parseOwnerTypes(seed, { portal: 'p' })));
  });
});

describe('reading a format-1 snapshot back', () => {
  it('round-trips the seed', () => {
    const model = parseOwnerTypes(seed, { portal: 'example.bitrix24.com' });
    expect(parseOwnerTypes(JSON.parse(serializeSnapshot(model)))).toEqual(model);
  });

  it('round-trips any model', () => {
    const entry = fc.record({
      id: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      isSpa: fc.boolean(),
      name: fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })),
      symbolCode: fc.string({ minLength: 1, unit: 'binary' }),
      shortCode: fc.string(),
    });
    const modelArb = fc
      .record({
        portal: fc.option(fc.string(), { nil: undefined }),
        entries: fc.uniqueArray(entry, { selector: (e) => e.id, minLength: 1, maxLength: 12 }),
      })
      .map(({ portal, entries }): OwnerTypeModel => {
        // Codes made unique by their ID, as the parser demands; `#` keeps a system code from looking like DYNAMIC_<n>.
        const types: OwnerType[] = entries.map(({ id, isSpa, name, symbolCode, shortCode }) => ({
          id,
          name,
          symbolCode: isSpa ? `DYNAMIC_${id}` : `${symbolCode}#${id}`,
          shortCode: shortCode && `${shortCode}#${id}`,
          isSpa,
        }));
        return { portal, types: types.sort((a, b) => a.id - b.id) };
      });
    fc.assert(
      fc.property(modelArb, (model) => {
        expect(parseOwnerTypes(JSON.parse(serializeSnapshot(model)))).toEqual(model);
      }),
      { numRuns: 200 },
    );
  });

  it("prefers the snapshot's portal and falls back to the one given", () => {
    const withPortal = JSON.parse(serializeSnapshot(small)) as unknown;
    const withoutPortal = JSON.parse(serializeSnapshot({ ...small, portal: undefined })) as unknown;
    expect(parseOwnerTypes(withPortal, { portal: 'other.example' }).portal).toBe('example.bitrix24.com');
    expect(parseOwnerTypes(withoutPortal, { portal: 'other.example' }).portal).toBe('other.example');
    expect(parseOwnerTypes(withoutPortal).portal).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    [
      'a newer format',
      { snapshot: 'gen-ownertypes/portal@3', result: [] },
      'Unsupported snapshot format "gen-ownertypes/portal@3": this version of gen-ownertypes reads "gen-ownertypes/portal@2" and "gen-ownertypes/crm.enum.ownertype@1"',
    ],
    [
      'a format of ours that never was',
      { snapshot: 'gen-ownertypes/crm.enum.ownertype@2', result: [] },
      'Unsupported snapshot format "gen-ownertypes/crm.enum.ownertype@2"',
    ],
    ['a foreign marker', { snapshot: 'other-tool@1', result: [] }, 'Unknown snapshot format "other-tool@1"'],
    ['a non-string marker', { snapshot: 1, result: [] }, 'Unknown snapshot format 1'],
    [
      'a non-string portal',
      { snapshot: SNAPSHOT_FORMAT_V1, portal: 42, result: [] },
      'Invalid gen-ownertypes snapshot: "portal" must be a string, got 42',
    ],
    [
      'a snapshot without result',
      { snapshot: SNAPSHOT_FORMAT_V1 },
      'Invalid gen-ownertypes snapshot: got an object without "result" (keys: ["snapshot"])',
    ],
    [
      'a format-2 snapshot without owner types',
      { snapshot: SNAPSHOT_FORMAT, result: [] },
      'Invalid gen-ownertypes snapshot: got an object without "ownerTypes" (keys: ["snapshot","result"])',
    ],
    [
      'a snapshot with a bad item',
      { snapshot: SNAPSHOT_FORMAT_V1, result: [{ ID: 1, NAME: 'Lead', SYMBOL_CODE: null, SYMBOL_CODE_SHORT: 'L' }] },
      'Invalid gen-ownertypes snapshot: result[0] (ID 1): SYMBOL_CODE must be a non-empty string, got null',
    ],
  ])('refuses %s', (_, json, fragment) => {
    expect(() => parseOwnerTypes(json)).toThrow(InvalidResponseError);
    expect(() => parseOwnerTypes(json)).toThrow(fragment);
  });
});

describe('isSnapshot', () => {
  it.each<[string, unknown, boolean]>([
    ['a snapshot', JSON.parse(serializeSnapshot(small)), true],
    ['a snapshot of an unknown version', { snapshot: 'gen-ownertypes/crm.enum.ownertype@9', result: [] }, true],
    ['a raw response', seed, false],
    ['an array', [{ snapshot: SNAPSHOT_FORMAT }], false],
    ['null', null, false],
    ['a string', SNAPSHOT_FORMAT, false],
    ['an inherited key', Object.create({ snapshot: SNAPSHOT_FORMAT }) as unknown, false],
  ])('%s: %s', (_, json, expected) => {
    expect(isSnapshot(json)).toBe(expected);
  });
});
