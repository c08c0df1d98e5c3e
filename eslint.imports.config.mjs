// Which part of src/ may import which (docs: DESIGN.md, "Which part may reach which"), as ESLint rules.
// Checked by test/lint/import-rules.test.ts in `npm test`; by hand: npx eslint -c eslint.imports.config.mjs src
// Known breaches of today's tree are listed, each with its reason, in test/lint/import-rules.test.ts.
import tseslint from 'typescript-eslint';

const PARTS = ['cli', 'shared', 'options', 'toolchain', 'source', 'model', 'naming', 'emit', 'format', 'output'];
const FS = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'];
const FS_WRITES = [
  'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createWriteStream', 'mkdir', 'mkdirSync', 'mkdtemp',
  'mkdtempSync', 'rename', 'renameSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync', 'unlink', 'unlinkSync', 'copyFile',
  'copyFileSync', 'cp', 'cpSync', 'open', 'openSync', 'truncate', 'truncateSync', 'chmod', 'chmodSync', 'symlink', 'link',
];
const NETWORK = ['undici', 'node:http', 'node:https', 'node:net', 'node:tls', 'http', 'https', 'net', 'tls'];

const escape = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Relative imports leaving the folder for any part not in `allowed` (files in src/ itself included). */
function otherParts(from, allowed, { types = [] } = {}) {
  const open = [...allowed, ...types].map((part) => (part.endsWith('.js') ? `${escape(part)}$` : `${part}/`));
  return [
    {
      regex: `^\\.\\./(?!(?:${open.join('|')}))`,
      message: `${from} may import only ${[...allowed].join(', ') || 'nothing of ours'} (DESIGN.md, "Which part may reach which").`,
    },
    ...types.map((part) => ({
      regex: `^\\.\\./${part.endsWith('.js') ? `${escape(part)}$` : `${part}/`}`,
      allowTypeImports: true,
      message: `${from} may import only types from ${part}${part === 'generate.js' ? ' (and generate() lazily, with import())' : ''}.`,
    })),
  ];
}
const packages = (names, message, allowTypeImports = false) =>
  names.map((name) => ({ regex: `^${escape(name)}(?:/|$)`, message, allowTypeImports }));
const noWrites = (from) =>
  FS.map((name) => ({ name, importNames: FS_WRITES, message: `${from} never writes files: only src/output/ does.` }));
const lazy = (from) => [
  ...packages(['ts-morph', 'typescript'], `${from} loads ts-morph only lazily (await import()), on the path that renders.`, true),
  ...packages(['prettier'], `${from} loads Prettier only lazily (await import()), in src/format/.`, true),
];
const notUndici = (from) => packages(['undici'], `${from} never speaks HTTP: src/source/ is the only importer of undici.`);
const notYargs = (from) => packages(['yargs', 'yargs/helpers'], `${from} never parses the command line: that is src/cli/.`);

/** One block per part; a file matches exactly one, so no block's options replace another's. */
const rules = {
  // bin also turns on, and at exit saves, the code cache (output/code-cache.ts): like V8's flags and the
  // signals, how the process loads its modules belongs to the process, and the cache is a file written.
  'src/bin.ts': {
    patterns: [{ regex: '^\\.\\.?/(?!cli/|output/code-cache\\.js$)', message: 'bin imports only cli (and output/code-cache.js).' }, ...notUndici('bin'), ...lazy('bin')],
  },
  'src/cli/**': {
    patterns: [...otherParts('cli', ['shared', 'options'], { types: ['generate.js'] }), ...notUndici('cli'), ...lazy('cli')],
    paths: noWrites('cli'),
  },
  'src/shared/**': {
    patterns: [{ regex: '^\\.\\./', message: 'shared is the leaf: it imports nothing of ours.' }, ...notUndici('shared'), ...notYargs('shared'), ...lazy('shared')],
    paths: noWrites('shared'),
  },
  'src/options/**': {
    patterns: [...otherParts('options', ['shared'], { types: ['model', 'source'] }), ...notUndici('options'), ...notYargs('options'), ...lazy('options')],
    paths: noWrites('options'),
  },
  'src/toolchain/**': {
    patterns: [...otherParts('toolchain', ['shared'], { types: ['model'] }), ...notUndici('toolchain'), ...notYargs('toolchain'), ...lazy('toolchain')],
    paths: noWrites('toolchain'),
  },
  'src/source/**': {
    patterns: [...otherParts('source', ['shared', 'model']), ...notYargs('source'), ...lazy('source')],
    paths: noWrites('source'),
  },
  'src/model/**': {
    patterns: [
      ...otherParts('model', ['shared']),
      ...packages(['fs', 'node:fs', ...NETWORK], 'model is pure: no I/O.'),
      ...notYargs('model'),
      ...packages(['ts-morph', 'typescript', 'prettier'], 'model is pure: no ts-morph, TypeScript or Prettier.'),
    ],
  },
  'src/naming/**': {
    patterns: [
      ...otherParts('naming', ['shared', 'model']),
      ...packages(['fs', 'node:fs', ...NETWORK], 'naming is pure: no I/O.'),
      ...notYargs('naming'),
      ...packages(['ts-morph', 'typescript', 'prettier'], 'naming never reaches ts-morph or Prettier.'),
    ],
  },
  'src/emit/**': {
    patterns: [
      ...otherParts('emit', ['shared'], { types: ['model', 'naming'] }),
      ...packages(NETWORK, 'emit never speaks to the network.'),
      ...notYargs('emit'),
      ...packages(['prettier'], 'emit never formats: Prettier is src/format/.', true),
    ],
  },
  // One level deeper: `../` stays inside emit, `../../` leaves it.
  'src/emit/sections/**': {
    patterns: [
      { regex: '^\\.\\./\\.\\./(?!(?:shared|model|naming)/)', message: 'emit may import only shared, and types from model and naming (DESIGN.md, "Which part may reach which").' },
      { regex: '^\\.\\./\\.\\./(?:model|naming)/', allowTypeImports: true, message: 'emit may import only types from model and naming.' },
      ...packages(NETWORK, 'emit never speaks to the network.'),
      ...notYargs('emit'),
      ...packages(['prettier'], 'emit never formats: Prettier is src/format/.', true),
    ],
  },
  'src/format/**': {
    patterns: [
      ...otherParts('format', ['shared', 'toolchain'], { types: ['model'] }),
      ...notUndici('format'),
      ...notYargs('format'),
      ...lazy('format'),
    ],
    paths: noWrites('format'),
  },
  'src/output/**': {
    patterns: [
      ...otherParts('output', ['shared'], { types: PARTS.filter((part) => part !== 'output' && part !== 'shared') }),
      ...packages(NETWORK, 'output never speaks to the network.'),
      ...notYargs('output'),
      ...lazy('output'),
    ],
  },
  'src/generate.ts': {
    patterns: [...notYargs('generate'), ...notUndici('generate'), ...lazy('generate')],
    paths: noWrites('generate'),
  },
  // The render stage of the library: generate's ingredients, without the source or the writer.
  'src/render.ts': {
    patterns: [...notYargs('render'), ...notUndici('render'), ...lazy('render')],
    paths: noWrites('render'),
  },
};

export default [
  { files: ['src/**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { '@typescript-eslint': tseslint.plugin } },
  ...Object.entries(rules).map(([glob, options]) => ({
    files: [glob],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', options] },
  })),
  // emit/templates.ts is the one emit file that reads files (the templates shipped with the package).
  {
    files: ['src/emit/**'],
    ignores: ['src/emit/templates.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: FS.map((name) => ({ name, message: 'emit reads no files outside templates.ts.' })) }],
    },
  },
];
