import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// DESIGN.md's table of which part may reach which, checked over src/ by eslint.imports.config.mjs.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Today's breaches of the table, each with its reason. A new breach fails this test; so does an entry that
 * no longer occurs (delete it: the list only shrinks).
 */
const KNOWN: ReadonlyArray<{ file: string; import: string; reason: string }> = [
  {
    file: 'src/cli/run.ts',
    import: '../source/redact.js',
    reason: 'the CLI redacts secrets from every line it prints with redact/secretsOf, which live in source/redact.ts; they belong in a shared redact module',
  },
  {
    file: 'src/emit/build-module.ts',
    import: '../naming/identifiers.js',
    reason: "the emitter refuses identifiers by the naming stage's one list of module-breaking words (moduleIdentifierProblem), so the two cannot drift apart",
  },
  {
    file: 'src/source/source.ts',
    import: '../options/generate-options.js',
    reason: 'RemoteSource is derived from the options\' Source type, which lives in options/generate-options.ts today',
  },
  {
    file: 'src/source/read-source.ts',
    import: '../options/generate-options.js',
    reason: 'the Source type lives in options/generate-options.ts today; DESIGN puts it in source/source.ts, which options then imports as a type',
  },
  {
    file: 'src/format/splice-entries.ts',
    import: '../emit/literals.js',
    reason: 'the spliced entries must escape portal text exactly as the module does, and literals.ts is the one escaping door',
  },
  {
    file: 'src/output/drift-report.ts',
    import: '../emit/literals.js',
    reason: 'the drift report shows portal titles escaped as the module escapes them, through the one escaping door',
  },
  {
    file: 'src/output/consistency-report.ts',
    import: '../emit/literals.js',
    reason: 'the consistency report shows titles and stage IDs escaped as the module escapes them, through the one escaping door (as drift-report.ts does)',
  },
  {
    file: 'src/output/render-cache.ts',
    import: '../emit/header.js',
    reason: "the render record hashes with the banner's digest function; it belongs in shared/ beside the other leaf helpers",
  },
];

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT, overrideConfigFile: path.join(ROOT, 'eslint.imports.config.mjs') });
});

function breaches(results: ESLint.LintResult[]): Array<{ file: string; import: string; line: string }> {
  return results.flatMap((result) =>
    result.messages.map((m) => {
      const file = path.relative(ROOT, result.filePath).split(path.sep).join('/');
      const imported = /'([^']+)' import/.exec(m.message)?.[1] ?? /^'([^']+)'/.exec(m.message)?.[1] ?? '?';
      return { file, import: imported, line: `${file}:${m.line} ${m.ruleId ?? '(fatal)'} ${m.message}` };
    }),
  );
}

describe('which part of src/ may import which', () => {
  it('src/ has no breach of the table beyond the known ones, and every known one still occurs', async () => {
    const found = breaches(await eslint.lintFiles(['src/**/*.ts']));
    const isKnown = (b: { file: string; import: string }) => KNOWN.some((k) => k.file === b.file && k.import === b.import);
    expect(found.filter((b) => !isKnown(b)).map((b) => b.line)).toEqual([]);
    const stale = KNOWN.filter((k) => !found.some((b) => b.file === k.file && b.import === k.import));
    expect(stale.map((k) => `${k.file} → ${k.import} no longer occurs: remove it from KNOWN`)).toEqual([]);
  });

  // Each rule of the table, shown to fail on a file that breaks it and to pass on one that keeps it.
  const cases: Array<[string, string, boolean]> = [
    ['src/bin.ts', "import { generate } from './generate.js';", false],
    ['src/bin.ts', "import { run } from './cli/run.js';", true],
    ['src/cli/x.ts', "import { generate } from '../generate.js';", false],
    ['src/cli/x.ts', "import type { GenerateResult } from '../generate.js';\nconst g = await import('../generate.js');", true],
    ['src/cli/x.ts', "import { buildModule } from '../emit/build-module.js';", false],
    ['src/cli/x.ts', "import { resolveOptions } from '../options/resolve-options.js';", true],
    ['src/shared/x.ts', "import type { OwnerType } from '../model/owner-types.js';", false],
    ['src/model/x.ts', "import { readFile } from 'node:fs/promises';", false],
    ['src/model/x.ts', "import { request } from 'undici';", false],
    ['src/model/x.ts', "import { Project } from 'ts-morph';", false],
    ['src/model/x.ts', "import { nameOwnerTypes } from '../naming/name-owner-types.js';", false],
    ['src/model/x.ts', "import { UsageError } from '../shared/errors.js';", true],
    ['src/naming/x.ts', "import { parseOwnerTypes } from '../model/parse-owner-types.js';", true],
    ['src/naming/x.ts', "import { stringLiteral } from '../emit/literals.js';", false],
    ['src/emit/x.ts', "import { Project } from 'ts-morph';", true],
    ['src/emit/x.ts', "import { readFile } from 'node:fs/promises';", false],
    ['src/emit/templates.ts', "import { readFile } from 'node:fs/promises';", true],
    ['src/emit/x.ts', "import { format } from 'prettier';", false],
    ['src/emit/x.ts', "import { readSource } from '../source/read-source.js';", false],
    ['src/format/x.ts', "import { writeFiles } from '../output/write-files.js';", false],
    ['src/format/x.ts', "import { format } from 'prettier';", false],
    ['src/format/x.ts', "import type { Options } from 'prettier';\nconst p = await import('prettier');", true],
    ['src/toolchain/x.ts', "import { writeFile } from 'node:fs/promises';", false],
    ['src/toolchain/x.ts', "import { readFile } from 'node:fs/promises';", true],
    ['src/toolchain/x.ts', "import { ts } from 'ts-morph';", false],
    ['src/source/x.ts', "import { request } from 'undici';", true],
    ['src/output/x.ts', "import { request } from 'undici';", false],
    ['src/output/x.ts', "import { writeFile } from 'node:fs/promises';", true],
    ['src/output/x.ts', "import type { NamedOwnerType } from '../model/owner-types.js';", true],
    ['src/options/x.ts', "import { mkdir } from 'node:fs/promises';", false],
    ['src/generate.ts', "import yargs from 'yargs';", false],
  ];
  it.each(cases)('%s: %s → allowed: %s', async (file, code, allowed) => {
    const results = await eslint.lintText(`${code}\nexport {};\n`, { filePath: path.join(ROOT, file) });
    const messages = results.flatMap((r) => r.messages.map((m) => m.message));
    if (allowed) expect(messages).toEqual([]);
    else expect(messages).toHaveLength(1);
  });
});
