import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidResponseError } from '../../src/shared/errors.js';
import { parseOwnerTypes } from '../../src/model/parse-owner-types.js';

const seed: unknown = JSON.parse(readFileSync(new URL('../fixtures/seed-response.json', import.meta.url), 'utf8'));

function item(ID: unknown, NAME: unknown, SYMBOL_CODE: unknown, SYMBOL_CODE_SHORT: unknown): Record<string, unknown> {
  return { ID, NAME, SYMBOL_CODE, SYMBOL_CODE_SHORT };
}

const lead = item(1, 'Lead', 'LEAD', 'L');
const deal = item(2, 'Deal', 'DEAL', 'D');
const contact = item(3, 'Contact', 'CONTACT', 'C');

function response(...result: unknown[]): unknown {
  return { result, time: { start: 1 } };
}

function parseError(json: unknown): InvalidResponseError {
  try {
    parseOwnerTypes(json);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidResponseError);
    return error as InvalidResponseError;
  }
  throw new Error('parseOwnerTypes accepted the input');
}

describe('parseOwnerTypes: valid input', () => {
  it('reads the documented sample, sorted by ID', () => {
    const model = parseOwnerTypes(seed, { portal: 'example.bitrix24.com' });
    expect(model.portal).toBe('example.bitrix24.com');
    expect(model.types.map((t) => t.id)).toEqual([1, 2, 3, 4, 5, 7, 8, 31, 36, 39, 156, 177]);
    expect(model.types.filter((t) => t.isSpa).map((t) => t.symbolCode)).toEqual(['DYNAMIC_156', 'DYNAMIC_177']);
    expect(model.types.find((t) => t.id === 5)).toEqual({
      id: 5,
      name: 'Invoice (old version)',
      symbolCode: 'INVOICE',
      shortCode: 'I',
      isSpa: false,
    });
    expect(model.types.find((t) => t.id === 177)).toEqual({
      id: 177,
      name: 'Equipment Purchase',
      symbolCode: 'DYNAMIC_177',
      shortCode: 'Tb1',
      isSpa: true,
    });
  });

  it('leaves the portal unknown when neither the JSON nor the options name one', () => {
    expect(parseOwnerTypes(seed).portal).toBeUndefined();
  });

  it('accepts IDs sent as strings of digits', () => {
    const model = parseOwnerTypes(response(item('177', 'X', 'DYNAMIC_177', 'Tb1'), item('2', 'Deal', 'DEAL', 'D')));
    expect(model.types.map((t) => t.id)).toEqual([2, 177]);
  });

  it('accepts the largest int32 ID', () => {
    const model = parseOwnerTypes(response(item(2 ** 31 - 1, 'X', 'X', '')));
    expect(model.types[0]?.id).toBe(2147483647);
  });

  it('sorts numerically, never as text', () => {
    const model = parseOwnerTypes(
      response(
        item(1030, 'a', 'DYNAMIC_1030', 'T406'),
        item(177, 'b', 'DYNAMIC_177', 'Tb1'),
        deal,
        item(1000, 'c', 'C', 'CC'),
      ),
    );
    expect(model.types.map((t) => t.id)).toEqual([2, 177, 1000, 1030]);
  });

  it('keeps NAME verbatim and allows an empty NAME and empty short codes', () => {
    const name = '  Spaced\tout\n «Title» \u200b ';
    const model = parseOwnerTypes(response(item(130, name, 'DYNAMIC_130', ''), item(131, '', 'DYNAMIC_131', '')));
    expect(model.types.map((t) => t.name)).toEqual([name, '']);
    expect(model.types.map((t) => t.shortCode)).toEqual(['', '']);
  });

  it('ignores extra keys on items and at the top level', () => {
    const model = parseOwnerTypes({ result: [{ ...lead, EXTRA: { deep: true } }], total: 1, next: 50 });
    expect(model.types).toEqual([{ id: 1, name: 'Lead', symbolCode: 'LEAD', shortCode: 'L', isSpa: false }]);
  });

  it.each([
    ['DYNAMIC_177', true],
    ['DYNAMIC_1030', true],
    ['DYNAMIC_', false],
    ['DYNAMIC_X', false],
    ['DYNAMIC_17a', false],
    ['XDYNAMIC_1', false],
    ['dynamic_177', false],
    ['SMART_INVOICE', false],
  ])('%s is an SPA: %s', (code, isSpa) => {
    expect(parseOwnerTypes(response(item(200, 'x', code, 'T'))).types[0]?.isSpa).toBe(isSpa);
  });

  it('gives the same model for any order of the response', () => {
    const items = (seed as { result: unknown[] }).result;
    fc.assert(
      fc.property(fc.shuffledSubarray(items, { minLength: items.length }), (shuffled) => {
        expect(parseOwnerTypes({ result: shuffled })).toEqual(parseOwnerTypes(seed));
      }),
    );
  });
});

