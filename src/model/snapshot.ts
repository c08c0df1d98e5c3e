import type { OwnerTypeModel } from './owner-types.js';

/**
 * The `--snapshot` file: the validated response, normalized so that the same portal always gives the same
 * bytes (sorted by ID, no volatile `time`, no secret). `--input` reads it back through `parseOwnerTypes`.
 */

/** The marker of the snapshot format this version writes and reads. Bump the `@n` on an incompatible change. */
export const SNAPSHOT_FORMAT = 'gen-ownertypes/crm.enum.ownertype@1';

export function serializeSnapshot(model: OwnerTypeModel): string {
  const snapshot = {
    snapshot: SNAPSHOT_FORMAT,
    ...(model.portal !== undefined && { portal: model.portal }),
    result: [...model.types]
      .sort((a, b) => a.id - b.id)
      .map((type) => ({
        ID: type.id,
        NAME: type.name,
        SYMBOL_CODE: type.symbolCode,
        SYMBOL_CODE_SHORT: type.shortCode,
      })),
  };
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

/**
 * Whether `json` claims to be a snapshot (an object with a `snapshot` key), of any format version:
 * `parseOwnerTypes` reads such a value as a snapshot and rejects versions it does not know.
 */
export function isSnapshot(json: unknown): boolean {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && Object.hasOwn(json, 'snapshot');
}
