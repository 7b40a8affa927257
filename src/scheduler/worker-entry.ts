import { workerData } from 'node:worker_threads';
import { runInvocations } from './run-invocation.js';
import { SharedCounter } from './shared-counter.js';
import type { TaskInvocation, TaskOutcome } from './task-outcome.js';

/** The code a pool worker runs: the same task runner as the sync scheduler. */
const counter = new SharedCounter((workerData as { progressBuffer: SharedArrayBuffer }).progressBuffer);

export default function runBatch(batch: TaskInvocation[]): Promise<TaskOutcome[]> {
  return runInvocations(batch, counter);
}
