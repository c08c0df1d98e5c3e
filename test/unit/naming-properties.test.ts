import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OwnerType } from '../../src/model/owner-types.js';
import { identifierFromTitle, isValidIdentifier } from '../../src/naming/identifiers.js';
import { nameOwnerTypes } from '../../src/naming/name-owner-types.js';

const SYSTEM_TYPES: OwnerType[] = [
  [1, 'LEAD'],
  [2, 'DEAL'],
  [3, 'CONTACT'],
  [4, 'COMPANY'],
  [5, 'INVOICE'],
  [7, 'QUOTE'],
  [8, 'REQUISITE'],
  [31, 'SMART_INVOICE'],
  [36, 'SMART_DOCUMENT'],
  [39, 'SMART_B2E_DOC'],
].map(([id, code]) => ({
  id: id as number,
  name: String(code),
  symbolCode: String(code),
  shortCode: '',
  isSpa: false,
}));
const SYSTEM_IDS = new Set(SYSTEM_TYPES.map((t) => t.id));

const ASCII_IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function spa(id: number, name: string): OwnerType {
  return { id, name, symbolCode: `DYNAMIC_${id}`, shortCode: `T${id.toString(16)}`, isSpa: true };
}

/** Titles of every kind, weighted towards ones that collide with each other and with system types. */
const title = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'grapheme-composite', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    'Purchase',
    'purchase',
    'Deal',
    'Smart invoice',
    'Infinity',
    '__proto__',
    'constructor',
    '',
    '🚀',
    '采购',
  ),
  fc
    .tuple(fc.constantFrom('Purchase', 'Dynamic', 'Deal', 'Spa'), fc.integer({ min: 0, max: 300 }))
    .map(([word, n]) => `${word} ${n}`),
);

const spaId = fc.oneof(
  fc.integer({ min: 128, max: 191 }),
  fc.integer({ min: 515, max: 2000 }).map((n) => n * 2),
  fc.integer({ min: 1, max: 2 ** 31 - 1 }),
);

const spas = fc
  .uniqueArray(fc.tuple(spaId, title), { selector: ([id]) => id, maxLength: 25 })
  .map((entries) => entries.filter(([id]) => !SYSTEM_IDS.has(id)).map(([id, name]) => spa(id, name)));

/** A portal (system types + SPAs) together with the same types in another order. */
const portalAndShuffle = spas.chain((list) => {
  const types = [...SYSTEM_TYPES, ...list];
  return fc.tuple(fc.constant(types), fc.shuffledSubarray(types, { minLength: types.length }));
});

function identifiers(types: readonly OwnerType[]): Map<number, string> {
  return new Map(nameOwnerTypes(types).map((t) => [t.id, t.identifier]));
}

describe('naming properties', () => {
  it('any title gives a valid ASCII identifier or nothing', () => {
    fc.assert(
      fc.property(title, (text) => {
        const name = identifierFromTitle(text);
        if (name !== undefined) expect(name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('names are valid ASCII identifiers, unique, and the same for any order of the input', () => {
    fc.assert(
      fc.property(portalAndShuffle, ([types, shuffled]) => {
        const named = identifiers(types);
        const all = [...named.values()];
        for (const name of all) {
          expect(name).toMatch(ASCII_IDENTIFIER);
          expect(isValidIdentifier(name)).toBe(true);
        }
        expect(new Set(all).size).toBe(types.length);
        expect(identifiers(shuffled)).toEqual(named);
      }),
      { numRuns: 500 },
    );
  });

  it('system types keep their names whatever the SPAs are called', () => {
    const expected = identifiers(SYSTEM_TYPES);
    fc.assert(
      fc.property(spas, (list) => {
        const named = identifiers([...SYSTEM_TYPES, ...list]);
        for (const [id, name] of expected) expect(named.get(id)).toBe(name);
      }),
      { numRuns: 300 },
    );
  });

  it('an SPA whose title clashes with nothing keeps the name of its title', () => {
    fc.assert(
      fc.property(spas, (list) => {
        const derived = list.map((t) => identifierFromTitle(t.name));
        const named = identifiers([...SYSTEM_TYPES, ...list]);
        const systemNames = new Set(SYSTEM_TYPES.map((t) => named.get(t.id)));
        list.forEach((type, i) => {
          const base = derived[i];
          if (base === undefined || !isValidIdentifier(base) || systemNames.has(base)) return;
          if (derived.filter((d) => d === base).length > 1) return;
          // Other names only grow by appended IDs: one that starts as a prefix of this base could still reach it.
          if (
            list.some(
              (other) => other !== type && base.startsWith(identifierFromTitle(other.name) ?? `Dynamic${other.id}`),
            )
          )
            return;
          expect(named.get(type.id)).toBe(base);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('settles when IDs repeat a common digit string and titles chain', () => {
    // IDs like 1, 11, 111 let two SPAs meet again after both got their IDs: the hardest case for settling.
    const ids = fc.uniqueArray(fc.constantFrom(1, 11, 111, 1111, 2, 22, 12, 1212, 121, 21), { minLength: 2 });
    const chained = ids.chain((list) =>
      fc.tuple(
        fc.constant(list),
        fc.array(fc.constantFrom('P', 'P 1', 'P 11', 'P 111', 'P 2', 'P 12', 'P 1 2', 'Dynamic 1'), {
          minLength: list.length,
          maxLength: list.length,
        }),
      ),
    );
    fc.assert(
      fc.property(chained, ([list, titles]) => {
        const types = list.map((id, i) => spa(id, titles[i] ?? ''));
        const named = identifiers(types);
        expect(new Set(named.values()).size).toBe(types.length);
        expect(identifiers([...types].reverse())).toEqual(named);
      }),
      { numRuns: 1000 },
    );
  });
});
