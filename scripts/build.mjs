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

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const scratch = path.join(root, 'node_modules', '.cache', 'gen-ownertypes-build', String(process.pid));
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });

const undiciDir = path.dirname(require.resolve('undici/package.json'));

/**
 * `undici` as src/ uses it: Agent and request() only. undici's index loads every feature it has (fetch,
 * WebSocket, EventSource, caches, mocks, proxies…) at start-up, about 100 ms; request() needs the dispatcher
 * core alone. `request` is undici's own wrapper (index.js `makeDispatcher(api.request)`), kept verbatim.
 * Importing any other name from undici in src/ fails the build, which is the cue to add it here.
 */
const UNDICI_CORE = `
import Agent from ${JSON.stringify(path.join(undiciDir, 'lib/dispatcher/agent.js'))};
import Dispatcher from ${JSON.stringify(path.join(undiciDir, 'lib/dispatcher/dispatcher.js'))};
import api from ${JSON.stringify(path.join(undiciDir, 'lib/api/index.js'))};
import errors from ${JSON.stringify(path.join(undiciDir, 'lib/core/errors.js'))};
import util from ${JSON.stringify(path.join(undiciDir, 'lib/core/util.js'))};
import globals from ${JSON.stringify(path.join(undiciDir, 'lib/global.js'))};

Object.assign(Dispatcher.prototype, api);
const { InvalidArgumentError } = errors;
const { getGlobalDispatcher } = globals;

export { Agent };
export const request = (url, opts, handler) => {
  if (typeof opts === 'function') {
    handler = opts;
    opts = null;
  }
  if (!url || (typeof url !== 'string' && typeof url !== 'object' && !(url instanceof URL))) {
    throw new InvalidArgumentError('invalid url');
  }
  if (opts != null && typeof opts !== 'object') {
    throw new InvalidArgumentError('invalid opts');
  }
  if (opts && opts.path != null) {
    if (typeof opts.path !== 'string') {
      throw new InvalidArgumentError('invalid opts.path');
    }
    let path = opts.path;
    if (!opts.path.startsWith('/')) {
      path = '/' + path;
    }
    url = new URL(util.parseOrigin(url).origin + path);
  } else {
    if (!opts) {
      opts = typeof url === 'object' ? url : {};
    }
    url = util.parseURL(url);
  }
  const { agent, dispatcher = getGlobalDispatcher() } = opts;
  if (agent) {
    throw new InvalidArgumentError('unsupported opts.agent. Did you mean opts.client?');
  }
  return api.request.call(dispatcher, {
    ...opts,
    origin: url.origin,
    path: url.search ? url.pathname + url.search : url.pathname,
    method: opts.method || (opts.body ? 'PUT' : 'GET'),
  }, handler);
};
`;

/**
 * `undici` as src/source/proxy-agent.ts uses it: EnvHttpProxyAgent (with ProxyAgent, Pool and the SOCKS
 * agent it brings). That module is imported lazily, only when a proxy variable is set, so this stand-in
 * lands in a chunk of its own and costs the runs without a proxy nothing. The dispatcher core it shares
 * with UNDICI_CORE is bundled once; UNDICI_CORE has already put the API methods (connect(), which the
 * tunnel uses) on Dispatcher.prototype by the time this loads.
 */
const UNDICI_PROXY = `
import EnvHttpProxyAgent from ${JSON.stringify(path.join(undiciDir, 'lib/dispatcher/env-http-proxy-agent.js'))};
export { EnvHttpProxyAgent };
`;

/**
 * string-width for yargs' help layout (cliui, wrap-ansi). Both string-width versions in yargs' tree build
 * an Intl.Segmenter and Unicode-property regexes (\\p{RGI_Emoji}) as they load: about 50 ms, paid by every
 * run that merely loads yargs, before any text is measured. This stand-in measures text made of
 * one-column characters — all of gen-ownertypes' help — by its length, and builds the Unicode machinery
 * (another 20 ms) only for the first string with anything else.
 * Graphemes are measured as string-width does: zero for ignorable, control and combining clusters, two for
 * emoji presentation, else the East Asian Width of the first code point plus that of trailing spacing marks
 * and halfwidth forms.
 */
