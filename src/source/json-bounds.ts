/** Deepest nesting a REST answer may have: Bitrix answers nest about 8 deep (a batch of crm.type.get). */
export const MAX_JSON_DEPTH = 64;
/** Longest string a REST answer may hold: titles and names are at most 255 characters on a portal. */
export const MAX_JSON_STRING = 65_536;
/**
 * Most values a REST answer may hold: a portal with 200 SPAs, 400 pipelines and 2,000 stages answers about
 * 40,000. Past this, the module alone would be too large to format or compile.
 */
export const MAX_JSON_VALUES = 1_000_000;

/**
 * Nesting depth, longest string and number of values of a JSON text, in one pass, before it is parsed: an
 * answer nested thousands deep, holding a megabyte title or millions of values is not a REST answer, and
 * would only fail later, deep in a walk or in Prettier. Returns the first bound crossed, or `undefined`.
 */
export function checkJsonBounds(
  text: string,
  maxDepth = MAX_JSON_DEPTH,
  maxString = MAX_JSON_STRING,
  maxValues = MAX_JSON_VALUES,
): string | undefined {
  let depth = 0;
  // Separators and openings: one per value, give or take the first of each container.
  let values = 0;
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
    else if (char === 0x2c) {
      if (++values > maxValues) return `over ${maxValues} values`;
    } else if (char === 0x7b || char === 0x5b) {
      if (++values > maxValues) return `over ${maxValues} values`;
      depth++;
      if (depth > maxDepth) return `values nested over ${maxDepth} levels deep`;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  if (stringStart >= 0 && text.length - stringStart - 1 > maxString) return `a string of over ${maxString} characters`;
  return undefined;
}

