#!/usr/bin/env -S node --
// The `--` stops Node 20 from reading our own --env-file flag as its own (it exits 9 on a missing file).
import { run } from './cli.js';

// Ctrl-C or a CI cancel aborts the request and skips the write; a second signal exits at once.
const controller = new AbortController();
const interrupt = (signal: NodeJS.Signals) => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort(new Error(`interrupted by ${signal}`));
};
process.on('SIGINT', interrupt).on('SIGTERM', interrupt);

const code = await run(process.argv.slice(2), { signal: controller.signal });

// Everything is done once run() returns. Exiting explicitly, after both streams have flushed, spares the
// 0.1–0.2 s Node would otherwise spend at exit waiting for V8 to finish optimizing undici's HTTP parser
// (WebAssembly) in the background — code that will never run again.
process.exitCode = code;
let pending = 2;
const done = () => {
  if (--pending === 0) process.exit(code);
};
process.stdout.write('', done);
process.stderr.write('', done);
