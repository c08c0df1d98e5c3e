import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { NamedOwnerType } from '../model/owner-types.js';
import { ConfigError } from '../shared/errors.js';
import { formatModule, type FormatResult, type LargeModule } from './format-module.js';

/**
 * Formatting on a thread of its own, so that loading Prettier and its TypeScript parser (about 0.2 s)
 * overlaps with loading ts-morph and rendering on the main thread, on any machine with a second core.
 * `formatModule` runs there unchanged, so the bytes are the same; when the worker file is not there (the
 * sources run directly, as in the unit tests) or a thread cannot start, it runs here instead.
 */
export interface Formatter {
  format(text: string, file: string, cwd: string, large?: LargeModule): Promise<FormatResult>;
  /** Ends the thread; formatting after this runs in-thread. */
  close(): Promise<void>;
}

export interface FormatRequest {
  readonly kind: 'format';
  readonly job: number;
  readonly text: string;
  readonly file: string;
  readonly cwd: string;
  readonly types?: readonly NamedOwnerType[];
}

export type WorkerMessage = FormatRequest | { readonly kind: 'sample'; readonly id: number; readonly text: string };

export type WorkerReply =
  | { readonly kind: 'render'; readonly job: number; readonly id: number; readonly ids: readonly number[] }
  | { readonly kind: 'done'; readonly job: number; readonly result: FormatResult }
  | { readonly kind: 'failed'; readonly job: number; readonly error: { readonly config: boolean; readonly message: string; readonly stack: string } };

const WORKER = new URL('./format-worker.js', import.meta.url);

/** Formatting in the calling thread: what a `Formatter` falls back to. */
const inThread: Formatter = { format: formatModule, close: async () => {} };

/** Starts the formatter's thread now, for a module at `outFile` (where Prettier is looked for). */
export function startFormatter(outFile: string): Formatter {
  if (WORKER.protocol !== 'file:' || !existsSync(fileURLToPath(WORKER))) return inThread;
  let worker: Worker;
  try {
    worker = new Worker(WORKER, { workerData: { outFile } });
  } catch {
    return inThread;
  }
  // The thread never keeps the process alive: the CLI exits when the main thread is done.
  worker.unref();
  let jobs = 0;
  const pending = new Map<number, { large?: LargeModule; resolve: (result: FormatResult) => void; reject: (error: unknown) => void }>();
  let broken: unknown;
  const fail = (error: unknown) => {
    broken = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the formatter's thread exited with code ${code}`)));
  worker.on('message', (reply: WorkerReply) => {
    const job = pending.get(reply.job);
    if (job === undefined) return;
    if (reply.kind === 'render') {
      const subset = new Set(reply.ids);
      Promise.resolve(job.large?.render((job.large?.types ?? []).filter((type) => subset.has(type.id))) ?? '').then(
        (text) => worker.postMessage({ kind: 'sample', id: reply.id, text } satisfies WorkerMessage),
        (error: unknown) => job.reject(error),
      );
      return;
    }
    pending.delete(reply.job);
    if (reply.kind === 'done') job.resolve(reply.result);
    else {
      const cause = Object.assign(new Error(reply.error.message), { stack: reply.error.stack });
      job.reject(reply.error.config ? new ConfigError(reply.error.message, { cause }) : cause);
    }
  });
  return {
    format(text, file, cwd, large) {
      if (broken !== undefined) return formatModule(text, file, cwd, large);
      const job = jobs++;
      return new Promise<FormatResult>((resolve, reject) => {
        pending.set(job, { ...(large !== undefined && { large }), resolve, reject });
        worker.postMessage({
          kind: 'format',
          job,
          text,
          file,
          cwd,
          ...(large !== undefined && { types: large.types }),
        } satisfies WorkerMessage);
      });
    },
    async close() {
      broken ??= new Error('closed');
      await worker.terminate();
    },
  };
}
