import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OwnerType } from '../../src/model/owner-types.js';
import type { SpaDetail } from '../../src/model/portal.js';
import { isValidIdentifier } from '../../src/naming/identifiers.js';
import { matchPortals } from '../../src/naming/match-portals.js';
import { nameOwnerTypesWithNotes } from '../../src/naming/name-owner-types.js';
import { nameOwnerTypesAcross, type PortalOwnerTypesInput } from '../../src/naming/name-portal.js';

const system = (id: number, symbolCode: string, name = symbolCode): OwnerType => ({ id, name, symbolCode, shortCode: symbolCode[0]!, isSpa: false });
const spa = (id: number, name: string): OwnerType => ({ id, name, symbolCode: `DYNAMIC_${id}`, shortCode: `T${id.toString(16)}`, isSpa: true });
const SYSTEM = [system(1, 'LEAD', 'Lead'), system(2, 'DEAL', 'Deal'), system(4, 'COMPANY', 'Company')];

function portal(spas: OwnerType[], options: { aliases?: Record<string, string>; codes?: Record<number, string> } = {}): PortalOwnerTypesInput {
  const spaDetails: SpaDetail[] = Object.entries(options.codes ?? {}).map(([id, code]) => ({ entityTypeId: Number(id), typeId: Number(id), code }));
  return { types: [...SYSTEM, ...spas], aliases: options.aliases ?? {}, spaDetails };
}

/** Each portal's identifier of each owner type, by ID. */
function names(portals: readonly PortalOwnerTypesInput[]): Array<Record<number, string>> {
  return nameOwnerTypesAcross(portals).portals.map((types) => Object.fromEntries(types.map((t) => [t.id, t.identifier])));
}

describe('matchPortals and nameOwnerTypesAcross', () => {
  it('one portal is named exactly as nameOwnerTypesWithNotes names it, code aliases applied by ID', () => {
    const input = portal([spa(156, 'Orders'), spa(177, 'Orders'), spa(180, '🚀'), spa(190, 'Lead')], { codes: { 180: 'rocket' } });
    const named = nameOwnerTypesAcross([input]);
    const single = nameOwnerTypesWithNotes(input.types);
    expect(named.portals[0]).toEqual(single.types);
    expect(named.portalSpecific.map(({ portal: _, ...note }) => note)).toEqual(single.portalSpecific);
    const aliased = nameOwnerTypesAcross([{ ...input, aliases: { rocket: 'Rocket' } }]);
    expect(aliased.portals[0]!.find((t) => t.id === 180)?.identifier).toBe('Rocket');
  });

  it('matches by alias, then code, then title; different codes keep two SPAs of one title apart', () => {
    const dev = portal([spa(150, 'Orders'), spa(160, 'Deliveries'), spa(170, 'Equipment'), spa(180, 'Rentals')], {
      aliases: { '150': 'Sales' },
      codes: { 160: 'delivery', 180: 'rent_a' },
    });
    const prod = portal([spa(1030, 'Заказы'), spa(1032, 'Lieferungen'), spa(1034, 'Equipment'), spa(1036, 'Rentals')], {
      aliases: { '1030': 'Sales' },
      codes: { 1032: 'delivery', 1036: 'rent_b' },
    });
    const groups = matchPortals(
      [dev, prod].map((p) => ({
        types: p.types,
        aliasById: new Map(Object.entries(p.aliases).map(([k, v]) => [Number(k), v])),
        codeById: new Map(p.spaDetails.map((d) => [d.entityTypeId, d.code])),
      })),
    );
    const pairs = groups.filter((g) => g.isSpa).map((g) => g.members.map((m) => m.type.id));
    expect(pairs).toEqual([[150, 1030], [160, 1032], [170, 1034], [180], [1036]]);
    expect(groups.filter((g) => !g.isSpa).every((g) => g.members.length === 2)).toBe(true);
    const [devNames, prodNames] = names([dev, prod]);
    expect([devNames![150], prodNames![1030]]).toEqual(['Sales', 'Sales']);
    // The first portal names what they share.
    expect([devNames![160], prodNames![1032]]).toEqual(['Deliveries', 'Deliveries']);
    // Two SPAs that both say Rentals: each gets its first portal's ID, on every portal.
    expect([devNames![180], prodNames![1036]]).toEqual(['Rentals180', 'Rentals1036']);
  });

  it('a collision on one portal gives the same identifier on every portal, and the n-th of a title matches the n-th', () => {
    const dev = portal([spa(156, 'Purchase'), spa(190, 'Purchase'), spa(200, 'Tools')]);
    const prod = portal([spa(1046, 'Purchase'), spa(1048, 'Purchase')]);
    const demo = portal([spa(3000, 'Purchase')]);
    const [d, p, m] = names([dev, prod, demo]);
    expect([d![156], d![190]]).toEqual(['Purchase156', 'Purchase190']);
    expect([p![1046], p![1048]]).toEqual(['Purchase156', 'Purchase190']);
    expect(m![3000]).toBe('Purchase156');
    const notes = nameOwnerTypesAcross([dev, prod, demo]).portalSpecific;
    expect(notes.map((n) => [n.portal, n.id, n.identifier])).toEqual([
      [0, 156, 'Purchase156'],
      [0, 190, 'Purchase190'],
    ]);
  });

  it('an SPA only on a later portal is named by it, and cannot take a name another portal gives', () => {
    const dev = portal([spa(156, 'Orders')]);
    const prod = portal([spa(156, 'Tools'), spa(1048, 'Orders')], { codes: { 156: 'tools' } });
    const [d, p] = names([dev, prod]);
    expect(d![156]).toBe('Orders');
    expect(p).toEqual({ 1: 'Lead', 2: 'Deal', 4: 'Company', 156: 'Tools', 1048: 'Orders' });
    // IDs shared by two things first seen on different portals: the second one's suffix says its portal.
    const [, q] = names([portal([spa(156, 'Lead')]), portal([spa(156, 'Orders'), spa(200, 'Lead')], { codes: { 156: 'x', 200: 'y' } })]);
    expect(q![156]).toBe('Orders');
  });

  it('an alias that names a system type on another portal is a config error', () => {
    const dev = portal([spa(156, 'Orders')], { aliases: { '156': 'Quote' } });
    const prod: PortalOwnerTypesInput = { types: [...SYSTEM, system(7, 'QUOTE', 'Quote'), spa(1048, 'Orders')], aliases: {}, spaDetails: [] };
    expect(() => nameOwnerTypesAcross([dev, prod])).toThrow(/Alias "Quote" is already the identifier of system type "QUOTE"/);
  });
});

