/*
 * The fixed part of the pipelines and stages section that gen-ownertypes writes. The generator parses this
 * file and copies every exported function, with its JSDoc, into the generated module; nothing else is
 * copied. The code has to compile with TypeScript 4.9 against the ES5 default lib, so it sticks to
 * `for…in` and `Object.prototype.hasOwnProperty.call` (no `Object.values`, no `Object.hasOwn`).
 */

// #region stand-ins: not copied. They let this file type-check on its own; the generated module declares the
// real ones.
type StageId = "NEW" | "C3:WON";
declare const stageSemantics: {
  readonly 1: { readonly NEW: "process" | "success" | "failure" };
  readonly 2: { readonly "C3:WON": "process" | "success" | "failure" };
};
// #endregion

/** Whether `value` is one of this portal's stage IDs (`stageId` in `crm.item.*`), of any owner type. */
export function isStageId(value: unknown): value is StageId {
  if (typeof value !== "string") return false;
  const byType = stageSemantics as { readonly [entityTypeId: string]: object | undefined };
  for (const entityTypeId in byType) {
    if (
      Object.prototype.hasOwnProperty.call(byType, entityTypeId) &&
      Object.prototype.hasOwnProperty.call(byType[entityTypeId], value)
    ) {
      return true;
    }
  }
  return false;
}
