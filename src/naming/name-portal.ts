import { ConfigError } from '../shared/errors.js';
import type { NamedOwnerType, OwnerType } from '../model/owner-types.js';
import type { SpaDetail } from '../model/portal.js';
import { showValue } from '../model/parse-owner-types.js';
import { identifierFromSymbolCode, identifierFromTitle, isValidIdentifier } from './identifiers.js';
import { matchPortals, type OwnerTypeGroup } from './match-portals.js';
import {
  ALIAS_PLACEHOLDER,
  nameOwnerTypesWithNotes,
  type Aliases,
  type PortalSpecificName,
  type PortalSpecificReason,
} from './name-owner-types.js';
import { settle } from './settle.js';

/**
 * Owner-type identifiers for every portal of a run at once: one set of names. The same SPA (see
 * match-portals.ts) gets the same identifier in every portal's module, named by the first portal in the
 * config that has it; a collision appends that portal's ID, so `Purchase156` is `Purchase156` in every
 * module, even on a portal where the other `Purchase` does not exist.
 */

/** One portal's input to the naming. */
export interface PortalOwnerTypesInput {
  readonly types: readonly OwnerType[];
  /** The portal's aliases (the top-level ones with its own over them). */
  readonly aliases: Aliases;
  /** From crm.type.list; empty when the portal did not say. */
  readonly spaDetails: readonly SpaDetail[];
}

/** A portal-specific name, with the index of the portal whose ID it carries. */
interface PortalSpecificNote extends PortalSpecificName {
  readonly portal: number;
}

export interface PortalsNaming {
  /** Index for index with the portals given; each sorted as given. */
  readonly portals: readonly NamedOwnerType[][];
  /** Names that carry a portal's ID, once per thing (not once per module). */
  readonly portalSpecific: readonly PortalSpecificNote[];
  /** What is the same thing on which portal (for the consistency report). */
  readonly groups: readonly OwnerTypeGroup[];
  /** The identifier of each group, index for index with `groups`. */
  readonly identifiers: readonly string[];
}

/**
 * Aliases keyed by an SPA's symbolic `code`, rewritten to its entity type ID for this portal, so the
 * owner-type naming (which knows IDs and SYMBOL_CODEs) applies them. A code key that names an SPA another
 * key already names is left as it is (and so reported as unused) rather than silently chosen over it.
 */
export function aliasesByCode(aliases: Aliases, types: readonly OwnerType[], spaDetails: readonly SpaDetail[]): Aliases {
  const byCode = new Map(spaDetails.filter((d) => d.code !== '').map((d) => [d.code, d.entityTypeId]));
  const keyed = new Set(Object.keys(aliases));
  const result: Record<string, string> = {};
  for (const [key, alias] of Object.entries(aliases)) {
    const id = byCode.get(key);
    const type = id === undefined ? undefined : types.find((t) => t.id === id && t.isSpa);
    if (type === undefined || keyed.has(String(type.id)) || keyed.has(type.symbolCode) || String(type.id) in result) {
      result[key] = alias;
    } else {
      result[String(type.id)] = alias;
    }
  }
  return result;
}

function aliasOf(aliases: Aliases, type: OwnerType): string | undefined {
  return aliases[String(type.id)] ?? aliases[type.symbolCode];
}

/**
 * Names the owner types of one or more portals. One portal is named exactly as `nameOwnerTypesWithNotes`
 * names it. Every portal's aliases are validated on that portal first, so a bad alias is the same error
 * with one portal or five.
 */