// Things that may exist on portals: titles drawn from a small set so that they collide, each with its own
// code or none; every portal holds some of them under IDs of its own.
const TITLES = ['Orders', 'orders', 'Purchase', 'Lead', 'Deal', '', '🚀', 'Закупки', 'Geräte', 'Equipment Purchase', 'toString', '2024 Budget'];
const thing = fc.record({ title: fc.constantFrom(...TITLES), code: fc.option(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), { nil: undefined }) });
const scenario = fc
  .record({
    things: fc.uniqueArray(thing, { minLength: 1, maxLength: 10, selector: (t) => t.code ?? Symbol() }),
    portals: fc.array(fc.tuple(fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), fc.integer({ min: 0, max: 1_000 })), {
      minLength: 2,
      maxLength: 4,
    }),
  })
  .map(({ things, portals }) =>
    portals.map(([present, seed]) => {
      const spas: OwnerType[] = [];
      const codes: Record<number, string> = {};
      things.forEach((t, index) => {
        if (!present[index]) return;
        // IDs differ from portal to portal, as after an export/import, and never repeat on one portal.
        const id = 128 + ((index * 37 + seed) % 64) * 20 + index;
        spas.push(spa(id, t.title));
        if (t.code !== undefined) codes[id] = t.code;
      });
      return portal(spas, { codes });
    }),
  );

describe('properties of names across portals', () => {
  it('each portal\'s identifiers are valid and unique; the order of the portals after the first does not change the first\'s', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 100 }), (portals, shuffleSeed) => {
        const named = nameOwnerTypesAcross(portals);
        for (const types of named.portals) {
          const identifiers = types.map((t) => t.identifier);
          expect(new Set(identifiers).size).toBe(identifiers.length);
          for (const identifier of identifiers) expect(isValidIdentifier(identifier)).toBe(true);
        }
        const rest = portals.slice(1);
        const rotated = [portals[0]!, ...rest.slice(shuffleSeed % rest.length), ...rest.slice(0, shuffleSeed % rest.length)];
        expect(nameOwnerTypesAcross(rotated).portals[0]).toEqual(named.portals[0]);
      }),
      { numRuns: 300 },
    );
  });

  it('a thing with a code has one identifier on every portal that has it', () => {
    fc.assert(
      fc.property(scenario, (portals) => {
        const named = nameOwnerTypesAcross(portals);
        const byCode = new Map<string, Set<string>>();
        portals.forEach((input, index) => {
          for (const { entityTypeId, code } of input.spaDetails) {
            const identifier = named.portals[index]!.find((t) => t.id === entityTypeId)!.identifier;
            byCode.set(code, (byCode.get(code) ?? new Set()).add(identifier));
          }
        });
        for (const identifiers of byCode.values()) expect(identifiers.size).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});
