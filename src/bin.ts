#!/usr/bin/env -S node --
// The `--` stops Node 20 from reading our own --env-file flag as its own (it exits 9 on a missing file).
import { setFlagsFromString } from 'node:v8';
import { run } from './cli/run.js';

// One request needs no optimized HTTP parser: without this, V8 recompiles undici's llhttp WebAssembly in
// the background and Node waits for it at exit, about 0.15 s of every up-to-date run. The CLI process
// only; the library leaves V8 alone.
setFlagsFromString('--liftoff-only');

// Ctrl-C or a CI cancel aborts the request and skips the write; a second signal exits at once.
const controller = new AbortController();
const interrupt = (signal: NodeJS.Signals) => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort(new Error(`interrupted by ${signal}`));
};
process.on('SIGINT', interrupt).on('SIGTERM', interrupt);

process.exitCode = await run(process.argv.slice(2), { signal: controller.signal });
