import { createRequire } from 'node:module';
import { Piscina } from 'piscina';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DuskTaskError } from '../errors.js';
import { emptyMetrics } from '../io/io-metrics.js';
import type { Executor } from './executor.js';
import { SharedCounter } from './shared-counter.js';
import type { TaskInvocation, TaskOutcome } from './task-outcome.js';

/**
 * The worker file next to this one. When Dusk runs from TypeScript sources (tests, tsx) the
 * workers load TypeScript too, through tsx's loader.
 */
function workerFile(): { filename: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  const filename = pathToFileURL(here.replace(/threads-executor\.(ts|js)$/, `worker-entry.${ts ? 'ts' : 'js'}`)).href;
  if (!ts) return { filename, execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { filename, execArgv: ['--import', tsx] };
}

/** A pool of worker threads (piscina). Tasks share the process's memory; nothing is copied twice. */
export class ThreadsExecutor implements Executor {
  readonly name = 'threads';
  private readonly pool: Piscina<TaskInvocation[], TaskOutcome[]>;
  private readonly counter = new SharedCounter();

  constructor(readonly workers: number) {
    const { filename, execArgv } = workerFile();
    this.pool = new Piscina({
      filename,
      execArgv,
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 30_000,
      workerData: { progressBuffer: this.counter.buffer },
    });
  }

  async runBatch(batch: TaskInvocation[], signal: AbortSignal): Promise<TaskOutcome[]> {
    try {
      return await this.pool.run(batch, { signal });
    } catch (err) {
      // The worker itself failed (it exited, or ran out of memory): every task of the batch failed.
      const e = err as Error;
      const error = { name: 'DuskTaskError', message: `a worker thread failed while running ${batch.map((t) => t.key).join(', ')}: ${e.message}`, stack: e.stack };
      if (signal.aborted) throw new DuskTaskError('cancelled', batch[0]?.key ?? '');
      return batch.map(() => ({ ok: false as const, error, metrics: emptyMetrics() }));
    }
  }

  bytesRead(): number {
    return this.counter.read();
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
