import {
  Spa,
  entityTypeNames,
  isEntityTypeId,
  isSpaEntityTypeId,
  type SpaEntityTypeId,
} from './generated/ownertypes.js';

/**
 * A label for an `entityTypeId` that arrives at run time (an event handler's payload, a URL parameter),
 * where the compiler cannot vouch for it.
 */
export function describeEntityType(value: unknown): string {
  if (!isEntityTypeId(value)) return `unknown entity type ${JSON.stringify(value)}`;
  const name = entityTypeNames[value];
  return isSpaEntityTypeId(value) ? `smart process "${name}" (${value})` : `"${name}" (${value})`;
}

/** The portal's smart processes as [identifier, ID] pairs, in ID order. */
export const smartProcesses: ReadonlyArray<readonly [keyof typeof Spa, SpaEntityTypeId]> = (
  Object.keys(Spa) as Array<keyof typeof Spa>
).map((name) => [name, Spa[name]] as const);
