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

/**
 * Chooses the TypeScript identifier of every owner type, in the order given. System types are named from
 * SYMBOL_CODE; SPAs from a configured alias, else from their title, else `Dynamic<id>`. A derived name that
 * collides gets its ID appended; an alias never changes, so an alias that collides is a `ConfigError`.
 */
export function nameOwnerTypes(types: readonly OwnerType[], aliases: Aliases = {}): NamedOwnerType[] {
  const applied = applyAliases(types, aliases);
  const slots = types.map((type) => {
    const alias = applied.get(type.id)?.alias;
    if (alias !== undefined) return { type, id: type.id, name: alias };
    const derived = type.isSpa
      ? (identifierFromTitle(type.name) ?? `Dynamic${type.id}`)
      : (identifierFromSymbolCode(type.symbolCode) ?? `Type${type.id}`);
    // A derived name TypeScript or the generated objects cannot take gets its ID, like a collision.
    return { type, id: type.id, name: isValidIdentifier(derived) ? derived : `${derived}${type.id}` };
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
  return slots.map(({ type, name }) => ({ ...type, identifier: name }));
}
