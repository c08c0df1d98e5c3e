/**
 * The one description of the config file. From it come the config's TypeScript type (`ConfigFile`), its
 * validation with precise messages (`validateConfigValue`), the published gen-ownertypes.schema.json
 * (`renderJsonSchema`, written by scripts/write-schema.mjs and checked by a test) and the bounds the
 * command line applies to the same settings (`BOUNDS`). A few small builders, no validator library: this
 * runs on every start-up.
 *
 * Imports only a leaf helper of shared/, so scripts/write-schema.mjs can bundle it alone.
 */
import { editDistance } from '../shared/edit-distance.js';

/** A JSON Schema (draft-07) fragment. */
type JsonSchema = { readonly [key: string]: unknown };

/** One node of the description: checks a value and says what it describes. */
interface Schema<T> {
  readonly json: JsonSchema;
  /** Returns the value typed, or throws a `SchemaViolation` naming `at` (a dotted key path). */
  check(value: unknown, at: string): T;
}

type SchemaType<S> = S extends Schema<infer T> ? T : never;

/** A value that does not fit: `at` is the key path (`portals.dev.out`), `problem` completes "must be …". */
export class SchemaViolation extends Error {
  constructor(
    readonly at: string,
    readonly problem: string,
    /** The whole message, when it does not read ""at" problem". */
    message?: string,
  ) {
    super(message ?? `"${at}" ${problem}`);
  }
}

const describe = (description: string | undefined) => (description === undefined ? {} : { description });

function string(options: {
  readonly description?: string;
  readonly pattern?: RegExp;
  /** What a valid value looks like, for messages ("a portal origin such as …"). */
  readonly expect?: string;
  /** Extra checks; returns the problem ("must be …", "looks like …"), never the value when it may be a secret. */
  readonly refine?: (value: string) => string | undefined;
  /** A pattern for editors only, when `refine` gives the precise message. */
  readonly jsonPattern?: RegExp;
}): Schema<string> {
  const expect = options.expect ?? 'a non-empty string';
  return {
    json: {
      type: 'string',
      minLength: 1,
      ...((options.pattern ?? options.jsonPattern) !== undefined && { pattern: (options.pattern ?? options.jsonPattern)!.source }),
      ...describe(options.description),
    },
    check(value, at) {
      if (typeof value !== 'string' || value.length === 0) throw new SchemaViolation(at, `must be ${expect}`);
      if (options.pattern !== undefined && !options.pattern.test(value)) throw new SchemaViolation(at, `must be ${expect}`);
      const problem = options.refine?.(value);
      if (problem !== undefined) throw new SchemaViolation(at, problem);
      return value;
    },
  };
}

function boolean(description: string): Schema<boolean> {
  return {
    json: { type: 'boolean', description },
    check(value, at) {
      if (typeof value !== 'boolean') throw new SchemaViolation(at, 'must be true or false');
      return value;
    },
  };
}

export interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly unit?: string;
}

/** "a whole number from 1 to 600000 (milliseconds)": the same words for the flag and the config key. */
export function describeBounds(bounds: Bounds): string {
  return `a whole number from ${bounds.min} to ${bounds.max}${bounds.unit === undefined ? '' : ` (${bounds.unit})`}`;
}

function integer(bounds: Bounds, description: string): Schema<number> {
  return {
    json: { type: 'integer', minimum: bounds.min, maximum: bounds.max, description },
    check(value, at) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < bounds.min || value > bounds.max) {
        throw new SchemaViolation(at, `must be ${describeBounds(bounds)}`);
      }
      return value;
    },
  };
}

