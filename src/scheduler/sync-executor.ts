import type { SchedulerName } from '../config.js';
import type { SharedPayload } from '../kernels/shared-store.js';
import { deleteShared, hasShared, putShared } from '../kernels/shared-store.js';
import type { Executor } from './executor.js';
import { schedulerEvents } from './events.js';
import { runInvocations, WORKER } from './run-invocation.js';
import { SharedCounter } from './shared-counter.js';
import { catchStrayErrorsInCallingThread, reportLateError, type TaskScope } from './stray-errors.js';
import { serializeError, type TaskInvocation, type TaskOutcome } from './task-outcome.js';
import { asSentToWorker } from './wire.js';

/** A sync task's callback that threw after the task returned: to its compute, or a warning. */
function late(scope: TaskScope, error: unknown): void {
  reportLateError(scope.compute, scope.key, serializeError(error));
}

/** Each task's start, for the dashboard (tasks run here, one by one). */
function announce(task: TaskInvocation, at: number): void {
  if (schedulerEvents.active) schedulerEvents.emit({ type: 'task-started', compute: task.compute, key: task.key, op: task.spec.op, label: task.label ?? task.key, worker: WORKER, at });
}

/**
 * Runs every task in the calling thread, one at a time: for debugging and tiny data. Also runs
 * a small compute of the threads or processes scheduler inline (`inline`: named after it).
 */
export class SyncExecutor implements Executor {
  readonly workers = 1;
  constructor(
    readonly name: SchedulerName = 'sync',
    readonly inline = false,
  ) {}
  private readonly counter = new SharedCounter();
  runBatch(batch: TaskInvocation[]): Promise<TaskOutcome[]> {
    // Errors thrown by the tasks' callbacks are caught and traced to them, as in workers.
    catchStrayErrorsInCallingThread();
    // Tasks get copies of their inputs, as in a worker: results do not depend on the scheduler.
    return runInvocations(asSentToWorker(batch), this.counter, late, announce);
  }
  async share(key: string, payload: SharedPayload): Promise<void> {
    // A copy, as each worker gets one (memory shared in place, a SharedArrayBuffer, stays shared).
    if (!hasShared(key)) putShared(key, structuredClone(payload));
  }
  unshare(key: string): void {
    deleteShared(key);
  }
  bytesRead(): number {
    return this.counter.read();
  }
  async close(): Promise<void> {}
}