export function nameOwnerTypesAcross(portals: readonly PortalOwnerTypesInput[]): PortalsNaming {
  const resolved = portals.map(({ types, aliases, spaDetails }) => aliasesByCode(aliases, types, spaDetails));
  const single = portals.map(({ types }, index) => nameOwnerTypesWithNotes(types, resolved[index]));
  const groups = matchPortals(
    portals.map(({ types, spaDetails }, index) => ({
      types,
      aliasById: new Map(
        types.flatMap((type) => {
          const alias = type.isSpa ? aliasOf(resolved[index]!, type) : undefined;
          return alias === undefined ? [] : [[type.id, alias] as const];
        }),
      ),
      codeById: new Map(spaDetails.map((detail) => [detail.entityTypeId, detail.code])),
    })),
  );
  if (portals.length === 1) {
    const only = single[0]!;
    const identifierById = new Map(only.types.map((type) => [type.id, type.identifier]));
    return {
      portals: [only.types],
      portalSpecific: only.portalSpecific.map((note) => ({ ...note, portal: 0 })),
      groups,
      identifiers: groups.map((group) => identifierById.get(group.members[0]!.type.id)!),
    };
  }

  // What each group is called before collisions, and what it gets appended when it collides.
  const first = (group: OwnerTypeGroup) => group.members[0]!;
  const aliasFor = (group: OwnerTypeGroup) => {
    for (const { portal, type } of group.members) {
      const alias = aliasOf(resolved[portal]!, type);
      if (alias !== undefined) return { alias, portal };
    }
    return undefined;
  };
  // IDs are unique on one portal, but groups first seen on different portals may share one.
  const firstPortalOfId = new Map<number, number>();
  for (const group of groups) {
    const { portal, type } = first(group);
    firstPortalOfId.set(type.id, Math.min(portal, firstPortalOfId.get(type.id) ?? portal));
  }
  const suffixOf = (group: OwnerTypeGroup) => {
    const { portal, type } = first(group);
    return firstPortalOfId.get(type.id) === portal ? String(type.id) : `${type.id}_p${portal}`;
  };

  const identifiers: string[] = groups.map(() => '');
  const systemIndexes = groups.flatMap((group, index) => (group.isSpa ? [] : [index]));
  const systemNames = settle(
    systemIndexes.map((index) => {
      const { type } = first(groups[index]!);
      const derived = identifierFromSymbolCode(type.symbolCode) ?? `Type${type.id}`;
      return { name: isValidIdentifier(derived) ? derived : `${derived}${type.id}`, suffix: suffixOf(groups[index]!) };
    }),
  );
  systemIndexes.forEach((index, n) => (identifiers[index] = systemNames[n]!));
  const systemByName = new Map(systemIndexes.map((index) => [identifiers[index]!, first(groups[index]!).type]));

  const aliasGroups = new Map<string, number>();
  const derivedIndexes: number[] = [];
  const bases = new Map<number, { base: string; untitled: boolean }>();
  groups.forEach((group, index) => {
    if (!group.isSpa) return;
    const aliased = aliasFor(group);
    if (aliased === undefined) {
      const { type } = first(group);
      const fromTitle = identifierFromTitle(type.name);
      bases.set(index, { base: fromTitle ?? `Dynamic${type.id}`, untitled: fromTitle === undefined });
      derivedIndexes.push(index);
      return;
    }
    const system = systemByName.get(aliased.alias);
    if (system !== undefined) {
      throw new ConfigError(
        `Alias ${showValue(aliased.alias)} is already the identifier of system type ${showValue(system.symbolCode)} (ID ${system.id}) on another portal; choose another identifier.`,
      );
    }
    if (aliasGroups.has(aliased.alias)) {
      throw new ConfigError(
        `The alias ${showValue(aliased.alias)} names two smart processes that are not the same one on every portal; give each its own identifier.`,
      );
    }
    aliasGroups.set(aliased.alias, index);
    identifiers[index] = aliased.alias;
  });
  const derivedNames = settle(
    derivedIndexes.map((index) => {
      const { base } = bases.get(index)!;
      const suffix = suffixOf(groups[index]!);
      return { name: isValidIdentifier(base) ? base : `${base}${suffix}`, suffix };
    }),
    new Set([...systemByName.keys(), ...aliasGroups.keys()]),
  );
  derivedIndexes.forEach((index, n) => (identifiers[index] = derivedNames[n]!));

  const taken = new Set(identifiers);
  const portalSpecific: PortalSpecificNote[] = [];
  for (const index of derivedIndexes) {
    const { base, untitled } = bases.get(index)!;
    const identifier = identifiers[index]!;
    if (!untitled && identifier === base) continue;
    const { portal, type } = first(groups[index]!);
    const reason: PortalSpecificReason = untitled ? 'untitled' : isValidIdentifier(base) ? 'collision' : 'unusable';
    const guessable = reason === 'unusable' || (reason === 'collision' && systemByName.has(base));
    const guess = guessable ? `${base}Spa` : undefined;
    const suggestion = guess !== undefined && isValidIdentifier(guess) && !taken.has(guess) ? guess : undefined;
    portalSpecific.push({
      portal,
      id: type.id,
      identifier,
      reason,
      base: untitled ? undefined : base,
      suggestion,
      aliasLine: `"aliases": { ${JSON.stringify(String(type.id))}: ${JSON.stringify(suggestion ?? ALIAS_PLACEHOLDER)} }`,
    });
  }
  portalSpecific.sort((a, b) => a.portal - b.portal || a.id - b.id);

  const byPortal = portals.map(() => new Map<number, string>());
  groups.forEach((group, index) => {
    for (const { portal, type } of group.members) byPortal[portal]!.set(type.id, identifiers[index]!);
  });
  return {
    portals: portals.map(({ types }, portal) => types.map((type) => ({ ...type, identifier: byPortal[portal]!.get(type.id)! }))),
    portalSpecific,
    groups,
    identifiers,
  };
}
