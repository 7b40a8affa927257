import { hasShared, putShared } from '../kernels/shared-store.js';
import type { Executor } from './executor.js';
import { runInvocations } from './run-invocation.js';
import { SharedCounter } from './shared-counter.js';
import type { TaskInvocation, TaskOutcome } from './task-outcome.js';

/** Runs every task in the calling thread, one at a time: for debugging and tiny data. */
export class SyncExecutor implements Executor {
  readonly name = 'sync';
  readonly workers = 1;
  private readonly counter = new SharedCounter();
  runBatch(batch: TaskInvocation[]): Promise<TaskOutcome[]> {
    return runInvocations(batch, this.counter);
  }
  async share(key: string, value: unknown): Promise<void> {
    if (!hasShared(key)) putShared(key, value);
  }
  bytesRead(): number {
    return this.counter.read();
  }
  async close(): Promise<void> {}
}
