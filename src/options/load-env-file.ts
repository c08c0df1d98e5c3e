import path from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from '../shared/errors.js';
import { readTextFile } from '../shared/text-file.js';
import type { Environment } from './resolve-options.js';

/**
 * Reads a dotenv file with Node's own parser (a byte-order mark is dropped first). Like `node --env-file`,
 * variables already set in the environment win, so CI secrets are never overridden by a file someone committed.
 */
export async function loadEnvFile(file: string, cwd: string, env: Environment): Promise<Environment> {
  const filepath = path.resolve(cwd, file);
  let content: string;
  try {
    content = await readTextFile(filepath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? ': it does not exist' : code === 'EISDIR' ? ': it is a folder' : `: ${code ?? (error as Error).message}`;
    throw new ConfigError(`Cannot read env file ${filepath}${why}.`);
  }
  return { ...parseEnv(content), ...env };
}
