// Builds dist/: the CLI and the library bundled by esbuild into one ES module graph, declarations by tsc.
//
// Why bundle: a prebuild hook runs the CLI on every build, and most of an up-to-date run used to go to
// Node resolving and compiling a few hundred small files of yargs and undici. One graph for both entries
// (bin.ts and index.ts, with code splitting) keeps every class single, so `instanceof PortalError` holds
// across the CLI and the library. ts-morph, TypeScript and Prettier stay external and
// are imported lazily by the code that needs them, as before. See docs/performance.md for the figures.
//
// dist/ is built in a scratch folder and swapped in at the end, so nothing ever sees it half written.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { undiciCore, undiciProxy } from './stand-ins/undici.mjs';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const scratch = path.join(root, 'node_modules', '.cache', 'gen-ownertypes-build', String(process.pid));
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });

const undiciDir = path.dirname(require.resolve('undici/package.json'));

/**
 * yargs finds its translations relative to its own file; bundled, that file is a chunk of dist/. Point
 * y18n at yargs' locales/ as installed (yargs stays a dependency), or at nothing, which means English.
 */
function yargsLocales(source) {
  const from = "directory: resolve(__dirname, '../../../locales')";
  if (!source.includes(from)) throw new Error('build: yargs no longer sets its locales directory as expected; update scripts/build.mjs');
  return source.replace(
    from,
    `directory: (() => { try { return resolve(dirname(require.resolve('yargs/package.json')), 'locales'); } catch { return resolve(dirname(__dirname), 'yargs-locales-not-found'); } })()`,
  );
}

const CODE_CACHE = path.join(root, 'src', 'output', 'code-cache.ts');
const TS_MORPH_FILES = path.join(root, 'scripts', 'stand-ins', 'ts-morph.mjs');

/**
 * ts-morph through require(). Imported from an ES module, a CommonJS package is first scanned whole for
 * its export names (cjs-module-lexer: about 90 ms for ts-morph's 1 MB entry, on top of loading it). The
 * names are taken from the installed ts-morph here, once, at build time; ts-morph stays external and is
 * still loaded only when the chunk that needs it is. Before it, its large files are handed to the code
 * cache (src/output/code-cache.ts), which loads them only when the CLI has turned it on.
 */
function tsMorphByRequire() {
  const names = Object.keys(require('ts-morph')).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
  return [
    `import { preloadWithCodeCache } from ${JSON.stringify(CODE_CACHE)};`,
    `import { tsMorphFiles } from ${JSON.stringify(TS_MORPH_FILES)};`,
    'preloadWithCodeCache(() => tsMorphFiles(require));',
    "const tsMorph = require('ts-morph');",
    `export const { ${names.join(', ')} } = tsMorph;`,
    'export default tsMorph;',
    '',
  ].join('\n');
}

const STRING_WIDTH = path.join(root, 'scripts', 'stand-ins', 'string-width.mjs');

/**
 * The stand-ins (scripts/stand-ins/): undici's dispatcher core for src/, the proxy agent for
 * src/source/proxy-agent.ts alone (a lazily loaded chunk), ts-morph through require() and the code cache, and string-width
 * wherever yargs' tree imports it, each copy in front of the very string-width it replaces.
 */
const standIns = {
  name: 'gen-ownertypes-stand-ins',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, (args) => {
      if (args.importer === path.join(root, 'src', 'source', 'proxy-agent.ts')) return { path: 'undici-proxy', namespace: 'stand-in' };
      return args.importer.startsWith(path.join(root, 'src')) ? { path: 'undici-core', namespace: 'stand-in' } : undefined;
    });
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData?.real === true) return undefined;
      const real = await build.resolve('string-width', { kind: args.kind, resolveDir: args.resolveDir, pluginData: { real: true } });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'string-width' };
    });
    build.onResolve({ filter: /^ts-morph$/ }, (args) =>
      args.importer.startsWith(path.join(root, 'src')) ? { path: 'ts-morph', namespace: 'stand-in' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'stand-in' }, (args) => ({
      contents: { 'undici-core': () => undiciCore(undiciDir), 'undici-proxy': () => undiciProxy(undiciDir), 'ts-morph': tsMorphByRequire }[args.path](),
      loader: 'js',
      resolveDir: root,
    }));
    // require(), not import: esbuild then initializes the real string-width on the first call that needs it.
    build.onLoad({ filter: /.*/, namespace: 'string-width' }, (args) => ({
      contents: `import { createStringWidth } from ${JSON.stringify(STRING_WIDTH)};\nexport default createStringWidth(() => require(${JSON.stringify(args.path)}).default);\n`,
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
    build.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => ({
      contents: yargsLocales(await import('node:fs/promises').then((fs) => fs.readFile(args.path, 'utf8'))),
      loader: 'js',
    }));
  },
};

const bundle = esbuild.build({
  absWorkingDir: root,
  // format-worker: the formatter's thread (src/format/formatter.ts), a file of its own next to the others.
  entryPoints: { bin: 'src/bin.ts', index: 'src/index.ts', 'format-worker': 'src/format/format-worker.ts' },
  outdir: scratch,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // Loaded lazily, only on the paths that need them, and large: keeping them out keeps them lazy.
  external: ['ts-morph', 'typescript', 'prettier'],
  // undici and lilconfig are CommonJS and require() Node's modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  plugins: [standIns],
  logLevel: 'warning',
});

const declarations = promisify(execFile)(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--emitDeclarationOnly', '--outDir', scratch],
  { cwd: root },
).catch((error) => {
  throw new Error(`tsc failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
});

try {
  await Promise.all([bundle, declarations]);
  chmodSync(path.join(scratch, 'bin.js'), 0o755);
  const old = `${scratch}-old`;
  rmSync(old, { recursive: true, force: true });
  try {
    renameSync(dist, old);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  renameSync(scratch, dist);
  rmSync(old, { recursive: true, force: true });
} catch (error) {
  rmSync(scratch, { recursive: true, force: true });
  console.error(error.message);
  process.exitCode = 1;
}
