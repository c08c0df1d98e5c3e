import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// A generated module lands in projects that lint with typescript-eslint's recommended presets; a module
// that trips them forces every consumer to add an ignore entry. Configured here rather than in an
// eslint.config.js so the repository's own files are not subject to a lint setup nobody runs.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GOLDEN = ['ownertypes.enum.ts', 'ownertypes.const.ts', 'russian.enum.ts', 'russian.const.ts'].map(
  (name) => `test/golden/expected/${name}`,
).concat(['portal-a-renamed.enum.ts', 'portal-a-renamed.const.ts'].map((name) => `test/golden/pipelines/expected/${name}`));
const EXAMPLE_MODULE = 'examples/consumer/src/generated/ownertypes.ts';

/** Not on disk: linted from memory, type-checked in typescript-eslint's default project. */
const SNIPPET_PATH = 'test/lint/snippet.ts';

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [
      ...tseslint.configs.recommendedTypeChecked,
      {
        // Inline directives are honoured, as in a consumer's project, but one that suppresses nothing fails.
        linterOptions: { reportUnusedDisableDirectives: 'error' },
        languageOptions: {
          parserOptions: { projectService: { allowDefaultProject: ['test/lint/*.ts'] }, tsconfigRootDir: ROOT },
        },
      },
    ],
  });
});

function describeMessages(results: ESLint.LintResult[]): string[] {
  return results.flatMap((result) =>
    result.messages.map(
      (m) => `${path.relative(ROOT, result.filePath)}:${m.line}:${m.column} ${m.ruleId ?? '(fatal)'} ${m.message}`,
    ),
  );
}

describe('typescript-eslint recommended + recommendedTypeChecked', () => {
  it.each([...GOLDEN, EXAMPLE_MODULE])('reports nothing on %s', async (file) => {
    const text = await readFile(path.join(ROOT, file), 'utf8');
    // A blanket disable would make this test pass for any content; only rule-specific directives count.
    expect(text).not.toMatch(/eslint-disable(?:-next-line|-line)?\s*(?:\*\/|$)/m);
    const results = await eslint.lintFiles([file]);
    expect(results).toHaveLength(1);
    expect(describeMessages(results)).toEqual([]);
  });

  it('reports what the presets forbid, syntax and type-aware rules alike (the setup above can fail)', async () => {
    const snippet = [
      'export const loose: any = 1;',
      'let once = 2;',
      'export { once };',
      'Promise.resolve(1);',
      '// eslint-disable-next-line @typescript-eslint/no-namespace',
      'export const fine = 3;',
      '',
    ].join('\n');
    const results = await eslint.lintText(snippet, { filePath: path.join(ROOT, SNIPPET_PATH) });
    const found = results.flatMap((r) => r.messages.map((m) => `${m.line} ${m.ruleId ?? m.message}`));
    expect(found).toEqual([
      '1 @typescript-eslint/no-explicit-any',
      '2 prefer-const',
      // Type-aware: proves the type checker is wired up, not only the parser.
      '4 @typescript-eslint/no-floating-promises',
      "5 Unused eslint-disable directive (no problems were reported from '@typescript-eslint/no-namespace').",
    ]);
  });
});
