import { createRequire } from 'node:module';
import { Piscina } from 'piscina';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import { DuskTaskError } from '../core/errors.js';
import { emptyMetrics } from '../io/io-metrics.js';
import type { Executor } from './executor.js';
import { SharedCounter } from './shared-counter.js';
import type { TaskInvocation, TaskOutcome } from './task-outcome.js';

/**
 * The worker file next to this one. Workers get the main thread's node options (so a script
 * run with tsx can ship TypeScript task modules); when Dusk itself runs from TypeScript
 * sources (tests), they load tsx's loader too.
 */
function workerFile(): { filename: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  const filename = pathToFileURL(here.replace(/threads-executor\.(ts|js)$/, `worker-entry.${ts ? 'ts' : 'js'}`)).href;
  if (!ts) return { filename, execArgv: process.execArgv };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { filename, execArgv: [...process.execArgv, '--import', tsx] };
}

let pools = 0;

/** A pool of worker threads (piscina). Tasks share the process's memory; nothing is copied twice. */
export class ThreadsExecutor implements Executor {
  readonly name = 'threads';
  private readonly pool: Piscina<TaskInvocation[], TaskOutcome[]>;
  private readonly counter = new SharedCounter();
  private readonly channel: BroadcastChannel;
  private readonly sharedValues = new Map<string, unknown>();

  constructor(readonly workers: number) {
    const { filename, execArgv } = workerFile();
    const sharedChannel = `dusk-shared-${process.pid}-${++pools}`;
    this.channel = new BroadcastChannel(sharedChannel);
    this.channel.unref();
    this.channel.onmessage = (event) => {
      const { key, need } = (event as { data: { key: string; need?: boolean } }).data;
      if (need && this.sharedValues.has(key)) this.channel.postMessage({ key, value: this.sharedValues.get(key) });
    };
    this.pool = new Piscina({
      filename,
      execArgv,
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 30_000,
      workerData: { progressBuffer: this.counter.buffer, sharedChannel },
    });
  }

  async runBatch(batch: TaskInvocation[], signal: AbortSignal): Promise<TaskOutcome[]> {
    try {
      return await this.pool.run(batch, { signal });
    } catch (err) {
      if (signal.aborted) throw new DuskTaskError('cancelled', batch[0]?.key ?? '');
      const e = err as Error;
      const keys = batch.map((t) => t.key).join(', ');
      // Data that cannot be cloned fails the same way every time: not retried.
      const error =
        e.name === 'DataCloneError'
          ? { name: 'DuskTaskError', message: `an argument or the result of ${keys} cannot be passed between threads (${e.message}); pass plain data, typed arrays or Arrow tables, and share big data with client.scatter`, stack: e.stack, retryable: false }
          : { name: 'DuskTaskError', message: `a worker thread failed while running ${keys}: ${e.message}`, stack: e.stack };
      return batch.map(() => ({ ok: false as const, error, metrics: emptyMetrics() }));
    }
  }

  /** Broadcast once: each worker receives its copy (typed arrays in shared memory: none). */
  async share(key: string, value: unknown): Promise<void> {
    if (this.sharedValues.has(key)) return;
    this.sharedValues.set(key, value);
    this.channel.postMessage({ key, value });
  }

  bytesRead(): number {
    return this.counter.read();
  }

  async close(): Promise<void> {
    this.channel.close();
    await this.pool.destroy();
  }
}
