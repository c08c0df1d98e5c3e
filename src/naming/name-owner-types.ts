import { ConfigError } from '../shared/errors.js';
import type { NamedOwnerType, OwnerType } from '../model/owner-types.js';
import { showValue } from '../model/parse-owner-types.js';
import { identifierFromSymbolCode, identifierFromTitle, identifierProblem, isValidIdentifier } from './identifiers.js';
import { settle } from './settle.js';

/** Identifiers for SPAs, keyed by entity type ID (`"177"`) or SYMBOL_CODE (`"DYNAMIC_177"`). */
export type Aliases = Readonly<Record<string, string>>;

function aliasTarget(types: readonly OwnerType[], key: string): OwnerType | undefined {
  return types.find((type) => String(type.id) === key || type.symbolCode === key);
}

/** Alias keys that name no smart process of these types: fine (configs serve several portals), worth a warning. */
export function unusedAliasKeys(types: readonly OwnerType[], aliases: Aliases = {}): string[] {
  return Object.keys(aliases).filter((key) => aliasTarget(types, key)?.isSpa !== true);
}

/** Aliases that apply to these types, keyed by the SPA's ID; every alias is validated, used here or not. */
function applyAliases(types: readonly OwnerType[], aliases: Aliases): Map<number, { key: string; alias: string }> {
  const applied = new Map<number, { key: string; alias: string }>();
  for (const [key, alias] of Object.entries(aliases)) {
    if (typeof alias !== 'string') {
      throw new ConfigError(`Alias ${showValue(key)}: expected an identifier (a string), got ${showValue(alias)}.`);
    }
    const problem = identifierProblem(alias);
    if (problem !== undefined) {
      throw new ConfigError(`Alias ${showValue(key)}: ${showValue(alias)} ${problem}; choose another identifier.`);
    }
    const target = aliasTarget(types, key);
    if (target === undefined) continue;
    if (!target.isSpa) {
      throw new ConfigError(
        `Alias ${showValue(key)}: ${showValue(target.symbolCode)} (ID ${target.id}) is a system type; ` +
          'aliases apply to smart processes (DYNAMIC_<n>) only.',
      );
    }
    const other = applied.get(target.id);
    if (other !== undefined) {
      throw new ConfigError(
        `Aliases ${showValue(other.key)} and ${showValue(key)} both name smart process ${target.id}; keep one of them.`,
      );
    }
    applied.set(target.id, { key, alias });
  }
  return applied;
}

/** Why an SPA's identifier carries its ID, which makes it differ from portal to portal. */
export type PortalSpecificReason =
  /** Nothing usable is left of the title (emoji, a script the transliterator leaves alone, punctuation). */
  | 'untitled'
  /** The title's name is taken by a system type or shared with another SPA. */
  | 'collision'
  /** The title's name cannot be an identifier of the module (`NaN`, `toString`). */
  | 'unusable';

/** An SPA named with its portal's ID (`Dynamic150`, `Orders150`): worth an alias in the config. */
export interface PortalSpecificName {
  readonly id: number;
  readonly identifier: string;
  readonly reason: PortalSpecificReason;
  /** The name the title gave before the ID was appended; undefined for `untitled`. */
  readonly base: string | undefined;
  /** An identifier that is free on this portal, when one can be guessed; else undefined. */
  readonly suggestion: string | undefined;
  /** The line to put in the config, with the suggestion or a placeholder: `"aliases": { "150": "Deliveries" }`. */
  readonly aliasLine: string;
}

export interface NamingResult {
  readonly types: NamedOwnerType[];
  /** The SPAs whose identifiers carry the portal's ID, by ID ascending. */
  readonly portalSpecific: PortalSpecificName[];
}

/** What an alias line holds when no name can be guessed; not an identifier, so it cannot be pasted unseen. */
export const ALIAS_PLACEHOLDER = '<Identifier>';

/** The identifiers only (see `nameOwnerTypesWithNotes`). */
export function nameOwnerTypes(types: readonly OwnerType[], aliases: Aliases = {}): NamedOwnerType[] {
  return nameOwnerTypesWithNotes(types, aliases).types;
}

