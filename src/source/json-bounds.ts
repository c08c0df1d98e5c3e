/** Deepest nesting a REST answer may have: Bitrix answers nest about 8 deep (a batch of crm.type.get). */
export const MAX_JSON_DEPTH = 64;
/** Longest string a REST answer may hold: titles and names are at most 255 characters on a portal. */
export const MAX_JSON_STRING = 65_536;

/**
 * Nesting depth and longest string of a JSON text, in one pass, before it is parsed: an answer nested
 * thousands deep or holding a megabyte title is not a REST answer, and would only fail later, deep in a
 * walk or in Prettier. Returns a description of the first bound crossed, or `undefined`.
 */
export function checkJsonBounds(text: string, maxDepth = MAX_JSON_DEPTH, maxString = MAX_JSON_STRING): string | undefined {
  let depth = 0;
  let stringStart = -1;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (stringStart >= 0) {
      if (char === 0x5c) i++;
      else if (char === 0x22) {
        if (i - stringStart - 1 > maxString) return `a string of over ${maxString} characters`;
        stringStart = -1;
      }
      continue;
    }
    if (char === 0x22) stringStart = i;
    else if (char === 0x7b || char === 0x5b) {
      depth++;
      if (depth > maxDepth) return `values nested over ${maxDepth} levels deep`;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  if (stringStart >= 0 && text.length - stringStart - 1 > maxString) return `a string of over ${maxString} characters`;
  return undefined;
}