describe('parseOwnerTypes: rejections', () => {
  const withItemAt3 = (bad: unknown) => response(lead, deal, contact, bad);

  it.each<[string, unknown, string]>([
    [
      'a bare array',
      [lead],
      'Expected a crm.enum.ownertype response ({"result": [...]}) or a file written by --snapshot, got a bare array',
    ],
    ['null', null, 'got null.'],
    ['a string', 'result', 'got "result".'],
    ['a number', 42, 'got 42.'],
    ['an empty object', {}, 'got an empty object.'],
    ['an object without result', { data: [] }, 'got an object without "result" (keys: ["data"])'],
    [
      'a Bitrix24 error body',
      { error: 'ACCESS_DENIED', error_description: 'Access denied.' },
      'The JSON is a Bitrix24 error response, not an owner type list: error "ACCESS_DENIED", error_description "Access denied."',
    ],
    [
      'an error body with an empty code',
      { error: '', error_description: 'Access denied.' },
      'error "", error_description "Access denied."',
    ],
    ['an error body with a numeric code', { error: 0, error_description: 'x' }, 'error 0, error_description "x"'],
    ['result not an array', { result: { 1: lead } }, '"result" must be a non-empty array, got {"1":{"ID":1'],
    ['result null', { result: null }, '"result" must be a non-empty array, got null'],
    ['result empty', { result: [] }, '"result" is an empty array'],
    ['an item that is not an object', response(lead, 'LEAD'), 'result[1] must be an object, got "LEAD"'],
    ['an item that is null', response(null), 'result[0] must be an object, got null'],
    ['an item that is an array', response([1, 'Lead']), 'result[0] must be an object, got [1,"Lead"]'],
    [
      'a float ID',
      withItemAt3(item(1.5, 'x', 'X', 'X')),
      'result[3]: ID must be a positive integer (or a string of its digits), got 1.5',
    ],
    [
      'a negative ID',
      withItemAt3(item(-3, 'x', 'X', 'X')),
      'result[3]: ID must be a positive integer (or a string of its digits), got -3',
    ],
    [
      'a zero ID',
      withItemAt3(item(0, 'x', 'X', 'X')),
      'result[3]: ID must be a positive integer (or a string of its digits), got 0',
    ],
    ['a digits-and-letters ID', withItemAt3(item('17x', 'x', 'X', 'X')), 'got "17x"'],
    ['a string ID with spaces', withItemAt3(item(' 177', 'x', 'X', 'X')), 'got " 177"'],
    ['a string ID with a leading zero', withItemAt3(item('0177', 'x', 'X', 'X')), 'got "0177"'],
    ['a string ID with a sign', withItemAt3(item('+177', 'x', 'X', 'X')), 'got "+177"'],
    ['an empty string ID', withItemAt3(item('', 'x', 'X', 'X')), 'got ""'],
    ['a decimal string ID', withItemAt3(item('1.0', 'x', 'X', 'X')), 'got "1.0"'],
    ['a boolean ID', withItemAt3(item(true, 'x', 'X', 'X')), 'got true'],
    [
      'a null ID',
      withItemAt3(item(null, 'x', 'X', 'X')),
      'result[3]: ID must be a positive integer (or a string of its digits), got null',
    ],
    [
      'a missing ID',
      withItemAt3({ NAME: 'x', SYMBOL_CODE: 'X', SYMBOL_CODE_SHORT: 'X' }),
      'got nothing (the key is missing)',
    ],
    ['an ID past int32', withItemAt3(item(2 ** 31, 'x', 'X', 'X')), 'got 2147483648'],
    ['a string ID past int32', withItemAt3(item('2147483648', 'x', 'X', 'X')), 'got "2147483648"'],
    ['a huge string ID', withItemAt3(item('9'.repeat(400), 'x', 'X', 'X')), '… (400 characters)'],
    [
      'a null NAME',
      withItemAt3(item(177, null, 'DYNAMIC_177', 'Tb1')),
      'result[3] (ID 177): NAME must be a string, got null',
    ],
    [
      'a numeric NAME',
      withItemAt3(item(177, 5, 'DYNAMIC_177', 'Tb1')),
      'result[3] (ID 177): NAME must be a string, got 5',
    ],
    [
      'a missing NAME',
      withItemAt3({ ID: 177, SYMBOL_CODE: 'DYNAMIC_177', SYMBOL_CODE_SHORT: 'Tb1' }),
      'NAME must be a string, got nothing (the key is missing)',
    ],
    [
      'a null SYMBOL_CODE',
      withItemAt3(item(177, 'x', null, 'Tb1')),
      'result[3] (ID 177): SYMBOL_CODE must be a non-empty string, got null',
    ],
    [
      'an empty SYMBOL_CODE',
      withItemAt3(item(177, 'x', '', 'Tb1')),
      'result[3] (ID 177): SYMBOL_CODE must be a non-empty string, got ""',
    ],
    [
      'a numeric SYMBOL_CODE',
      withItemAt3(item('177', 'x', 177, 'Tb1')),
      'result[3] (ID 177): SYMBOL_CODE must be a non-empty string, got 177',
    ],
    [
      'a null SYMBOL_CODE_SHORT',
      withItemAt3(item(177, 'x', 'DYNAMIC_177', null)),
      'result[3] (ID 177): SYMBOL_CODE_SHORT must be a string, got null',
    ],
    [
      'a missing SYMBOL_CODE_SHORT',
      withItemAt3({ ID: 177, NAME: 'x', SYMBOL_CODE: 'DYNAMIC_177' }),
      'SYMBOL_CODE_SHORT must be a string, got nothing',
    ],
    [
      'a duplicate ID',
      response(lead, deal, item(1, 'Lead 2', 'LEAD2', 'L2')),
      'result[0] (ID 1) and result[2] (ID 1) have the same ID 1',
    ],
    [
      'a duplicate ID, once as a string',
      response(item('2', 'x', 'X', 'X'), deal),
      'result[0] (ID 2) and result[1] (ID 2) have the same ID 2',
    ],
    [
      'a duplicate SYMBOL_CODE',
      response(lead, deal, item(9, 'Lead', 'LEAD', 'L9')),
      'result[0] (ID 1) and result[2] (ID 9) have the same SYMBOL_CODE "LEAD"',
    ],
    [
      'a duplicate SYMBOL_CODE_SHORT',
      response(contact, item(4, 'Company', 'COMPANY', 'C')),
      'result[0] (ID 3) and result[1] (ID 4) have the same SYMBOL_CODE_SHORT "C"',
    ],
  ])('refuses %s', (_, json, fragment) => {
    expect(parseError(json).message).toContain(fragment);
  });

  it('says what kind of input it was reading', () => {
    expect(parseError(response(null)).message).toMatch(/^Invalid crm\.enum\.ownertype response: result\[0\]/);
  });

  it('reports the first duplicate in response order', () => {
    const message = parseError(
      response(item(5, 'a', 'A', 'X'), item(6, 'b', 'B', 'X'), item(5, 'c', 'C', 'Y')),
    ).message;
    expect(message).toContain('result[0] (ID 5) and result[2] (ID 5) have the same ID 5');
  });

  it('cuts long values short and escapes them', () => {
    const huge = 'A\n'.repeat(5000);
    for (const json of [
      withItemAt3(item(177, 'x', { nested: huge }, 'Tb1')),
      withItemAt3(item(huge, 'x', 'X', 'X')),
      response(item(7, 'x', huge, 'Q'), item(8, 'y', huge, 'RQ')),
      { error: huge, error_description: huge },
      { [huge]: 1 },
    ]) {
      const message = parseError(json).message;
      expect(message.length).toBeLessThan(400);
      expect(message).not.toContain('\n');
      expect(message).toContain('A\\n');
    }
  });

  it('does not split a surrogate pair when cutting', () => {
    const message = parseError(withItemAt3(item('😀'.repeat(100), 'x', 'X', 'X'))).message;
    expect(message).toContain(`"${'😀'.repeat(60)}"… (100 characters)`);
    expect(message).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
