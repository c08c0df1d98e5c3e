import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { settle } from '../../src/naming/settle.js';

describe('settle', () => {
  it('leaves unique names alone and appends the suffix to every party of a collision', () => {
    expect(
      settle([
        { name: 'A', suffix: '1' },
        { name: 'B', suffix: '2' },
      ]),
    ).toEqual(['A', 'B']);
    expect(
      settle([
        { name: 'Won', suffix: 'C3WON' },
        { name: 'Won', suffix: 'C3WIN' },
        { name: 'Lose', suffix: 'C3LOSE' },
      ]),
    ).toEqual(['WonC3WON', 'WonC3WIN', 'Lose']);
    expect(settle([{ name: 'Lead', suffix: '150' }], new Set(['Lead']))).toEqual(['Lead150']);
  });

  it('refuses a collision that an empty suffix cannot resolve', () => {
    expect(() =>
      settle([
        { name: 'A', suffix: '' },
        { name: 'A', suffix: '' },
      ]),
    ).toThrow(/did not settle/);
  });

  it('gives unique names that do not depend on the order of the candidates', () => {
    const candidates = fc.uniqueArray(
      fc.record({
        name: fc.constantFrom('P', 'P1', 'P11', 'Q', 'P12'),
        suffix: fc.constantFrom('1', '11', '2', '12', '21'),
      }),
      { selector: ({ suffix }) => suffix, maxLength: 5 },
    );
    fc.assert(
      fc.property(candidates, fc.constantFrom([], ['P'], ['P1', 'Q']), (list, taken) => {
        const names = settle(list, new Set(taken));
        expect(new Set(names).size).toBe(list.length);
        for (const name of names) expect(taken).not.toContain(name);
        const reversed = settle([...list].reverse(), new Set(taken)).reverse();
        expect(reversed).toEqual(names);
      }),
      { numRuns: 500 },
    );
  });
});
