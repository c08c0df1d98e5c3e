import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/shared/errors.js';
import type { OwnerType } from '../../src/model/owner-types.js';
import { parseOwnerTypes } from '../../src/model/parse-owner-types.js';
import {
  identifierFromSymbolCode,
  identifierFromTitle,
  isValidIdentifier,
  toPascalCase,
} from '../../src/naming/identifiers.js';
import { nameOwnerTypes, nameOwnerTypesWithNotes, unusedAliasKeys } from '../../src/naming/name-owner-types.js';

const seedTypes = parseOwnerTypes(
  JSON.parse(readFileSync(new URL('../fixtures/seed-response.json', import.meta.url), 'utf8')) as unknown,
).types;
const systemTypes = seedTypes.filter((t) => !t.isSpa);

function spa(id: number, name: string): OwnerType {
  return { id, name, symbolCode: `DYNAMIC_${id}`, shortCode: `T${id.toString(16)}`, isSpa: true };
}

function system(id: number, symbolCode: string): OwnerType {
  return { id, name: symbolCode, symbolCode, shortCode: '', isSpa: false };
}

/** ID → identifier, for compact expectations. */
function names(types: readonly OwnerType[], aliases?: Record<string, string>): Record<number, string> {
  return Object.fromEntries(nameOwnerTypes(types, aliases).map((t) => [t.id, t.identifier]));
}

