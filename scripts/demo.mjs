// npm run demo: starts the fake portal on 127.0.0.1, runs the built CLI against it with a webhook URL
// (as a real project would, through B24_WEBHOOK_URL), prints the module it wrote, and stops the portal.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startFakePortal } from '../test/support/fake-portal.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = 'examples/generated/ownertypes.ts';
const portal = await startFakePortal({ dataset: 'seed' });
try {
  console.log(`Fake portal listening at ${portal.origin} (webhook user 1, code hidden)\n`);
  console.log(`$ B24_WEBHOOK_URL=${portal.origin}/rest/1/***/ gen-ownertypes --out ${out}`);
  // The portal lives in this process, so the CLI must run asynchronously beside it.
  const run = await promisify(execFile)(process.execPath, ['dist/bin.js', '--out', out], {
    cwd: root,
    env: { ...process.env, B24_WEBHOOK_URL: portal.webhookUrl },
    encoding: 'utf8',
  }).then(
    (done) => ({ ...done, status: 0 }),
    (failed) => ({ stdout: failed.stdout ?? '', stderr: failed.stderr ?? '', status: failed.code ?? 1 }),
  );
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  if (run.status !== 0) {
    console.error(`gen-ownertypes exited with ${run.status}`);
    process.exitCode = run.status ?? 1;
  } else {
    console.log(`\n---- ${out} ----\n`);
    console.log(readFileSync(new URL(`../${out}`, import.meta.url), 'utf8'));
  }
} finally {
  await portal.close();
}
