/**
 * The only way portal text enters generated code. Titles are typed by anyone on the portal, so every one
 * becomes an escaped literal or escaped comment text; nothing is ever spliced in raw.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Characters JSON.stringify leaves raw but that must not stand raw in source: U+2028/U+2029, which older
 * parsers and some tools treat as line breaks; bidi controls, which make code display differently from
 * how it compiles ("Trojan Source"); and invisible zero-width characters and the BOM.
 */
const INVISIBLE = /[\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g;

/**
 * A double-quoted string literal that evaluates back to `value` exactly. JSON.stringify escapes quotes,
 * backslashes, control characters and lone surrogates; the rest of INVISIBLE is escaped here.
 */
export function stringLiteral(value: string): string {
  return JSON.stringify(value).replace(INVISIBLE, (char) => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
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