function configError(types: readonly OwnerType[], aliases: Record<string, string>): string {
  try {
    nameOwnerTypes(types, aliases);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('nameOwnerTypes accepted the aliases');
}

describe('identifiers', () => {
  it.each([
    ['LEAD', 'Lead'],
    ['SMART_INVOICE', 'SmartInvoice'],
    ['SMART_B2E_DOC', 'SmartB2eDoc'],
    ['QUOTE', 'Quote'],
    ['a--b  c', 'ABC'],
    ['iPhone orders', 'IPhoneOrders'],
    ['iPhoneOrders', 'IPhoneOrders'],
    ['SupportTickets', 'SupportTickets'],
    ['supportTickets', 'SupportTickets'],
    ['CRMDeals', 'CrmDeals'],
    ['CRM', 'Crm'],
    ['XMLHttpRequest', 'XmlHttpRequest'],
    ['Orders2024', 'Orders2024'],
    ['2024Orders', '2024Orders'],
    ['B2E', 'B2e'],
    ['SMART_B2E_DOC', 'SmartB2eDoc'],
    ['IN_PROCESS', 'InProcess'],
    ['McDonald', 'McDonald'],
    ['_leading_and_trailing_', 'LeadingAndTrailing'],
    ['', ''],
    ['é', ''],
  ])('toPascalCase(%j) = %j', (text, expected) => {
    expect(toPascalCase(text)).toBe(expected);
  });

  it.each<[string, string | undefined]>([
    ['LEAD', 'Lead'],
    ['SMART_B2E_DOC', 'SmartB2eDoc'],
    ['1C_SYNC', 'Type1cSync'],
    ['___', undefined],
  ])('identifierFromSymbolCode(%j) = %j', (code, expected) => {
    expect(identifierFromSymbolCode(code)).toBe(expected);
  });

  it.each<[string, string | undefined]>([
    ['Equipment Purchase', 'EquipmentPurchase'],
    ['Закупка оборудования', 'ZakupkaOborudovaniya'],
    ['Geräteeinkauf', 'Geraeteeinkauf'],
    ['Straße', 'Strasse'],
    ['Œuvre', 'Oeuvre'],
    ['Ελληνικά', 'Ellinika'],
    ['Việt Nam', 'VietNam'],
    ['🚀 Rocket launches', 'RocketLaunches'],
    ['Sales/Leads (2024)', 'SalesLeads2024'],
    ['ＡＢＣ orders', 'AbcOrders'],
    ['ﬁles', 'Files'],
    ['2024 Orders', 'Spa2024Orders'],
    ['①②', 'Spa12'],
    ['__proto__', 'Proto'],
    ['constructor', 'Constructor'],
    ['hasOwnProperty', 'HasOwnProperty'],
    ['SupportTickets', 'SupportTickets'],
    ['CRMDeals', 'CrmDeals'],
    ['Закупка Оборудования', 'ZakupkaOborudovaniya'],
    ['ЗакупкаОборудования', 'ZakupkaOborudovaniya'],
    ['class', 'Class'],
    ['a\u0000b', 'AB'],
    ['采购订单', undefined],
    ['🚀🚀', undefined],
    ['!!! ---', undefined],
    ['   ', undefined],
    ['', undefined],
  ])('identifierFromTitle(%j) = %j', (title, expected) => {
    expect(identifierFromTitle(title)).toBe(expected);
  });

  it.each([
    ['Lead', true],
    ['Constructor', true],
    ['_x', true],
    ['$', true],
    ['a1', true],
    ['2x', false],
    ['a-b', false],
    ['a b', false],
    ['Имя', false],
    ['é', false],
    ['', false],
    ['class', false],
    ['await', true],
    ['as', false],
    ['yield', true],
    ['let', true],
    ['type', true],
    ['declare', true],
    ['namespace', true],
    ['of', true],
    ['async', true],
    ['readonly', true],
    ['keyof', true],
    ['enum', false],
    ['null', false],
    ['string', false],
    ['undefined', false],
    ['Infinity', false],
    ['NaN', false],
    ['__proto__', false],
    ['constructor', false],
    ['hasOwnProperty', false],
    ['toString', false],
    ['valueOf', false],
  ])('isValidIdentifier(%j) = %s', (name, expected) => {
    expect(isValidIdentifier(name)).toBe(expected);
  });
});

describe('nameOwnerTypes', () => {
  it('names the documented sample', () => {
    expect(names(seedTypes)).toEqual({
      1: 'Lead',
      2: 'Deal',
      3: 'Contact',
      4: 'Company',
      5: 'Invoice',
      7: 'Quote',
      8: 'Requisite',
      31: 'SmartInvoice',
      36: 'SmartDocument',
      39: 'SmartB2eDoc',
      156: 'Purchase',
      177: 'EquipmentPurchase',
    });
  });

  it('keeps the input order and every field', () => {
    const input = [spa(177, 'B'), system(2, 'DEAL'), spa(156, 'A')];
    const named = nameOwnerTypes(input);
    expect(named.map((t) => t.id)).toEqual([177, 2, 156]);
    expect(named[0]).toEqual({ ...input[0], identifier: 'B' });
  });

  it.each<[string, string]>([
    ['Закупка оборудования', 'ZakupkaOborudovaniya'],
    ['Geräteeinkauf', 'Geraeteeinkauf'],
    ['🚀🚀🚀', 'Dynamic177'],
    ['采购订单', 'Dynamic177'],
    ['!!!', 'Dynamic177'],
    ['', 'Dynamic177'],
    ['2024 Orders', 'Spa2024Orders'],
    ['Infinity', 'Infinity177'],
    ['NaN', 'NaN177'],
    ['Äpfel und Œuvre', 'AepfelUndOeuvre'],
    ['ÄRGER', 'Aerger'],
    ['__proto__', 'Proto'],
    ['constructor', 'Constructor'],
    ['hasOwnProperty', 'HasOwnProperty'],
    ['SupportTickets', 'SupportTickets'],
    ['CRMDeals', 'CrmDeals'],
    ['Закупка Оборудования', 'ZakupkaOborudovaniya'],
    ['ЗакупкаОборудования', 'ZakupkaOborudovaniya'],
    ['return', 'Return'],
  ])('names the SPA titled %j %s', (title, expected) => {
    expect(names([...systemTypes, spa(177, title)])[177]).toBe(expected);
  });

  it('appends the ID to an SPA named like a system type, never to the system type', () => {
    expect(names([...systemTypes, spa(177, 'Deal'), spa(156, 'Smart invoice')])).toMatchObject({
      2: 'Deal',
      31: 'SmartInvoice',
      177: 'Deal177',
      156: 'SmartInvoice156',
    });
  });

  it('appends the ID to every SPA of a shared title', () => {
    expect(names([spa(190, 'Purchase'), spa(156, 'purchase'), spa(177, 'Other')])).toEqual({
      156: 'Purchase156',
      177: 'Other',
      190: 'Purchase190',
    });
  });

  it('resolves chains: an appended name that meets another title', () => {
    const types = [spa(156, 'Purchase'), spa(190, 'Purchase'), spa(200, 'Purchase 156')];
    const expected = { 156: 'Purchase156156', 190: 'Purchase190', 200: 'Purchase156200' };
    expect(names(types)).toEqual(expected);
    expect(names([...types].reverse())).toEqual(expected);
    expect(names([types[2], types[0], types[1]] as OwnerType[])).toEqual(expected);
  });

  it('resolves a fallback name that meets a title', () => {
    expect(names([spa(177, '🚀'), spa(200, 'Dynamic 177')])).toEqual({ 177: 'Dynamic177177', 200: 'Dynamic177200' });
  });

  it('appends the ID to system types that share a name', () => {
    expect(names([system(50, 'A_B'), system(60, 'A__B'), system(70, 'C')])).toEqual({
      50: 'AB50',
      60: 'AB60',
      70: 'C',
    });
  });

  it('gives system types without a usable code a name, and never an unsafe one', () => {
    expect(names([system(40, 'INFINITY'), system(41, '___'), system(42, '1C'), system(43, 'NAN')])).toEqual({
      40: 'Infinity40',
      41: 'Type41',
      42: 'Type1c',
      43: 'Nan',
    });
  });
});

describe('aliases', () => {
  const types = [...systemTypes, spa(156, 'Purchase'), spa(177, 'Equipment Purchase')];

  it('apply by entity type ID and by SYMBOL_CODE', () => {
    expect(names(types, { 177: 'Equipment', DYNAMIC_156: 'Buying' })).toMatchObject({
      156: 'Buying',
      177: 'Equipment',
    });
  });

  it('win over a title, whose SPA then gets its ID', () => {
    expect(names(types, { 177: 'Purchase' })).toMatchObject({ 156: 'Purchase156', 177: 'Purchase' });
  });

  it('are never changed, even when a derived name ends up like them', () => {
    const named = names([spa(156, 'Purchase'), spa(190, 'Purchase'), spa(177, 'x')], { 177: 'Purchase156' });
    expect(named).toEqual({ 156: 'Purchase156156', 190: 'Purchase190', 177: 'Purchase156' });
  });

  it('may repeat across keys when only one applies (one config for several portals)', () => {
    expect(names(types, { 177: 'Equipment', 1030: 'Equipment' })[177]).toBe('Equipment');
  });

  it.each<[string, Record<string, string>, string[]]>([
    [
      'an ID and a SYMBOL_CODE for the same SPA',
      { 177: 'A', DYNAMIC_177: 'A' },
      ['"177"', '"DYNAMIC_177"', 'both name smart process 177'],
    ],
    [
      'a system type by ID',
      { 2: 'Sale' },
      ['Alias "2"', '"DEAL" (ID 2) is a system type', 'aliases apply to smart processes'],
    ],
    ['a system type by SYMBOL_CODE', { DEAL: 'Sale' }, ['Alias "DEAL"', 'is a system type']],
    [
      'a system identifier',
      { 177: 'Deal' },
      ['Alias "177"', '"Deal" is already the identifier of system type "DEAL" (ID 2)'],
    ],
    ['an alias used twice', { 156: 'Buy', 177: 'Buy' }, ['Aliases "156" and "177" both give the identifier "Buy"']],
    ['a leading digit', { 177: '2Buy' }, ['Alias "177"', '"2Buy" is not an ASCII identifier']],
    ['a dash', { 177: 'my-name' }, ['"my-name" is not an ASCII identifier']],
    ['an empty alias', { 177: '' }, ['Alias "177": "" is not an ASCII identifier']],
    ['non-ASCII', { 177: 'Закупка' }, ['"Закупка" is not an ASCII identifier']],
    ['a reserved word', { 177: 'class' }, ['Alias "177": "class" is a reserved word']],
    ['a predefined type name', { 177: 'string' }, ['"string" is a reserved word']],
    ['__proto__', { 177: '__proto__' }, ['Alias "177": "__proto__" is not safe as an object key']],
    ['Infinity', { 177: 'Infinity' }, ['"Infinity" is not safe as an object key']],
    [
      'constructor',
      { DYNAMIC_177: 'constructor' },
      ['Alias "DYNAMIC_177": "constructor" is not safe as an object key'],
    ],
    ['a bad alias for an SPA this portal lacks', { 999: 'class' }, ['Alias "999": "class" is a reserved word']],
  ])('refuse %s', (_, aliases, fragments) => {
    const message = configError(types, aliases);
    for (const fragment of fragments) expect(message).toContain(fragment);
  });

  it('refuse a value that is not a string', () => {
    const message = configError(types, { 177: 42 } as unknown as Record<string, string>);
    expect(message).toContain('Alias "177": expected an identifier (a string), got 42');
  });

  it('that match no SPA are reported, not refused', () => {
    const aliases = { 177: 'Equipment', 999: 'Gone', DYNAMIC_5: 'Nope', DYNAMIC_156: 'Buying' };
    expect(names(types, aliases)).toMatchObject({ 156: 'Buying', 177: 'Equipment' });
    expect(unusedAliasKeys(types, aliases)).toEqual(['999', 'DYNAMIC_5']);
    expect(unusedAliasKeys(types, { 2: 'Sale' })).toEqual(['2']);
    expect(unusedAliasKeys(types)).toEqual([]);
  });
});

describe('names that carry the portal ID', () => {
  const notes = (types: readonly OwnerType[], aliases?: Record<string, string>) =>
    nameOwnerTypesWithNotes(types, aliases).portalSpecific;

  it('reports every SPA named with its ID, and why, with a ready alias line', () => {
    const types = [
      ...systemTypes,
      spa(150, '🚀'),
      spa(156, 'Orders'),
      spa(190, 'Orders'),
      spa(177, 'Deal'),
      spa(178, 'NaN'),
      spa(200, 'Equipment'),
    ];
    expect(notes(types)).toEqual([
      { id: 150, identifier: 'Dynamic150', reason: 'untitled', base: undefined, suggestion: undefined, aliasLine: '"aliases": { "150": "<Identifier>" }' },
      { id: 156, identifier: 'Orders156', reason: 'collision', base: 'Orders', suggestion: undefined, aliasLine: '"aliases": { "156": "<Identifier>" }' },
      { id: 177, identifier: 'Deal177', reason: 'collision', base: 'Deal', suggestion: 'DealSpa', aliasLine: '"aliases": { "177": "DealSpa" }' },
      { id: 178, identifier: 'NaN178', reason: 'unusable', base: 'NaN', suggestion: 'NaNSpa', aliasLine: '"aliases": { "178": "NaNSpa" }' },
      { id: 190, identifier: 'Orders190', reason: 'collision', base: 'Orders', suggestion: undefined, aliasLine: '"aliases": { "190": "<Identifier>" }' },
    ]);
  });

  it('says nothing of aliased SPAs, system types or names that do not carry an ID', () => {
    const types = [...systemTypes, spa(150, '🚀'), spa(156, 'Orders'), spa(177, '2024 Orders')];
    expect(notes(types, { '150': 'Rockets' })).toEqual([]);
  });

  it('suggests only a name that is free on the portal, and the alias line applies it', () => {
    const types = [...systemTypes, spa(177, 'Deal'), spa(180, 'DealSpa')];
    expect(notes(types)).toMatchObject([{ id: 177, suggestion: undefined, aliasLine: '"aliases": { "177": "<Identifier>" }' }]);
    const [note] = notes([...systemTypes, spa(177, 'Deal')]);
    expect(names([...systemTypes, spa(177, 'Deal')], { '177': note?.suggestion ?? '' })[177]).toBe('DealSpa');
  });
});
