import path from 'node:path';
import { lilconfig } from 'lilconfig';
import { ConfigError } from '../shared/errors.js';
import { readTextFile, stripBom } from '../shared/text-file.js';
import { CONFIG_KEYS, SchemaViolation, validateConfigValue, type ConfigFile, type PortalConfig } from './schema.js';

export { CONFIG_KEYS, type ConfigFile, type PortalConfig };

export interface LoadedConfig {
  readonly config: ConfigFile;
  /** Absolute path of the file it came from; `undefined` when none was found. */
  readonly filepath: string | undefined;
}

const CONFIG_FILE_NAME = 'gen-ownertypes.config.json';
const PACKAGE_KEY = 'gen-ownertypes';

/** Validates parsed config JSON. Unknown keys are errors: a typo must not silently fall back to a default. */
export function validateConfig(raw: unknown, filepath: string): ConfigFile {
  const where = path.basename(filepath) === 'package.json' ? `"${PACKAGE_KEY}" in ${filepath}` : filepath;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${where}: the config must be a JSON object.`);
  }
  try {
    return validateConfigValue(raw);
  } catch (error) {
    if (error instanceof SchemaViolation) throw new ConfigError(`${where}: ${error.message}.`);
    throw error;
  }
}

function parseJson(filepath: string, content: string): unknown {
  try {
    return JSON.parse(stripBom(content));
  } catch (error) {
    throw new ConfigError(`${filepath} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Finds the config the way other build tools do: `--config FILE` if given, else the nearest
 * gen-ownertypes.config.json or package.json with a "gen-ownertypes" key, searching up from `cwd`.
 * A byte-order mark (Windows editors write one) is accepted everywhere.
 */
export async function loadConfig(cwd: string, explicitPath?: string): Promise<LoadedConfig> {
  if (explicitPath !== undefined) {
    const filepath = path.resolve(cwd, explicitPath);
    let content: string;
    try {
      content = await readTextFile(filepath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'ENOENT (it does not exist)' : code === 'EISDIR' ? 'EISDIR (it is a folder)' : (code ?? (error as Error).message);
      throw new ConfigError(`Cannot read config file ${filepath}: ${why}.`);
    }
    const json = parseJson(filepath, content);
    const raw = path.basename(filepath) === 'package.json' && typeof json === 'object' && json !== null ? (json as Record<string, unknown>)[PACKAGE_KEY] : json;
    if (raw === undefined) throw new ConfigError(`${filepath} has no "${PACKAGE_KEY}" key.`);
    return { config: validateConfig(raw, filepath), filepath };
  }
  let result: { config: unknown; filepath: string } | null;
  try {
    result = await lilconfig(PACKAGE_KEY, {
      searchPlaces: [CONFIG_FILE_NAME, 'package.json'],
      packageProp: PACKAGE_KEY,
      loaders: { '.json': parseJson },
      cache: false,
    }).search(cwd);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`Cannot read the config (searching up from ${cwd}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  if (result === null) return { config: {}, filepath: undefined };
  return { config: validateConfig(result.config, result.filepath), filepath: result.filepath };
}
