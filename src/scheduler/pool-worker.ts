import type { ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { loadArrow } from '../core/to-arrow.js';
import { emptyMetrics } from '../io/io-metrics.js';
import type { SharedPayload } from '../kernels/shared-store.js';
import type { WorkerSample } from './events.js';
import type { PoolJob } from './pool-job.js';
import type { ChildMessage, ParentMessage } from './pool-messages.js';
import { spawnWorkerProcess } from './process-spawn.js';
import { reportLateError } from './stray-errors.js';
import { serializeError, type SerializedError, type TaskInvocation } from './task-outcome.js';
import { spawnWorkerThread } from './thread-spawn.js';
import { packInvocation, unpackOutcomes } from './wire.js';

export type PoolKind = 'threads' | 'processes';

export interface WorkerEvents {
  /** Values every worker holds (explicit globals, scattered data): sent to a new worker first. */
  shared: ReadonlyMap<string, SharedPayload>;
  /** The worker can take a batch (it just started, or finished one). */
  idle(worker: PoolWorker): void;
  /** Bytes its current batch read since the last report. */
  bytesRead(n: number): void;
  /** The worker's memory and CPU (for the events). */
  sample(sample: WorkerSample): void;
  /** The worker's state is suspect (a task's callback threw): the pool stops it and starts another. */
  retire(worker: PoolWorker): void;
  /**
   * The worker ended; the batch it ran has been failed already. `started` is false when it
   * died before it could take work, and `reason` then says why (for the batches waiting on it).
   */
  exited(worker: PoolWorker, started: boolean, reason: string): void;
}

/** What a signal or an error code usually means here, for the error message. */
const HINTS: Record<string, string> = {
  SIGKILL: ' (killed from outside, often by the system for running out of memory)',
  SIGABRT: ' (a fatal error such as "JavaScript heap out of memory"; its message is in the error output above)',
  ERR_WORKER_OUT_OF_MEMORY: ' (out of memory: the thread reached its heap limit)',
};

/** How many keys an error message lists before saying "and N more". */
const KEYS_SHOWN = 5;

/** A thread or a process, seen the same way by the pool. */
interface Link {
  readonly label: string;
  /** As tasks it runs name their worker: 'host pid 123 thread 4'. */
  readonly name: string;
  readonly id: number;
  send(message: ParentMessage): void;
  kill(): void;
  hold(on: boolean): void;
}

/**
 * One worker of a pool (a thread or a child process) and the batch it runs. It holds the
 * parent's event loop open only while it has work (or is starting for work), so a script exits
 * once compute is done.
 */
export class PoolWorker {
  private readonly link: Link;
  /** Resolves when the worker has ended (for a process: and its IPC channel is closed). */
  readonly closed: Promise<void>;
  private state: 'starting' | 'idle' | 'busy' | 'dead' = 'starting';
  private job: PoolJob | null = null;
  /** What the worker said killed it, when it could say so before dying. */
  private crash: SerializedError | null = null;
  /** The end is handled once, whichever event reports it first. */
  private over = false;
  /** Set when the worker must be replaced once its batch is done. */
  private retiring = false;

  constructor(
    readonly kind: PoolKind,
    private readonly events: WorkerEvents,
  ) {
    let resolveClosed!: () => void;
    this.closed = new Promise((resolve) => (resolveClosed = resolve));
    const ended = (how: string, cause: string, error: Error | null) => {
      this.ended(how, cause, error);
      resolveClosed();
    };
    this.link = kind === 'processes' ? this.linkProcess(ended) : this.linkThread(ended);
  }

  private linkProcess(ended: (how: string, cause: string, error: Error | null) => void): Link {
    const child: ChildProcess = spawnWorkerProcess();
    // 'close' (not 'exit') comes after the last IPC message, so a crash report is not missed.
    child.once('close', (code, signal) => ended(signal ? `exited with signal ${signal}` : `exited with code ${code}`, signal ?? '', null));
    // A failed spawn (EAGAIN, ENOMEM) emits only 'error'. Other errors (a send to a process
    // that just died) are followed by 'close', which handles them.
    child.on('error', (err) => {
      if (child.pid === undefined) ended(`could not be started (${err.message})`, '', err);
    });
    child.on('message', (message: ChildMessage) => this.received(message));
    return {
      label: `worker process ${child.pid ?? '(not started)'}`,
      name: `${hostname()} pid ${child.pid ?? -1} thread 0`,
      id: child.pid ?? -1,
      send: (message) => child.send(message),
      kill: () => child.kill('SIGKILL'),
      hold: (on) => {
        if (on) {
          child.ref();
          child.channel?.ref();
        } else {
          child.unref();
          child.channel?.unref();
        }
      },
    };
  }

  private linkThread(ended: (how: string, cause: string, error: Error | null) => void): Link {
    let worker: Worker;
    try {
      worker = spawnWorkerThread();
    } catch (err) {
      queueMicrotask(() => ended(`could not be started (${(err as Error).message})`, '', err as Error));
      return { label: 'worker thread (not started)', name: 'worker thread (not started)', id: -1, send: () => {}, kill: () => {}, hold: () => {} };
    }
    let error: Error | null = null;
    // An error the worker's own handler could not report (out of memory, a failed start); 'exit' follows.
    worker.on('error', (err) => (error ??= err));
    worker.once('exit', (code) => ended(`exited with code ${code}`, (error as NodeJS.ErrnoException | null)?.code ?? '', error));
    worker.on('message', (message: ChildMessage) => this.received(message));
    return {
      label: `worker thread ${worker.threadId}`,
      name: `${hostname()} pid ${process.pid} thread ${worker.threadId}`,
      id: worker.threadId,
      send: (message) => worker.postMessage(message),
      kill: () => void worker.terminate(),
      hold: (on) => (on ? worker.ref() : worker.unref()),
    };
  }

  /** 'worker process 1234', 'worker thread 5'. */
  get label(): string {
    return this.link.label;
  }
  /** 'host pid 123 thread 4', as in the outcomes of its tasks. */
  get name(): string {
    return this.link.name;
  }
  /** The process id or thread id. */
  get id(): number {
    return this.link.id;
  }
  get isIdle(): boolean {
    return this.state === 'idle';
  }
  /** Ready for work, idle or busy. */
  get isStarted(): boolean {
    return this.state === 'idle' || this.state === 'busy';
  }
  get isStarting(): boolean {
    return this.state === 'starting';
  }
  get runningJob(): PoolJob | null {
    return this.job;
  }

  /** Sends a batch to this (idle) worker; its outcomes come back through job.finish. */
  run(job: PoolJob): void {
    this.state = 'busy';
    this.job = job;
    this.hold(true);
    try {
      this.link.send({ type: 'run', id: job.id, batch: job.batch.map(packInvocation) } satisfies ParentMessage);
    } catch (err) {
      // The batch holds a value the structured clone cannot carry; the worker is unharmed.
      // Not retryable: it would fail the same way every time.
      const error = { name: 'DuskTaskError', message: `the inputs of ${keyList(job.batch)} cannot be sent to a ${this.kind === 'threads' ? 'worker thread' : 'worker process'} (${serializeError(err).message}); pass plain data, typed arrays or Arrow tables`, retryable: false };
      this.release();
      job.finish(job.batch.map(() => ({ ok: false as const, error, metrics: emptyMetrics() })));
    }
  }

  /** Puts a value on this worker; a starting one gets every value when it is ready. Throws if the value cannot be sent. */
  share(key: string, payload: SharedPayload): void {
    if (this.isStarted) this.link.send({ type: 'share', key, payload } satisfies ParentMessage);
  }

  /** Makes this worker forget a shared value (a starting one never gets it: the pool dropped it first). */
  unshare(key: string): void {
    if (this.isStarted) this.link.send({ type: 'unshare', key } satisfies ParentMessage);
  }

  /** Stops the worker (its batch, if any, is the caller's to settle). */
  kill(): void {
    this.job = null;
    this.state = 'dead';
    // Held until it is gone, so that whoever waits for `closed` (close()) is not cut short.
    this.hold(true);
    this.link.kill();
  }

  private received(message: ChildMessage): void {
    if (this.state === 'dead') return;
    switch (message.type) {
      case 'ready':
        if (this.state !== 'starting') return;
        // Before any batch: the channel delivers in order, so tasks find them.
        this.state = 'idle';
        for (const [key, payload] of this.events.shared) this.share(key, payload);
        this.release();
        return;
      case 'progress':
        if (this.job?.id === message.id) this.events.bytesRead(message.bytes);
        return;
      case 'done': {
        const job = this.job;
        if (job?.id !== message.id) return;
        this.events.bytesRead(message.bytes);
        this.retiring ||= message.retire;
        this.release();
        const finish = () => job.finish(unpackOutcomes(job.batch, message.outcomes));
        // Tables come back as IPC bytes: Arrow is loaded (once, with import()) before they are read.
        if (message.outcomes.some((o) => o.ok && o.tables)) void loadArrow().then(finish, finish);
        else finish();
        return;
      }
      case 'late-error':
        reportLateError(message.compute, message.key, message.error);
        this.retiring = true;
        if (this.state === 'idle') this.events.retire(this);
        return;
      case 'crash':
        this.crash = message.error;
        return;
      case 'sample':
        this.events.sample(message.sample);
        return;
    }
  }

  /** Back to idle (or retired): let the parent exit while nothing runs. */
  private release(): void {
    this.job = null;
    this.state = 'idle';
    this.hold(false);
    if (this.retiring) this.events.retire(this);
    else this.events.idle(this);
  }

  private hold(on: boolean): void {
    this.link.hold(on);
  }

  private ended(how: string, cause: string, spawnError: Error | null): void {
    if (this.over) return;
    this.over = true;
    const started = this.state !== 'starting';
    const job = this.job;
    this.job = null;
    this.state = 'dead';
    if (job) job.finish(job.batch.map((task) => ({ ok: false as const, error: this.deathError(how, cause, task.label ? `${task.key} (${task.label})` : task.key, job.batch), metrics: emptyMetrics() })));
    this.events.exited(this, started, `${this.label} ${how}${spawnError && !how.includes(spawnError.message) ? `: ${spawnError.message}` : ''}`);
  }

  private deathError(how: string, cause: string, key: string, batch: TaskInvocation[]): SerializedError {
    const hint = HINTS[cause] ?? '';
    const others = batch.length > 1 ? ` (in a batch of ${batch.length}: ${keyList(batch)})` : '';
    const crash = this.crash ? `: ${this.crash.name}: ${this.crash.message}` : '';
    return {
      name: 'DuskTaskError',
      message: `${this.label} ${how}${hint} while running task ${key}${others}${crash}; a fresh ${this.kind === 'threads' ? 'thread' : 'process'} replaces it, and the option retries: n runs such a task again`,
      ...(this.crash?.stack ? { stack: this.crash.stack } : {}),
    };
  }
}

export function keyList(batch: TaskInvocation[]): string {
  const keys = batch.slice(0, KEYS_SHOWN).map((t) => t.key);
  return batch.length > KEYS_SHOWN ? `${keys.join(', ')} and ${batch.length - KEYS_SHOWN} more` : keys.join(', ');
}
