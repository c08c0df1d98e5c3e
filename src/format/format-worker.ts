import { parentPort, workerData } from 'node:worker_threads';
import path from 'node:path';
import type { NamedOwnerType } from '../model/owner-types.js';
import { ConfigError } from '../shared/errors.js';
import { formatModule, loadPrettier } from './format-module.js';
import type { FormatRequest, WorkerMessage, WorkerReply } from './formatter.js';

/**
 * The formatter's thread (formatter.ts): Prettier and its TypeScript parser load here while the main thread
 * loads ts-morph and renders, and each module is formatted by the same `formatModule` as in-thread. A sample
 * module is rendered on the main thread, which holds ts-morph, on request.
 */
const port = parentPort!;
const { outFile } = workerData as { outFile: string };

// Start loading now; a failure here is reported with the first module, as in-thread formatting would.
const warm = loadPrettier(path.dirname(outFile))
  .then(({ prettier }) => prettier.format('export const probe = 1;\n', { parser: 'typescript' }))
  .catch(() => undefined);

let nextSample = 0;
const samples = new Map<number, (text: string) => void>();

port.on('message', (message: WorkerMessage) => {
  if (message.kind === 'sample') {
    samples.get(message.id)?.(message.text);
    samples.delete(message.id);
    return;
  }
  void formatOne(message);
});

async function formatOne(request: FormatRequest): Promise<void> {
  await warm;
  const render = (subset: readonly NamedOwnerType[]) =>
    new Promise<string>((resolve) => {
      const id = nextSample++;
      samples.set(id, resolve);
      port.postMessage({ kind: 'render', job: request.job, id, ids: subset.map((type) => type.id) } satisfies WorkerReply);
    });
  try {
    const result = await formatModule(request.text, request.file, request.cwd, request.types === undefined ? undefined : { types: request.types, render });
    port.postMessage({ kind: 'done', job: request.job, result: { ...result, thread: 'worker' } } satisfies WorkerReply);
  } catch (error) {
    const failure = error as Error;
    port.postMessage({
      kind: 'failed',
      job: request.job,
      error: {
        config: error instanceof ConfigError,
        message: failure.message,
        stack: String(failure.stack ?? failure.message),
      },
    } satisfies WorkerReply);
  }
}
