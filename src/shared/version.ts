import { existsSync, readFileSync } from 'node:fs';

/**
 * This package's own version, read from its package.json. yargs' automatic version would read the host
 * project's package.json when installed under node_modules. The file is one level above dist/ (the
 * bundle) and two above src/shared/ (tests run the sources), so the nearer candidate is tried first.
 */
const PACKAGE_JSON = [new URL('../package.json', import.meta.url), new URL('../../package.json', import.meta.url)].find(
  (candidate) => existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'gen-ownertypes',
);
if (PACKAGE_JSON === undefined) throw new Error('gen-ownertypes cannot find its own package.json');

export const GENERATOR_VERSION: string = (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;

export const USER_AGENT = `gen-ownertypes/${GENERATOR_VERSION} (+https://www.npmjs.com/package/gen-ownertypes) node/${process.versions.node}`;
