import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { lilconfig } from 'lilconfig';
import { ConfigError } from '../shared/errors.js';

/** Options a project may keep in `gen-ownertypes.config.json` or the `"gen-ownertypes"` key of package.json. */
export interface ConfigFile {
  /** The module to write, relative to the config file. */
  readonly out?: string;
  readonly enumStyle?: 'auto' | 'enum' | 'const';
  readonly format?: boolean;
  readonly timeout?: number;
  readonly retries?: number;
  /** Snapshot file, relative to the config file. */
  readonly snapshot?: string;
  /** Portal origin for OAuth; an origin is not a secret. */
  readonly portal?: string;
  /** SPA identifiers keyed by entity type ID (`"177"`) or SYMBOL_CODE (`"DYNAMIC_177"`). */
  readonly aliases?: Readonly<Record<string, string>>;
}

export interface LoadedConfig {
  readonly config: ConfigFile;
  /** Absolute path of the file it came from; `undefined` when none was found. */
  readonly filepath: string | undefined;
}

export const CONFIG_FILE_NAME = 'gen-ownertypes.config.json';
const PACKAGE_KEY = 'gen-ownertypes';
const SECRET_KEYS = new Set(['webhook', 'token', 'accessToken', 'webhookUrl']);

type Check = (value: unknown) => string | undefined;
const isPositiveInteger: Check = (v) =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 ? undefined : 'a whole number of milliseconds ≥ 1';
const KEYS: Record<keyof ConfigFile, Check> = {
  out: (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'a non-empty path'),
  enumStyle: (v) => (v === 'auto' || v === 'enum' || v === 'const' ? undefined : '"auto", "enum" or "const"'),
  format: (v) => (typeof v === 'boolean' ? undefined : 'true or false'),
  timeout: isPositiveInteger,
  retries: (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 10 ? undefined : 'a whole number from 0 to 10',
  snapshot: (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'a non-empty path'),
  portal: (v) => (typeof v === 'string' && /^https?:\/\//.test(v) ? undefined : 'a portal origin such as "https://example.bitrix24.com"'),
  aliases: (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'an object such as { "177": "Equipment" }';
    for (const [key, alias] of Object.entries(v)) {
      if (!/^(?:[1-9]\d*|DYNAMIC_\d+)$/.test(key))
        return `keyed by entity type ID ("177") or SYMBOL_CODE ("DYNAMIC_177"), not ${JSON.stringify(key)}`;
      if (typeof alias !== 'string' || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(alias))
        return `a map to identifiers; ${JSON.stringify(key)} maps to ${JSON.stringify(alias)}, which is not one`;
    }
    return undefined;
  },
};

/** The keys the config accepts, besides `$schema`; kept in step with gen-ownertypes.schema.json by a test. */
export const CONFIG_KEYS = Object.keys(KEYS) as ReadonlyArray<keyof ConfigFile>;

/** Validates parsed config JSON. Unknown keys are errors: a typo must not silently fall back to a default. */
export function validateConfig(raw: unknown, filepath: string): ConfigFile {
  const where = path.basename(filepath) === 'package.json' ? `"${PACKAGE_KEY}" in ${filepath}` : filepath;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${where}: the config must be a JSON object.`);
  }
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === '$schema') continue;
    if (SECRET_KEYS.has(key)) {
      throw new ConfigError(
        `${where}: "${key}" is a secret and is not read from the config file. Set B24_WEBHOOK_URL or B24_ACCESS_TOKEN in the environment (or --env-file) instead.`,
      );
    }
    const check = KEYS[key as keyof ConfigFile] as Check | undefined;
    if (check === undefined) {
      throw new ConfigError(`${where}: unknown key "${key}". Allowed: ${CONFIG_KEYS.join(', ')}.`);
    }
    const problem = check(value);
    if (problem !== undefined) throw new ConfigError(`${where}: "${key}" must be ${problem}.`);
    config[key] = value;
  }
  return config as ConfigFile;
}

function parseJson(filepath: string, content: string): unknown {
  try {
    return JSON.parse(content);
  } catch (error) {
    throw new ConfigError(`${filepath} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Finds the config the way other build tools do: `--config FILE` if given, else the nearest
 * gen-ownertypes.config.json or package.json with a "gen-ownertypes" key, searching up from `cwd`.
 */
export async function loadConfig(cwd: string, explicitPath?: string): Promise<LoadedConfig> {
  if (explicitPath !== undefined) {
    const filepath = path.resolve(cwd, explicitPath);
    let content: string;
    try {
      content = await readFile(filepath, 'utf8');
    } catch (error) {
      throw new ConfigError(`Cannot read config file ${filepath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
    }
    const json = parseJson(filepath, content);
    const raw = path.basename(filepath) === 'package.json' ? (json as Record<string, unknown>)[PACKAGE_KEY] : json;
    if (raw === undefined) throw new ConfigError(`${filepath} has no "${PACKAGE_KEY}" key.`);
    return { config: validateConfig(raw, filepath), filepath };
  }
  const result = await lilconfig(PACKAGE_KEY, {
    searchPlaces: [CONFIG_FILE_NAME, 'package.json'],
    packageProp: PACKAGE_KEY,
    loaders: { '.json': parseJson },
    cache: false,
  }).search(cwd);
  if (result === null) return { config: {}, filepath: undefined };
  return { config: validateConfig(result.config, result.filepath), filepath: result.filepath };
}
