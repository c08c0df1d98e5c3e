/**
 * The only way portal text enters generated code. Titles are typed by anyone on the portal, so every one
 * becomes an escaped literal or escaped comment text; nothing is ever spliced in raw.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A double-quoted string literal that evaluates back to `value` exactly. JSON.stringify escapes quotes,
 * backslashes, control characters and lone surrogates; U+2028/U+2029 are escaped too, because older
 * parsers and some tools still treat them as line breaks.
 */
export function stringLiteral(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** An object literal key: bare when it is a plain ASCII identifier, a string literal otherwise. */
export function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : stringLiteral(key);
}

/**
 * Text safe inside a `/** … *\/` comment, on one line: the value as an escaped string literal (so line
 * breaks, tabs and control characters stay visible as escapes) with `*\/` split so it cannot end the
 * comment, and `@` escaped so a title cannot start a JSDoc tag.
 */
export function commentText(value: string): string {
  return stringLiteral(value).replace(/\*\//g, '*\\/').replace(/@/g, '\\@');
}
