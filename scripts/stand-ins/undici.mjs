// The undici stand-ins bundled by scripts/build.mjs in place of undici's index, and the check that they
// still match the installed undici (test/package/stand-ins.test.ts runs it; the build refuses to bundle
// when it finds drift). Why they exist: undici's index loads every feature it has (fetch, WebSocket,
// EventSource, caches, mocks, proxies…) at start-up, about 100 ms of CPU; request() needs the dispatcher
// core alone. The cost of that choice: undici is bundled, so an undici fix reaches users as a
// gen-ownertypes release, never through their lockfile (docs/performance.md, "Dependencies").
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What the stand-ins take from undici's index.js, each as the index itself does it. A line missing from
 * the installed index is drift: the stand-in would no longer be what `import … from 'undici'` gives.
 */
const INDEX_LINES = [
  "const Agent = require('./lib/dispatcher/agent')",
  "const Dispatcher = require('./lib/dispatcher/dispatcher')",
  "const EnvHttpProxyAgent = require('./lib/dispatcher/env-http-proxy-agent')",
  "const errors = require('./lib/core/errors')",
  "const util = require('./lib/core/util')",
  'const { InvalidArgumentError } = errors',
  "const api = require('./lib/api')",
  "const { getGlobalDispatcher, setGlobalDispatcher } = require('./lib/global')",
  'Object.assign(Dispatcher.prototype, api)',
  'module.exports.Agent = Agent',
  'module.exports.EnvHttpProxyAgent = EnvHttpProxyAgent',
  'module.exports.request = makeDispatcher(api.request)',
];

/** undici's own `makeDispatcher`, the wrapper behind its `request()`, taken verbatim from its index.js. */
function makeDispatcherOf(index) {
  const match = /^function makeDispatcher \(fn\) \{\n[\s\S]*?\n\}\n/m.exec(index);
  return match?.[0];
}

/** Every way the installed undici no longer matches the stand-ins; empty when they match. */
export function undiciDrift(undiciDir) {
  const problems = [];
  let index;
  try {
    index = readFileSync(path.join(undiciDir, 'index.js'), 'utf8');
  } catch {
    return [`${undiciDir}/index.js cannot be read`];
  }
  const lines = new Set(index.split('\n').map((line) => line.trim()));
  for (const line of INDEX_LINES) if (!lines.has(line)) problems.push(`index.js no longer has: ${line}`);
  const wrapper = makeDispatcherOf(index);
  if (wrapper === undefined) problems.push('index.js no longer defines function makeDispatcher (fn) { … }');
  else {
    // The free names the wrapper uses (object keys aside) must be the ones the stand-in provides.
    const provided = new Set(['fn', 'url', 'opts', 'handler', 'path', 'agent', 'dispatcher', 'InvalidArgumentError', 'util', 'getGlobalDispatcher', 'URL']);
    const used = new Set(wrapper.replace(/'[^']*'|`[^`]*`/g, '').match(/(?<![.\w$])[A-Za-z_$][\w$]*(?!\s*:[^:])(?=\s*[.(,)\s\]}=;?!&|+`-]|$)/g) ?? []);
    const keywords = new Set(['function', 'makeDispatcher', 'return', 'if', 'typeof', 'else', 'throw', 'new', 'let', 'const', 'null', 'instanceof', 'string', 'object', 'GET', 'PUT']);
    for (const name of used) if (!provided.has(name) && !keywords.has(name)) problems.push(`makeDispatcher now uses ${name}, which the stand-in does not provide`);
  }
  for (const file of [...INDEX_LINES.join('\n').matchAll(/require\('(\.\/lib\/[^']+)'\)/g)].map((m) => m[1])) {
    try {
      readFileSync(path.join(undiciDir, `${file}${file.endsWith('.js') ? '' : file === './lib/api' ? '/index.js' : '.js'}`));
    } catch {
      problems.push(`${file} is gone`);
    }
  }
  return problems;
}

function failOnDrift(undiciDir) {
  const problems = undiciDrift(undiciDir);
  if (problems.length > 0) {
    throw new Error(`build: the undici stand-ins no longer match the installed undici; update scripts/stand-ins/undici.mjs:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * `undici` as src/ uses it: Agent and request() only. `request` is undici's own `makeDispatcher(api.request)`,
 * with makeDispatcher copied from the installed index.js at build time. Importing any other name from
 * undici in src/ fails the build, which is the cue to add it here.
 */
export function undiciCore(undiciDir) {
  failOnDrift(undiciDir);
  const file = (name) => JSON.stringify(path.join(undiciDir, name));
  return `
import Agent from ${file('lib/dispatcher/agent.js')};
import Dispatcher from ${file('lib/dispatcher/dispatcher.js')};
import api from ${file('lib/api/index.js')};
import errors from ${file('lib/core/errors.js')};
import util from ${file('lib/core/util.js')};
import globals from ${file('lib/global.js')};

Object.assign(Dispatcher.prototype, api);
const { InvalidArgumentError } = errors;
const { getGlobalDispatcher } = globals;

${makeDispatcherOf(readFileSync(path.join(undiciDir, 'index.js'), 'utf8'))}
export { Agent };
export const request = makeDispatcher(api.request);
`;
}

/**
 * `undici` as src/source/proxy-agent.ts uses it: EnvHttpProxyAgent (with ProxyAgent, Pool and the SOCKS
 * agent it brings). That module is imported lazily, only when a proxy variable is set, so this stand-in
 * lands in a chunk of its own and costs the runs without a proxy nothing. The dispatcher core it shares
 * with the core stand-in is bundled once; the core has already put the API methods (connect(), which the
 * tunnel uses) on Dispatcher.prototype by the time this loads.
 */
export function undiciProxy(undiciDir) {
  failOnDrift(undiciDir);
  return `
import EnvHttpProxyAgent from ${JSON.stringify(path.join(undiciDir, 'lib/dispatcher/env-http-proxy-agent.js'))};
export { EnvHttpProxyAgent };
`;
}
