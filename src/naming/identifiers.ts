import transliterate from '@sindresorhus/transliterate';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Words that cannot name an enum member, a const key and a type alias alike in every supported TypeScript. */
const RESERVED_WORDS = new Set([
  // ECMAScript reserved words, including those reserved only in strict mode and modules.
  ...['await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do'],
  ...['else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in'],
  ...['instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof'],
  ...['var', 'void', 'while', 'with', 'yield', 'let', 'static', 'implements', 'interface', 'package'],
  ...['private', 'protected', 'public', 'arguments', 'eval'],
  // TypeScript's predefined type names: `type string = …` is an error.
  ...['any', 'bigint', 'boolean', 'never', 'number', 'object', 'string', 'symbol', 'unknown', 'undefined'],
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

/** Why `name` cannot be a member of the generated module, or undefined when it can. */
export function identifierProblem(name: string): string | undefined {
  if (!IDENTIFIER.test(name)) {
    return 'is not an ASCII identifier (letters, digits, _ and $, not starting with a digit)';
  }
  if (RESERVED_WORDS.has(name)) return 'is a reserved word';
  if (UNSAFE_KEYS.has(name)) return 'is not safe as an object key';
  return undefined;
}

/** An ASCII identifier that is safe as an enum member, an object key and a type name. */
export function isValidIdentifier(name: string): boolean {
  return identifierProblem(name) === undefined;
}

/** The words of an ASCII text: runs of letters and digits; everything else separates them. */
export function splitWords(text: string): string[] {
  return text.split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
}

/** `sMART` → `Smart`: an upper-case first letter and a lower-case rest. */
export function capitalizeWord(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/**
 * `SMART_B2E_DOC` → `SmartB2eDoc`: the text's words (see `splitWords`), each capitalized. Can be empty or
 * start with a digit.
 */
export function toPascalCase(text: string): string {
  return splitWords(text).map(capitalizeWord).join('');
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
  const name = toPascalCase(transliterate(title.normalize('NFKC')));
  if (name === '') return undefined;
  return /^[0-9]/.test(name) ? `Spa${name}` : name;
}
