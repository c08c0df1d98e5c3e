import transliterate from '@sindresorhus/transliterate';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Words that make the generated module fail to compile when they name an owner type, in either enum style,
 * with any supported TypeScript: reserved words (and `as`) cannot name the type alias of the const style's
 * namespace, and predefined type names cannot name a type at all (`undefined` since TypeScript 5.0). Every
 * other word, contextual keywords included (`type`, `declare`, `of`, `readonly`…), compiles. The naming
 * stage cannot load TypeScript, so this is a list; test/golden/compile-matrix.test.ts derives the keywords
 * from every TypeScript of the matrix and fails when this list and what fails to compile part ways.
 */
export const MODULE_BREAKING_WORDS: ReadonlySet<string> = new Set([
  ...['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else'],
  ...['enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof'],
  ...['new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void'],
  ...['while', 'with', 'as'],
  ...['any', 'bigint', 'boolean', 'never', 'number', 'object', 'string', 'symbol', 'undefined', 'unknown'],
]);

/**
 * Names that are valid identifiers but unsafe as keys of the generated objects. `__proto__` in an object
 * literal sets the prototype instead of a key. A numeric enum holds its members and its reverse mapping in
 * one object, and `String(Infinity)` is "Infinity": a member named `Infinity` or `NaN` would make
 * `EntityTypeId[Infinity]` answer a member's value (TypeScript exempts exactly these two from its
 * numeric-name check). Object.prototype's own names would shadow methods that callers may use.
 */
const UNSAFE_KEYS = new Set([
  '__proto__',
  'Infinity',
  'NaN',
  'constructor',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/**
 * Why `name` cannot name an owner type in the generated module at all, or undefined when it can: the
 * emitter's own guard. `__proto__` is here too: in a compiled enum, as in an object literal, it sets no
 * property.
 */
export function moduleIdentifierProblem(name: string): string | undefined {
  if (!IDENTIFIER.test(name)) {
    return 'is not an ASCII identifier (letters, digits, _ and $, not starting with a digit)';
  }
  if (MODULE_BREAKING_WORDS.has(name)) return 'is a reserved word or a predefined type name in TypeScript';
  if (name === '__proto__') return 'is not safe as an object key';
  return undefined;
}

/** Why `name` cannot be an identifier chosen by the naming stage (stricter than the emitter), or undefined. */
export function identifierProblem(name: string): string | undefined {
  const problem = moduleIdentifierProblem(name);
  if (problem !== undefined) return problem;
  if (UNSAFE_KEYS.has(name)) return 'is not safe as an object key';
  return undefined;
}

/** An ASCII identifier that is safe as an enum member, an object key and a type name. */
export function isValidIdentifier(name: string): boolean {
  return identifierProblem(name) === undefined;
}

/**
 * The words of a text: runs of letters and digits (of any script; everything else separates them), split
 * again where the case changes: `supportTickets` → `support`, `Tickets`; `CRMDeals` → `CRM`, `Deals` (the
 * last capital of a run starts the next word); `iPhone` → `i`, `Phone`; `ЗакупкаОборудования` likewise.
 * Digits stay with the word before them (`Orders2024`, `B2E`), and a capital after digits starts a word
 * only when a lower-case letter follows it (`2024Orders` → `2024`, `Orders`), so all-capital codes such as
 * `SMART_B2E_DOC` split at `_` only.
 */
function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const run of text.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []) {
    const chars = [...run];
    let start = 0;
    for (let i = 1; i < chars.length; i++) {
      const before = chars[i - 1] ?? '';
      const after = chars[i + 1] ?? '';
      if (!UPPER.test(chars[i] ?? '')) continue;
      if (LOWER.test(before) || ((UPPER.test(before) || DIGIT.test(before)) && LOWER.test(after))) {
        words.push(chars.slice(start, i).join(''));
        start = i;
      }
    }
    words.push(chars.slice(start).join(''));
  }
  return words;
}

const UPPER = /^\p{Lu}$/u;
const LOWER = /^\p{Ll}$/u;
const DIGIT = /^\p{N}$/u;

/** `sMART` → `Smart`: an upper-case first letter and a lower-case rest. */
function capitalizeWord(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/**
 * `SMART_B2E_DOC` → `SmartB2eDoc`: the text's words (see `splitWords`), each capitalized; letters outside
 * ASCII are dropped (transliterate first). Can be empty or start with a digit.
 */
export function toPascalCase(text: string): string {
  return splitWords(text)
    .flatMap((word) => word.split(/[^A-Za-z0-9]+/))
    .map(capitalizeWord)
    .join('');
}

/** A system type's identifier from its SYMBOL_CODE (`LEAD` → `Lead`); undefined when no letter or digit is left. */
export function identifierFromSymbolCode(symbolCode: string): string | undefined {
  const name = toPascalCase(symbolCode);
  if (name === '') return undefined;
  return /^[0-9]/.test(name) ? `Type${name}` : name;
}

/**
 * An SPA's identifier from its title (`Закупка оборудования` → `ZakupkaOborudovaniya`); undefined when
 * nothing usable is left (empty, or only punctuation, emoji or scripts the transliterator leaves alone).
 */
export function identifierFromTitle(title: string): string | undefined {
  // NFKC first, so compatibility forms (full-width ＡＢＣ, ligatures like ﬁ, ①, ²) become letters and digits
  // rather than separators; the transliterator leaves them as they are.
  // Words first, then each one transliterated: a capital that becomes two letters (`Œ` → `OE`, `Ä` → `Ae`)
  // must not look like a case change.
  const name = splitWords(title.normalize('NFKC'))
    .flatMap((word) => transliterate(word).split(/[^A-Za-z0-9]+/))
    .map(capitalizeWord)
    .join('');
  if (name === '') return undefined;
  return /^[0-9]/.test(name) ? `Spa${name}` : name;
}
