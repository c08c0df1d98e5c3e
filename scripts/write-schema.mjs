// Writes gen-ownertypes.schema.json from src/options/schema.ts, the one description of the config.
// test/unit/schema.test.ts fails when the committed file is out of date: run `node scripts/write-schema.mjs`.
// schema.ts imports nothing, so esbuild turns it into a module Node can load without a build of the package.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['src/options/schema.ts'],
  bundle: true,
  format: 'esm',
  platform: 'node',
  write: false,
  logLevel: 'warning',
});
const { renderJsonSchema } = await import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`);
const target = new URL('../gen-ownertypes.schema.json', import.meta.url);
writeFileSync(target, renderJsonSchema());
console.log(`wrote ${fileURLToPath(target)}`);
