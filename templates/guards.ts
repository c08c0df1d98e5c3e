/*
 * The fixed part of the module that gen-ownertypes writes. The generator parses this file and copies every
 * exported function, with its JSDoc, into the generated module; nothing else is copied. The code has to
 * compile with TypeScript 4.9 against the ES5 default lib, so it sticks to `indexOf` and
 * `Object.prototype.hasOwnProperty.call` (no `Array.prototype.includes`, no `Object.hasOwn`).
 */

// #region stand-ins: not copied. They let this file type-check on its own; the generated module declares the
// real ones.
declare const EntityTypeId: { readonly Lead: 1; readonly Purchase: 156 };
type EntityTypeId = (typeof EntityTypeId)[keyof typeof EntityTypeId];
type SpaEntityTypeId = typeof EntityTypeId.Purchase;
declare const spaEntityTypeIds: readonly SpaEntityTypeId[];
declare const symbolCodeByEntityTypeId: { readonly 1: "LEAD"; readonly 156: "DYNAMIC_156" };
// #endregion

/** Whether `value` is the entity type ID of one of this portal's smart processes (SPAs). */
export function isSpaEntityTypeId(value: number): value is SpaEntityTypeId {
  return (spaEntityTypeIds as readonly number[]).indexOf(value) !== -1;
}

/** Whether `value` is one of this portal's entity type IDs. */
export function isEntityTypeId(value: unknown): value is EntityTypeId {
  return typeof value === "number" && Object.prototype.hasOwnProperty.call(symbolCodeByEntityTypeId, value);
}

/**
 * The entity type ID in `value`, when it is one of this portal's: a number, or a string of decimal digits
 * as IDs arrive from webhooks and URLs (`"177"`; not `"0177"`, `" 177"`, `"177.0"` or `"1e2"`). Otherwise
 * undefined.
 */
export function parseEntityTypeId(value: unknown): EntityTypeId | undefined {
  const id = typeof value === "string" && /^(?:0|[1-9][0-9]*)$/.test(value) ? Number(value) : value;
  return isEntityTypeId(id) ? id : undefined;
}