const STRING_WIDTH = `
import stripAnsi from 'strip-ansi';
import { eastAsianWidth } from 'get-east-asian-width';

let unicode;
function unicodeTools() {
  unicode ??= {
    segmenter: new Intl.Segmenter(),
    zeroWidth: new RegExp('^[\\\\p{Default_Ignorable_Code_Point}\\\\p{Control}\\\\p{Format}\\\\p{Mark}\\\\p{Surrogate}]+$', 'u'),
    emoji: new RegExp('\\\\p{Emoji_Presentation}|\\\\uFE0F|\\\\u20E3', 'u'),
    widening: new RegExp('[\\\\p{Spacing_Mark}\\\\uFF00-\\\\uFFEF]', 'u'),
  };
  return unicode;
}

export default function stringWidth(input, options = {}) {
  if (typeof input !== 'string' || input.length === 0) return 0;
  const text = options.countAnsiEscapeCodes ? input : stripAnsi(input);
  // One column per code point: ASCII, Latin-1 and Latin Extended (without the soft hyphen), Cyrillic
  // without its combining marks, and the punctuation, arrows and math signs help texts use (· — … → ≤).
  if (/^[\\u0020-\\u007E\\u00A0-\\u00AC\\u00AE-\\u024F\\u0400-\\u0482\\u048A-\\u04FF\\u2010-\\u2027\\u2030-\\u205E\\u2190-\\u22FF]*$/.test(text)) {
    return text.length;
  }
  const { segmenter, zeroWidth, emoji, widening } = unicodeTools();
  const eastAsianWidthOptions = { ambiguousAsWide: options.ambiguousIsNarrow === false };
  let width = 0;
  for (const { segment } of segmenter.segment(text)) {
    if (zeroWidth.test(segment)) continue;
    if (emoji.test(segment)) {
      width += 2;
      continue;
    }
    const [first, ...rest] = segment;
    width += eastAsianWidth(first.codePointAt(0), eastAsianWidthOptions);
    for (const character of rest) {
      if (widening.test(character)) width += eastAsianWidth(character.codePointAt(0), eastAsianWidthOptions);
    }
  }
  return width;
}
`;

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

/**
 * ts-morph through require(). Imported from an ES module, a CommonJS package is first scanned whole for
 * its export names (cjs-module-lexer: about 90 ms for ts-morph's 1 MB entry, on top of loading it). The
 * names are taken from the installed ts-morph here, once, at build time; ts-morph stays external and is
 * still loaded only when the chunk that needs it is.
 */
function tsMorphByRequire() {
  const names = Object.keys(require('ts-morph')).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
  return `const tsMorph = require('ts-morph');\nexport const { ${names.join(', ')} } = tsMorph;\nexport default tsMorph;\n`;
}

const standIns = {
  name: 'gen-ownertypes-stand-ins',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, (args) => {
      if (args.importer === path.join(root, 'src', 'source', 'proxy-agent.ts')) return { path: 'undici-proxy', namespace: 'stand-in' };
      return args.importer.startsWith(path.join(root, 'src')) ? { path: 'undici-core', namespace: 'stand-in' } : undefined;
    });
    build.onResolve({ filter: /^string-width$/ }, () => ({ path: 'string-width', namespace: 'stand-in' }));
    build.onResolve({ filter: /^ts-morph$/ }, (args) =>
      args.importer.startsWith(path.join(root, 'src')) ? { path: 'ts-morph', namespace: 'stand-in' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'stand-in' }, (args) => ({
      contents: { 'undici-core': () => UNDICI_CORE, 'undici-proxy': () => UNDICI_PROXY, 'ts-morph': tsMorphByRequire }[args.path]?.() ?? STRING_WIDTH,
      loader: 'js',
      // Resolves strip-ansi and get-east-asian-width from where string-width itself would find them.
      resolveDir: path.dirname(require.resolve('yargs/package.json')),
    }));
    build.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => ({
      contents: yargsLocales(await import('node:fs/promises').then((fs) => fs.readFile(args.path, 'utf8'))),
      loader: 'js',
    }));
  },
};

const bundle = esbuild.build({
  absWorkingDir: root,
  entryPoints: { bin: 'src/bin.ts', index: 'src/index.ts' },
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
