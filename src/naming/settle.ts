/** A name that wants to be unique, and what to append to it when it is taken or shared (usually an ID). */
export interface SettleCandidate {
  readonly name: string;
  readonly suffix: string;
}

/**
 * Makes names unique within one scope: appends each candidate's suffix to its name while the name is taken
 * or shared, every party of a collision at once, so the outcome depends on the set of candidates and never
 * on their order. Returns the settled names, index for index.
 *
 * Names only grow, so a candidate meets each taken name at most once, and two candidates meet again only
 * when their suffixes repeat a common string (IDs 1 and 11); the round bound is far above what any input
 * needs and guards the rest. An empty suffix cannot resolve a collision, so it is refused up front.
 */
export function settle(candidates: readonly SettleCandidate[], taken: ReadonlySet<string> = new Set()): string[] {
  const names = candidates.map(({ name }) => name);
  const maxRounds = (candidates.length + taken.size) ** 2 + 16;
  for (let round = 0; ; round += 1) {
    const counts = new Map<string, number>();
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
    const colliding: number[] = [];
    names.forEach((name, index) => {
      if (taken.has(name) || (counts.get(name) ?? 0) > 1) colliding.push(index);
    });
    if (colliding.length === 0) return names;
    if (round === maxRounds || colliding.some((index) => candidates[index]!.suffix === '')) {
      throw new Error(`Identifiers did not settle: ${colliding.map((index) => names[index]).join(', ')}`);
    }
    for (const index of colliding) names[index] += candidates[index]!.suffix;
  }
}