function oneOf<const V extends readonly string[]>(values: V, description: string): Schema<V[number]> {
  const listed = values.map((v) => JSON.stringify(v));
  const words = listed.length === 1 ? listed[0] : `${listed.slice(0, -1).join(', ')} or ${listed.at(-1)}`;
  return {
    json: { enum: values, description },
    check(value, at) {
      if (typeof value !== 'string' || !values.includes(value)) throw new SchemaViolation(at, `must be ${words}`);
      return value as V[number];
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record<T>(options: {
  readonly description: string;
  readonly keyPattern: RegExp;
  /** Completes "keyed by …". */
  readonly keys: string;
  readonly value: Schema<T>;
  readonly example: string;
}): Schema<Readonly<Record<string, T>>> {
  return {
    json: {
      type: 'object',
      description: options.description,
      propertyNames: { pattern: options.keyPattern.source },
      additionalProperties: options.value.json,
    },
    check(value, at) {
      if (!isPlainObject(value)) throw new SchemaViolation(at, `must be an object such as ${options.example}`);
      const result: Record<string, T> = {};
      for (const [key, item] of Object.entries(value)) {
        if (!options.keyPattern.test(key)) {
          throw new SchemaViolation(at, `must be keyed by ${options.keys}, not ${JSON.stringify(key)}`);
        }
        result[key] = options.value.check(item, `${at}.${key}`);
      }
      return result;
    },
  };
}

/** The known key a typo most likely meant (case ignored), when it is close. */
function closestKey(typed: string, keys: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of keys) {
    const distance = editDistance(typed.toLowerCase(), key.toLowerCase());
    if (best === undefined || distance < best.distance) best = { key, distance };
  }
  const limit = typed.length <= 4 ? 1 : typed.length <= 8 ? 2 : 3;
  return best !== undefined && best.distance <= limit ? best.key : undefined;
}

type Shape = Readonly<Record<string, Schema<unknown>>>;
type ObjectType<P extends Shape, R extends keyof P> = { readonly [K in Exclude<keyof P, R>]?: SchemaType<P[K]> } & {
  readonly [K in R]: SchemaType<P[K]>;
};

function object<P extends Shape, R extends keyof P & string = never>(options: {
  readonly description?: string;
  readonly properties: P;
  readonly required?: readonly R[];
  /** Keys with a message of their own instead of "unknown key" (secrets that belong elsewhere). */
  readonly refused?: Readonly<Record<string, string>>;
  /** Checks across keys, after each key passed its own. */
  readonly refine?: (value: ObjectType<P, R>) => string | undefined;
  /** The same cross-key rule for editors, in JSON Schema words. */
  readonly jsonRefine?: JsonSchema;
}): Schema<ObjectType<P, R>> & { readonly keys: readonly string[] } {
  const keys = Object.keys(options.properties);
  return {
    keys,
    json: {
      type: 'object',
      ...describe(options.description),
      additionalProperties: false,
      ...(options.required !== undefined && options.required.length > 0 && { required: options.required }),
      properties: Object.fromEntries(keys.map((key) => [key, options.properties[key]!.json])),
      ...options.jsonRefine,
    },
    check(value, at) {
      if (!isPlainObject(value)) throw new SchemaViolation(at, 'must be an object');
      const result: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const path = at === '' ? key : `${at}.${key}`;
        const refused = options.refused?.[key];
        if (refused !== undefined) throw new SchemaViolation(path, refused);
        const schema = Object.hasOwn(options.properties, key) ? options.properties[key] : undefined;
        if (schema === undefined) {
          const listed = keys.filter((k) => !k.startsWith('$'));
          const guess = closestKey(key, listed);
          const allowed = `${guess === undefined ? '' : `; did you mean "${guess}"?`} Allowed${at === '' ? '' : ` in "${at}"`}: ${listed.join(', ')}`;
          throw new SchemaViolation(path, `is not a known key${allowed}`, `unknown key "${path}"${guess === undefined ? '.' : ''}${allowed}`);
        }
        result[key] = schema.check(item, path);
      }
      for (const key of options.required ?? []) {
        if (!(key in result)) throw new SchemaViolation(at === '' ? key : `${at}.${key}`, 'is required');
      }
      const typed = result as ObjectType<P, R>;
      const problem = options.refine?.(typed);
      if (problem !== undefined) throw new SchemaViolation(at, problem);
      return typed;
    },
  };
}

/** The bounds of the settings a flag and a config key share. */
export const BOUNDS = {
  timeout: { min: 1, max: 600_000, unit: 'milliseconds' },
  retries: { min: 0, max: 10 },
} as const satisfies Record<string, Bounds>;

/** Names of the portals in `portals`: they appear in messages, `--only` and file names. */
const PORTAL_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Alias keys: an entity type ID (`177`), a SYMBOL_CODE (`DYNAMIC_177`), or an SPA's symbolic `code` from
 * crm.type.list (`rental_listing`): a letter, then letters, digits and `_`, at most 50 characters.
 */
const ALIAS_KEY = /^(?:[1-9][0-9]{0,9}|DYNAMIC_[1-9][0-9]{0,9}|[A-Za-z][A-Za-z0-9_]{0,49})$/;

/** A TypeScript identifier in ASCII, as the module's identifiers are. */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The name of an environment variable (POSIX portable names). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A value that cannot be a variable's name and may be a secret itself (a webhook URL, a token pasted where
 * the name belongs). The message never repeats it.
 */
