import type { OwnerType } from '../model/owner-types.js';

/**
 * Identity across portals: which owner type of one portal is the same thing as which of another. System
 * types are the same by SYMBOL_CODE. SPAs get new IDs on every portal (an export/import renumbers them), so
 * they are matched, in this order of trust:
 *   1. by the identifier an alias gives them (each portal may alias its own ID to the shared name);
 *   2. by the same non-empty `code` from crm.type.list (the SPA's symbolic code survives an export);
 *   3. by the same title, unless both sides carry different non-empty codes (then they are two SPAs).
 * Portals are taken in config order; each pass of a portal runs over all of its SPAs before the next pass,
 * so a code match is never taken away by an earlier title match. Two SPAs of one title on one portal stay
 * two: the n-th of a title (by ID) matches the n-th elsewhere.
 */

/** One portal's owner types, as the matching sees them. */
export interface MatchInput {
  readonly types: readonly OwnerType[];
  /** The alias identifier each aliased SPA gets on this portal, by entity type ID. */
  readonly aliasById: ReadonlyMap<number, string>;
  /** Each SPA's non-empty `code` from crm.type.list, by entity type ID (empty when not read). */
  readonly codeById: ReadonlyMap<number, string>;
}

interface GroupMember {
  /** Index of the portal in the run. */
  readonly portal: number;
  readonly type: OwnerType;
}

type MatchedBy = 'symbol code' | 'alias' | 'code' | 'title';

/** One thing across portals: at most one member per portal, in portal order. */
export interface OwnerTypeGroup {
  readonly isSpa: boolean;
  /** The first portal's member names the group. */
  readonly members: readonly GroupMember[];
  /** How the later members were matched to the first (`symbol code` for system types). */
  readonly matchedBy: ReadonlySet<MatchedBy>;
}

interface MutableGroup {
  readonly isSpa: boolean;
  readonly members: GroupMember[];
  readonly matchedBy: Set<MatchedBy>;
  readonly aliases: Set<string>;
  readonly codes: Set<string>;
  readonly titles: Set<string>;
}

/** Groups every owner type of every portal; groups in order of first appearance (portal, then ID). */
export function matchPortals(portals: readonly MatchInput[]): OwnerTypeGroup[] {
  const groups: MutableGroup[] = [];
  const systems = new Map<string, MutableGroup>();
  // Groups by each key they carry, in order of first appearance: a lookup, not a scan, for 5000-SPA portals.
  const index = { alias: new Map<string, MutableGroup[]>(), code: new Map<string, MutableGroup[]>(), title: new Map<string, MutableGroup[]>() };
  const indexBy = (map: Map<string, MutableGroup[]>, key: string, group: MutableGroup) => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [group]);
    else if (!list.includes(group)) list.push(group);
  };
  const join = (group: MutableGroup, portal: number, type: OwnerType, input: MatchInput, by?: MatchedBy) => {
    group.members.push({ portal, type });
    if (by !== undefined) group.matchedBy.add(by);
    const alias = input.aliasById.get(type.id);
    const code = input.codeById.get(type.id);
    if (!group.isSpa) return;
    if (alias !== undefined) {
      group.aliases.add(alias);
      indexBy(index.alias, alias, group);
    }
    if (code !== undefined && code !== '') {
      group.codes.add(code);
      indexBy(index.code, code, group);
    }
    group.titles.add(type.name);
    indexBy(index.title, type.name, group);
  };
  const open = (isSpa: boolean): MutableGroup => {
    const group: MutableGroup = { isSpa, members: [], matchedBy: new Set(), aliases: new Set(), codes: new Set(), titles: new Set() };
    groups.push(group);
    return group;
  };

  portals.forEach((input, portal) => {
    const sorted = [...input.types].sort((a, b) => a.id - b.id);
    for (const type of sorted.filter((t) => !t.isSpa)) {
      let group = systems.get(type.symbolCode);
      if (group === undefined) {
        group = open(false);
        systems.set(type.symbolCode, group);
        join(group, portal, type, input);
      } else {
        join(group, portal, type, input, 'symbol code');
      }
    }
    // Groups this portal already joined: one member per portal.
    const taken = new Set<MutableGroup>();
    let pending = sorted.filter((t) => t.isSpa);
    const pass = (by: MatchedBy, keyOf: (type: OwnerType) => string | undefined, fits: (group: MutableGroup, type: OwnerType) => boolean = () => true) => {
      const left: OwnerType[] = [];
      for (const type of pending) {
        const key = keyOf(type);
        const candidates = key === undefined || key === '' ? undefined : index[by === 'alias' ? 'alias' : by === 'code' ? 'code' : 'title'].get(key);
        const group = candidates?.find((g) => !taken.has(g) && g.members[0]!.portal < portal && fits(g, type));
        if (group === undefined) {
          left.push(type);
          continue;
        }
        taken.add(group);
        join(group, portal, type, input, by);
      }
      pending = left;
    };
    pass('alias', (type) => input.aliasById.get(type.id));
    pass('code', (type) => input.codeById.get(type.id));
    pass('title', (type) => type.name, (group, type) => {
      const code = input.codeById.get(type.id);
      // Two different symbolic codes say two different SPAs, whatever their titles.
      if (code !== undefined && code !== '' && group.codes.size > 0 && !group.codes.has(code)) return false;
      // An SPA aliased to another name is another SPA than one aliased or named otherwise.
      const alias = input.aliasById.get(type.id);
      return alias === undefined || group.aliases.size === 0 || group.aliases.has(alias);
    });
    for (const type of pending) join(open(true), portal, type, input);
  });
  return groups.map(({ isSpa, members, matchedBy }) => ({ isSpa, members, matchedBy }));
}
