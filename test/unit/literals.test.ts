import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commentText, propertyKey, stringLiteral } from '../../src/emit/literals.js';

describe('stringLiteral', () => {
  it.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['line\nbreak', '"line\\nbreak"'],
    ['\u2028\u2029', '"\\u2028\\u2029"'],
    ['rtl \u202Eevil\u202C', '"rtl \\u202Eevil\\u202C"'],
    ['zero\u200Bwidth\uFEFF', '"zero\\u200Bwidth\\uFEFF"'],
    ['${x} `tick`', '"${x} `tick`"'],
  ])('%j → %s', (value, literal) => {
    expect(stringLiteral(value)).toBe(literal);
  });

  it('round-trips any string and never leaves a raw line terminator or bidi control', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const literal = stringLiteral(value);
        expect(JSON.parse(literal)).toBe(value);
        expect(literal).not.toMatch(/[\n\r\u2028\u2029\u202A-\u202E\u2066-\u2069]/);
      }),
    );
  });
});

describe('propertyKey', () => {
  it('quotes what is not a plain identifier', () => {
    expect(propertyKey('LEAD')).toBe('LEAD');
    expect(propertyKey('DYNAMIC_177')).toBe('DYNAMIC_177');
    expect(propertyKey('SMART-DOC')).toBe('"SMART-DOC"');
    expect(propertyKey('1C')).toBe('"1C"');
  });
});

describe('commentText', () => {
  it('cannot end a comment or start a tag, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const text = commentText(value);
        expect(text).not.toContain('*/');
        expect(text).not.toMatch(/(^|[^\\])@/);
        expect(text).not.toMatch(/[\n\r\u2028\u2029]/);
      }),
    );
    expect(commentText('a */ b @param')).toBe('"a *\\/ b \\@param"');
  });
});
