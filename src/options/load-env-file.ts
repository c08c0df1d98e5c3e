import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from '../shared/errors.js';
import type { Environment } from './resolve-options.js';

/**
 * Reads a dotenv file with Node's own parser. Like `node --env-file`, variables already set in the
 * environment win, so CI secrets are never overridden by a file someone committed.
 */
export async function loadEnvFile(file: string, cwd: string, env: Environment): Promise<Environment> {
  const filepath = path.resolve(cwd, file);
  let content: string;
  try {
    content = await readFile(filepath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `Cannot read env file ${filepath}${code === 'ENOENT' ? ': it does not exist' : `: ${code ?? (error as Error).message}`}.`,
    );
  }
  return { ...parseEnv(content), ...env };
}
