import { readFileSync } from 'node:fs';

/**
 * This package's own version, read from its package.json (one level above both src/ and dist/). yargs'
 * automatic version would read the host project's package.json when installed under node_modules.
 */
export const GENERATOR_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const USER_AGENT = `gen-ownertypes/${GENERATOR_VERSION} (+https://www.npmjs.com/package/gen-ownertypes) node/${process.versions.node}`;