function envNameProblem(value: string): string | undefined {
  const looksLikeUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.includes('/');
  if (looksLikeUrl) return 'must name an environment variable (such as "B24_PROD_WEBHOOK_URL"), but holds what looks like a URL; put the URL in that variable instead (the value is not repeated here)';
  // Tokens are long runs of lowercase hex or mixed-case letters and digits; variable names are words with _.
  const looksLikeToken = value.length >= 16 && !value.includes('_') && /\d/.test(value) && /[a-z]/.test(value);
  if (!ENV_NAME.test(value) || looksLikeToken) {
    return 'must name an environment variable (letters, digits and _, such as "B24_PROD_ACCESS_TOKEN"), but holds what looks like a token or another value; put the secret in that variable instead (the value is not repeated here)';
  }
  return undefined;
}

const origin = (description: string) =>
  string({ description, pattern: /^https?:\/\/[^/?#\s]+\/?$/, expect: 'a portal origin such as "https://example.bitrix24.com" (no path: it is not a secret)' });

const path = (description: string) => string({ description, expect: 'a non-empty path' });

const aliases = record({
  description:
    'Identifiers for smart processes, keyed by entity type ID ("177"), SYMBOL_CODE ("DYNAMIC_177") or the SPA\'s symbolic code from crm.type.list ("rental_listing": a letter, then letters, digits and _).',
  keyPattern: ALIAS_KEY,
  keys: 'entity type ID ("177"), SYMBOL_CODE ("DYNAMIC_177") or an SPA code ("rental_listing")',
  example: '{ "177": "Equipment" }',
  value: string({ pattern: IDENTIFIER, expect: 'an identifier (letters, digits, _ and $, not starting with a digit)' }),
});

const portalEntry = object({
  description: 'One portal: exactly one source (webhookEnv, portal + tokenEnv, or input) and its own out.',
  properties: {
    webhookEnv: string({
      jsonPattern: ENV_NAME,
      description: 'The name of the environment variable that holds this portal\'s inbound webhook URL (never the URL itself).',
      refine: envNameProblem,
    }),
    portal: origin('Portal origin for OAuth, used with tokenEnv.'),
    tokenEnv: string({
      jsonPattern: ENV_NAME,
      description: 'The name of the environment variable that holds this portal\'s OAuth access token (never the token itself).',
      refine: envNameProblem,
    }),
    input: path('A saved response or snapshot file (relative to this config file): generate offline.'),
    out: path('The module to write for this portal, relative to this config file.'),
    snapshot: path('Also write this portal\'s normalized response here, relative to this config file.'),
    aliases,
  },
  required: ['out'],
  jsonRefine: { oneOf: [{ required: ['webhookEnv'] }, { required: ['portal', 'tokenEnv'] }, { required: ['input'] }] },
  refused: {
    webhook: 'is a secret and is not read from the config file: set "webhookEnv" to the name of an environment variable holding it',
    token: 'is a secret and is not read from the config file: set "tokenEnv" to the name of an environment variable holding it',
  },
  refine: (entry) => {
    const sources = [entry.webhookEnv !== undefined && 'webhookEnv', entry.input !== undefined && 'input', (entry.portal !== undefined || entry.tokenEnv !== undefined) && 'portal + tokenEnv'].filter(
      (name): name is string => name !== false,
    );
    if (sources.length === 0) return 'needs one source: "webhookEnv", "portal" with "tokenEnv", or "input"';
    if (sources.length > 1) return `must have one source, not ${sources.join(' and ')}`;
    if (entry.portal !== undefined && entry.tokenEnv === undefined) return 'has "portal" but no "tokenEnv" (the name of the variable holding the access token)';
    if (entry.tokenEnv !== undefined && entry.portal === undefined) return 'has "tokenEnv" but no "portal" (the portal origin)';
    return undefined;
  },
});

const configSchema = object({
  description:
    'Options for gen-ownertypes, in gen-ownertypes.config.json or the "gen-ownertypes" key of package.json. Secrets (webhook URL, access token) never go here: use B24_WEBHOOK_URL or B24_ACCESS_TOKEN, or name the variables in "portals".',
  properties: {
    $schema: string({ description: 'Path or URL of this schema, for editor completion.' }),
    out: path('The module to write, relative to this config file. Default: src/generated/ownertypes.ts'),
    enumStyle: oneOf(
      ['auto', 'enum', 'const'],
      "enum: a TypeScript enum; const: an `as const` object plus a type of the same name (works under erasableSyntaxOnly and Node's type stripping); auto: const when the tsconfig governing the output sets erasableSyntaxOnly, else enum. Default: auto",
    ),
    format: boolean("Format the module with Prettier using the project's config for the output path. Default: true"),
    timeout: integer(BOUNDS.timeout, 'Milliseconds allowed for each request attempt. Default: 15000'),
    retries: integer(BOUNDS.retries, 'Retries for rate limits, 5xx answers and network faults; never for auth errors. Default: 3'),
    snapshot: path(
      'Also write the normalized response here (relative to this config file), for offline regeneration with --input. When no source is given and this file exists, the run regenerates from it offline.',
    ),
    portal: origin('Portal origin for OAuth (https://example.bitrix24.com), used with B24_ACCESS_TOKEN. Not a secret.'),
    pipelines: boolean('Read pipelines and stages (Category, Stage); false gives a module of owner types only. Default: true'),
    consistency: oneOf(
      ['warn', 'error'],
      'With portals: what to do when the portals disagree (an SPA, pipeline or stage on some portals only). warn prints the report; error exits 1 and writes nothing. Default: warn',
    ),
    aliases,
    portals: record({
      description: 'Several portals, each with its own source and module; names are [a-z][a-z0-9-]*.',
      keyPattern: PORTAL_NAME,
      keys: 'portal names: a lowercase letter, then lowercase letters, digits and -',
      example: '{ "prod": { "webhookEnv": "B24_PROD_WEBHOOK_URL", "out": "src/generated/ownertypes.prod.ts" } }',
      value: portalEntry,
    }),
  },
  refused: {
    webhook: 'is a secret and is not read from the config file. Set B24_WEBHOOK_URL in the environment (or --env-file) instead',
    webhookUrl: 'is a secret and is not read from the config file. Set B24_WEBHOOK_URL in the environment (or --env-file) instead',
    token: 'is a secret and is not read from the config file. Set B24_ACCESS_TOKEN in the environment (or --env-file) instead',
    accessToken: 'is a secret and is not read from the config file. Set B24_ACCESS_TOKEN in the environment (or --env-file) instead',
  },
});

/** Options a project may keep in `gen-ownertypes.config.json` or the `"gen-ownertypes"` key of package.json. */
export type ConfigFile = Omit<SchemaType<typeof configSchema>, '$schema'>;
/** One entry of `portals`. */
export type PortalConfig = SchemaType<typeof portalEntry>;

/** The keys the config accepts, besides `$schema`. */
export const CONFIG_KEYS: readonly string[] = configSchema.keys.filter((key) => key !== '$schema');

/** Checks parsed config JSON; throws `SchemaViolation` for the first problem. */
export function validateConfigValue(value: unknown): ConfigFile {
  const { $schema: _, ...config } = configSchema.check(value, '');
  return config;
}

/** gen-ownertypes.schema.json, exactly as committed. */
export function renderJsonSchema(): string {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://unpkg.com/gen-ownertypes/gen-ownertypes.schema.json',
    title: 'gen-ownertypes configuration',
    ...configSchema.json,
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
