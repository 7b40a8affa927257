import { serialize } from 'node:v8';
import { DuskTaskError } from '../core/errors.js';
import type { SharedPayload } from '../kernels/shared-store.js';
import { schedulerEvents } from './events.js';
import type { Executor } from './executor.js';
import { PoolJob } from './pool-job.js';
import { keyList, type PoolKind, PoolWorker } from './pool-worker.js';
import type { TaskInvocation, TaskOutcome } from './task-outcome.js';

/**
 * A pool of `workers` worker threads or child processes, run the same way. Threads share the
 * process's memory (typed arrays in shared memory are not copied); processes run in separate
 * heaps (a crash or an out-of-memory kills one worker, not the script), at the price of copying
 * inputs and results over IPC. Workers start on first use and are reused; a batch goes to the
 * first free worker, or waits its turn (FIFO). A worker that dies mid-batch fails that batch's
 * tasks with an error naming them (run-graph retries them up to `retries`) and a fresh one
 * takes its place; so does a worker whose state is suspect (a task's callback threw).
 * Idle workers do not keep the script alive.
 */
export class PoolExecutor implements Executor {
  /** Workers that take batches (starting, idle or busy). */
  private readonly pool = new Set<PoolWorker>();
  /** Every worker not yet ended, including killed ones still dying: close() waits for them. */
  private readonly living = new Set<PoolWorker>();
  private readonly queue: PoolJob[] = [];
  /** Shared values, kept to give to workers that start later. */
  private readonly shared = new Map<string, SharedPayload>();
  /** The running and waiting jobs of each caller's signal. */
  private readonly bySignal = new WeakMap<AbortSignal, Set<PoolJob>>();
  private bytes = 0;
  private nextId = 1;

  constructor(
    readonly name: PoolKind,
    readonly workers: number,
  ) {
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);
  }

  runBatch(batch: TaskInvocation[], signal: AbortSignal): Promise<TaskOutcome[]> {
    if (signal.aborted) return Promise.reject(cancelled(batch));
    return new Promise<TaskOutcome[]>((resolve, reject) => {
      const watched = this.watch(signal);
      const job = new PoolJob(this.nextId++, batch, resolve, reject, () => watched.delete(job));
      watched.add(job);
      this.queue.push(job);
      this.dispatch(true);
    });
  }

  /**
   * Sends a value to every worker once (with processes each holds its own copy; with threads,
   * shared memory is shared); workers started later get it before their first batch. A value
   * that cannot cross to a worker fails here.
   */
  async share(key: string, payload: SharedPayload): Promise<void> {
    if (this.shared.has(key)) return;
    const started = [...this.pool].filter((w) => w.isStarted);
    try {
      // With no worker to send to yet, check now what a send would find later.
      if (started.length === 0) serialize(payload);
      for (const worker of started) worker.share(key, payload);
    } catch (err) {
      throw new DuskTaskError(`shared value ${key} cannot be sent to a ${this.name === 'threads' ? 'worker thread' : 'worker process'} (${(err as Error).message}); share plain data, typed arrays or Arrow tables`, key, undefined, { cause: err });
    }
    this.shared.set(key, payload);
  }

  /** Forgets a shared value here and on every worker (workers started later do not get it). */
  unshare(key: string): void {
    if (!this.shared.delete(key)) return;
    for (const worker of this.pool) worker.unshare(key);
  }

  /** Process ids (or thread ids) of the pool's workers (starting, idle or busy), for diagnostics and tests. */
  ids(): number[] {
    return [...this.pool].map((w) => w.id);
  }

  bytesRead(): number {
    return this.bytes;
  }

  /** Ends every worker and waits until they are gone; a later batch starts new ones. */
  async close(): Promise<void> {
    const closed = (job: PoolJob) => new DuskTaskError(`the ${this.name} scheduler was closed before the batch finished`, job.batch[0]?.key ?? '');
    for (const job of this.queue.splice(0)) job.fail(closed(job));
    this.pool.clear();
    for (const worker of this.living) {
      const job = worker.runningJob;
      worker.kill();
      job?.fail(closed(job));
    }
    await Promise.all([...this.living].map((w) => w.closed));
  }

  /** Gives queued batches to idle workers, starting workers (up to `workers`) for the rest. */
  private dispatch(mayStart: boolean): void {
    while (this.queue.length > 0) {
      let idle: PoolWorker | undefined;
      let starting = 0;
      for (const w of this.pool) {
        if (w.isIdle) {
          idle = w;
          break;
        }
        if (w.isStarting) starting++;
      }
      if (idle) {
        const job = this.queue.shift()!;
        const first = job.batch[0];
        if (first && schedulerEvents.active) schedulerEvents.emit({ type: 'task-started', compute: first.compute, key: first.key, op: first.spec.op, label: first.label ?? first.key, worker: idle.name, at: performance.timeOrigin + performance.now() });
        idle.run(job);
        continue;
      }
      if (!mayStart || this.pool.size >= this.workers || starting >= this.queue.length) return;
      this.spawn();
    }
  }

  private spawn(): void {
    const worker = new PoolWorker(this.name, {
      shared: this.shared,
      idle: () => this.dispatch(true),
      bytesRead: (n) => {
        this.bytes += n;
      },
      sample: (sample) => {
        if (schedulerEvents.active) schedulerEvents.emit(sample);
      },
      retire: (w) => {
        // Stopped and replaced: the next batch goes to a fresh worker.
        this.pool.delete(w);
        w.kill();
        this.dispatch(true);
      },
      exited: (w, started, reason) => this.exited(w, started, reason),
    });
    this.pool.add(worker);
    this.living.add(worker);
  }

  private exited(worker: PoolWorker, started: boolean, reason: string): void {
    this.living.delete(worker);
    if (!this.pool.delete(worker)) return; // killed on purpose (abort, close, retired): already replaced
    if (started) {
      this.dispatch(true); // starts the replacement if batches are waiting
      return;
    }
    // A worker that dies before it can take work would die again: rather than start
    // workers in a loop, leave the waiting batches to the other workers, or fail them.
    if (this.pool.size > 0) {
      this.dispatch(false);
      return;
    }
    const waiting = this.queue.splice(0);
    const message = `${reason} before it could run tasks (its error output is above); tasks not run: ${keyList(waiting.flatMap((j) => j.batch))}`;
    for (const job of waiting) job.fail(new DuskTaskError(message, job.batch[0]?.key ?? ''));
  }

  /**
   * One abort listener per signal, not one per batch: a compute sends many batches under
   * one signal, and Node warns past ten listeners on one target.
   */
  private watch(signal: AbortSignal): Set<PoolJob> {
    let jobs = this.bySignal.get(signal);
    if (!jobs) {
      const watched = new Set<PoolJob>();
      jobs = watched;
      this.bySignal.set(signal, watched);
      signal.addEventListener('abort', () => [...watched].forEach((job) => this.abort(job)), { once: true });
    }
    return jobs;
  }

  /** An aborted batch settles at once; if it is running, its worker is killed and replaced. */
  private abort(job: PoolJob): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    for (const worker of this.pool) {
      if (worker.runningJob !== job) continue;
      this.pool.delete(worker);
      worker.kill();
    }
    job.fail(cancelled(job.batch));
    this.dispatch(true);
  }
}

function cancelled(batch: TaskInvocation[]): DuskTaskError {
  return new DuskTaskError('cancelled', batch[0]?.key ?? '');
}
