import type { ChildProcess } from 'node:child_process';
import { emptyMetrics } from '../io/io-metrics.js';
import type { ProcessJob } from './process-job.js';
import type { ChildMessage, ParentMessage } from './process-messages.js';
import { spawnWorkerProcess } from './process-spawn.js';
import { serializeError, type SerializedError, type TaskInvocation, type TaskOutcome } from './task-outcome.js';

export interface WorkerEvents {
  /** Values every worker holds (explicit globals, scattered data): sent to a new worker first. */
  shared: ReadonlyMap<string, unknown>;
  /** The worker can take a batch (it just started, or finished one). */
  idle(worker: WorkerProcess): void;
  /** Bytes its current batch read since the last report. */
  bytesRead(n: number): void;
  /**
   * The process ended; the batch it ran has been failed already. `started` is false when it
   * died before it could take work, and `reason` then says why (for the batches waiting on it).
   */
  exited(worker: WorkerProcess, started: boolean, reason: string): void;
}

/** What a signal usually means here, for the error message. */
const HINTS: Record<string, string> = {
  SIGKILL: ' (killed from outside, often by the system for running out of memory)',
  SIGABRT: ' (a fatal error such as "JavaScript heap out of memory"; its message is in the error output above)',
};

/** How many keys an error message lists before saying "and N more". */
const KEYS_SHOWN = 5;

/**
 * One child process of the pool and the batch it runs. It holds the parent's event loop open
 * only while it has work (or is starting for work), so a script exits once compute is done.
 */
export class WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when the process has ended and its IPC channel is closed. */
  readonly closed: Promise<void>;
  private state: 'starting' | 'idle' | 'busy' | 'dead' = 'starting';
  private job: ProcessJob | null = null;
  /** What the worker said killed it, when it could say so before dying. */
  private crash: SerializedError | null = null;
  /** 'close' and a failed spawn's 'error' may both come: the end is handled once. */
  private over = false;

  constructor(private readonly events: WorkerEvents) {
    this.child = spawnWorkerProcess();
    this.pid = this.child.pid ?? -1;
    this.closed = new Promise((resolve) => {
      // 'close' (not 'exit') comes after the last IPC message, so a crash report is not missed.
      this.child.once('close', (code, signal) => {
        this.ended(code, signal, null);
        resolve();
      });
      // A failed spawn (EAGAIN, ENOMEM) emits only 'error'. Other errors (a send to a process
      // that just died) are followed by 'close', which handles them.
      this.child.on('error', (err) => {
        if (this.child.pid !== undefined) return;
        this.ended(null, null, err);
        resolve();
      });
    });
    this.child.on('message', (message: ChildMessage) => this.received(message));
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
  get runningJob(): ProcessJob | null {
    return this.job;
  }

  /** Sends a batch to this (idle) worker; its outcomes come back through job.finish. */
  run(job: ProcessJob): void {
    this.state = 'busy';
    this.job = job;
    this.hold(true);
    try {
      this.child.send({ type: 'run', id: job.id, batch: job.batch } satisfies ParentMessage);
    } catch (err) {
      // The batch holds a value the structured clone cannot carry; the worker is unharmed.
      // Not retryable: it would fail the same way every time.
      const error = { name: 'DuskTaskError', message: `the inputs of ${keyList(job.batch)} cannot be sent to a worker process (${serializeError(err).message}); pass plain data, typed arrays or Arrow tables`, retryable: false };
      this.release();
      job.finish(job.batch.map(() => ({ ok: false as const, error, metrics: emptyMetrics() })));
    }
  }

  /** Puts a value on this worker; a starting one gets every value when it is ready. Throws if the value cannot be sent. */
  share(key: string, value: unknown): void {
    if (this.isStarted) this.sendShared(key, value);
  }

  private sendShared(key: string, value: unknown): void {
    this.child.send({ type: 'share', key, value } satisfies ParentMessage);
  }

  /** Stops the process (its batch, if any, is the caller's to settle). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.job = null;
    this.state = 'dead';
    // Held until it is gone, so that whoever waits for `closed` (close()) is not cut short.
    this.hold(true);
    this.child.kill(signal);
  }

  private received(message: ChildMessage): void {
    if (this.state === 'dead') return;
    switch (message.type) {
      case 'ready':
        if (this.state !== 'starting') return;
        // Before any batch: the channel delivers in order, so tasks find them.
        for (const [key, value] of this.events.shared) this.sendShared(key, value);
        this.release();
        return;
      case 'progress':
        if (this.job?.id === message.id) this.events.bytesRead(message.bytes);
        return;
      case 'done': {
        const job = this.job;
        if (job?.id !== message.id) return;
        this.events.bytesRead(message.bytes);
        this.release();
        job.finish(message.outcomes);
        return;
      }
      case 'crash':
        this.crash = message.error;
        return;
    }
  }

  /** Back to idle: let the parent exit while nothing runs. */
  private release(): void {
    this.job = null;
    this.state = 'idle';
    this.hold(false);
    this.events.idle(this);
  }

  private hold(on: boolean): void {
    if (on) {
      this.child.ref();
      this.child.channel?.ref();
    } else {
      this.child.unref();
      this.child.channel?.unref();
    }
  }

  private ended(code: number | null, signal: NodeJS.Signals | null, spawnError: Error | null): void {
    if (this.over) return;
    this.over = true;
    const started = this.state !== 'starting';
    const job = this.job;
    this.job = null;
    this.state = 'dead';
    const how = spawnError ? `could not be started (${spawnError.message})` : `exited with ${signal ? `signal ${signal}` : `code ${code}`}`;
    if (job) job.finish(job.batch.map((task) => ({ ok: false as const, error: this.deathError(how, signal, task.key, job.batch), metrics: emptyMetrics() })));
    this.events.exited(this, started, `worker process ${this.pid} ${how}`);
  }

  private deathError(how: string, signal: NodeJS.Signals | null, key: string, batch: TaskInvocation[]): SerializedError {
    const hint = HINTS[signal ?? ''] ?? '';
    const others = batch.length > 1 ? ` (in a batch of ${batch.length}: ${keyList(batch)})` : '';
    const cause = this.crash ? `: ${this.crash.name}: ${this.crash.message}` : '';
    return {
      name: 'DuskTaskError',
      message: `worker process ${this.pid} ${how}${hint} while running task ${key}${others}${cause}; a fresh process replaces it, and the option retries: n runs such a task again`,
      ...(this.crash?.stack ? { stack: this.crash.stack } : {}),
    };
  }
}

export function keyList(batch: TaskInvocation[]): string {
  const keys = batch.slice(0, KEYS_SHOWN).map((t) => t.key);
  return batch.length > KEYS_SHOWN ? `${keys.join(', ')} and ${batch.length - KEYS_SHOWN} more` : keys.join(', ');
}