/**
 * Chooses the TypeScript identifier of every owner type, in the order given. System types are named from
 * SYMBOL_CODE; SPAs from a configured alias, else from their title, else `Dynamic<id>`. A derived name that
 * collides gets its ID appended; an alias never changes, so an alias that collides is a `ConfigError`.
 */
export function nameOwnerTypesWithNotes(types: readonly OwnerType[], aliases: Aliases = {}): NamingResult {
  const applied = applyAliases(types, aliases);
  const slots = types.map((type) => {
    const alias = applied.get(type.id)?.alias;
    if (alias !== undefined) return { type, id: type.id, name: alias, base: alias, untitled: false };
    const fromTitle = type.isSpa ? identifierFromTitle(type.name) : undefined;
    const derived = type.isSpa
      ? (fromTitle ?? `Dynamic${type.id}`)
      : (identifierFromSymbolCode(type.symbolCode) ?? `Type${type.id}`);
    // A derived name TypeScript or the generated objects cannot take gets its ID, like a collision.
    const name = isValidIdentifier(derived) ? derived : `${derived}${type.id}`;
    return { type, id: type.id, name, base: derived, untitled: type.isSpa && fromTitle === undefined };
  });

  const settleSlots = (group: typeof slots, taken?: ReadonlySet<string>): void => {
    const names = settle(group.map(({ name, id }) => ({ name, suffix: String(id) })), taken);
    group.forEach((slot, index) => (slot.name = names[index]!));
  };

  const systems = slots.filter(({ type }) => !type.isSpa);
  settleSlots(systems);
  const systemByName = new Map(systems.map(({ type, name }) => [name, type]));

  const aliasKeyByName = new Map<string, string>();
  for (const { key, alias } of applied.values()) {
    const system = systemByName.get(alias);
    if (system !== undefined) {
      throw new ConfigError(
        `Alias ${showValue(key)}: ${showValue(alias)} is already the identifier of system type ` +
          `${showValue(system.symbolCode)} (ID ${system.id}); choose another identifier.`,
      );
    }
    const otherKey = aliasKeyByName.get(alias);
    if (otherKey !== undefined) {
      throw new ConfigError(
        `Aliases ${showValue(otherKey)} and ${showValue(key)} both give the identifier ${showValue(alias)}; ` +
          'identifiers must be unique.',
      );
    }
    aliasKeyByName.set(alias, key);
  }

  const derivedSpas = slots.filter(({ type }) => type.isSpa && !applied.has(type.id));
  settleSlots(derivedSpas, new Set([...systemByName.keys(), ...aliasKeyByName.keys()]));

  const taken = new Set(slots.map(({ name }) => name));
  const portalSpecific: PortalSpecificName[] = [];
  for (const slot of derivedSpas) {
    if (!slot.untitled && slot.name === slot.base) continue;
    const reason: PortalSpecificReason = slot.untitled ? 'untitled' : isValidIdentifier(slot.base) ? 'collision' : 'unusable';
    // A title that names a system type or is unusable as it is reads well with `Spa` after it; SPAs that
    // share a title need a name each, which only their owner can choose.
    const guessable = reason === 'unusable' || (reason === 'collision' && systemByName.has(slot.base));
    const guess = guessable ? `${slot.base}Spa` : undefined;
    const suggestion = guess !== undefined && isValidIdentifier(guess) && !taken.has(guess) ? guess : undefined;
    portalSpecific.push({
      id: slot.id,
      identifier: slot.name,
      reason,
      base: slot.untitled ? undefined : slot.base,
      suggestion,
      aliasLine: `"aliases": { ${JSON.stringify(String(slot.id))}: ${JSON.stringify(suggestion ?? ALIAS_PLACEHOLDER)} }`,
    });
  }
  portalSpecific.sort((a, b) => a.id - b.id);
  return { types: slots.map(({ type, name }) => ({ ...type, identifier: name })), portalSpecific };
}
