// Where ts-morph's three large CommonJS files are, in the order they load: TypeScript's compiler, which
// @ts-morph/common requires as './typescript', then @ts-morph/common, then ts-morph, which requires it.
// The ts-morph stand-in (scripts/build.mjs) hands them to src/output/code-cache.ts before it requires
// ts-morph, so that the CLI on Node 20 compiles them from its code cache; the rest of ts-morph's
// dependencies load as usual. test/package/stand-ins.test.ts fails when ts-morph no longer loads these
// files, or loads others of that size.
import { createRequire } from 'node:module';
import path from 'node:path';

/** The files, resolved from `require` as ts-morph itself would be. */
export function tsMorphFiles(require) {
  const tsMorph = require.resolve('ts-morph');
  const common = createRequire(tsMorph).resolve('@ts-morph/common');
  return [path.join(path.dirname(common), 'typescript.js'), common, tsMorph];
}
