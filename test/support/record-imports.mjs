// Loaded with `node --import`: records every module the process loads, one URL or path per line, in the file
// named by RECORD_IMPORTS_TO — so a test can prove which dependencies a command did not load.
import Module, { register } from 'node:module';
import { appendFileSync } from 'node:fs';

const target = process.env.RECORD_IMPORTS_TO;
if (target) {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url) => appendFileSync(target, `${url}\n`));
  port1.unref();
  register(
    'data:text/javascript,' +
      encodeURIComponent(`
        let port;
        export function initialize(data) { port = data.port; }
        export async function load(url, context, next) {
          port.postMessage(url);
          return next(url, context);
        }`),
    import.meta.url,
    { data: { port: port2 }, transferList: [port2] },
  );
  // CommonJS loads (ts-morph, and anything bundled code reaches through require) bypass the ESM hooks.
  // Only loads count: resolving a path (to fingerprint which Prettier would run) costs nothing.
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    try {
      appendFileSync(target, `${Module._resolveFilename(request, parent, isMain)}\n`);
    } catch {
      // a built-in or an unresolvable request: Module._load reports it
    }
    return load.apply(this, [request, parent, isMain]);
  };
}
