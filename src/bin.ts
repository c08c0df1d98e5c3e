#!/usr/bin/env -S node --
// The `--` stops Node 20 from reading our own --env-file flag as its own (it exits 9 on a missing file).
import { setFlagsFromString } from 'node:v8';
import { codeCacheFolder, enableCompileCache } from './cli/compile-cache.js';
import { saveCodeCache, useCodeCache } from './output/code-cache.js';

// One request needs no optimized HTTP parser: without this, V8 recompiles undici's llhttp WebAssembly in
// the background and Node waits for it at exit, about 0.15 s of every up-to-date run. The CLI process
// only; the library leaves V8 alone.
setFlagsFromString('--liftoff-only');

// On Node >= 22.1 the code loaded below is compiled once and then read from the project's cache folder;
// so the CLI itself is loaded only after this, with import(). The CLI process only, like the flag above.
// On Node 20, only ts-morph's large files are, through a code cache of our own, saved once a run is done.
enableCompileCache();
const codeCache = codeCacheFolder();
if (codeCache !== undefined) useCodeCache(codeCache);
const { run } = await import('./cli/run.js');

// Ctrl-C or a CI cancel aborts the request and skips the write; a second signal exits at once.
const controller = new AbortController();
const interrupt = (signal: NodeJS.Signals) => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort(new Error(`interrupted by ${signal}`));
};
process.on('SIGINT', interrupt).on('SIGTERM', interrupt);

process.exitCode = await run(process.argv.slice(2), { signal: controller.signal });
saveCodeCache();
