import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import type { ProgressSink } from '../io/io-metrics.js';
import { loadSpilled, type SpilledBatch } from '../io/spill.js';
import type { ColumnBatch } from '../core/column-data.js';
import { newTaskContext, runTask } from '../ops/index.js';
import { runInScope, type TaskScope } from './stray-errors.js';
import { serializeError, type TaskInvocation, type TaskOutcome } from './task-outcome.js';

/** This thread, as task runs (and worker samples) name it. */
export const WORKER = `${hostname()} pid ${process.pid} thread ${threadId}`;

/** Milliseconds since the epoch, at sub-millisecond resolution. */
export const now = (): number => performance.timeOrigin + performance.now();

/**
 * Runs tasks one after another in this thread; the body of every worker call. Each user
 * function call runs in its own async scope, so an error one of its callbacks throws later is
 * traced to it (`late` reports those thrown after the task returned). Dusk's own tasks (scans,
 * combines) start no stray callbacks, and skip the scope: async scopes slow every promise.
 */
export async function runInvocations(batch: TaskInvocation[], progress: ProgressSink, late: (scope: TaskScope, error: unknown) => void, started?: (task: TaskInvocation, at: number) => void): Promise<TaskOutcome[]> {
  const outcomes: TaskOutcome[] = [];
  for (const task of batch) {
    const ctx = newTaskContext(progress);
    const start = now();
    started?.(task, start);
    try {
      const run = () => runTask(task.spec, depsOf(task), ctx);
      const value = task.spec.op === 'call' ? await runInScope(task.compute, task.key, late, run) : await run();
      outcomes.push({ ok: true, value, metrics: ctx.metrics, ran: { worker: WORKER, start, end: now() } });
    } catch (err) {
      outcomes.push({ ok: false, error: serializeError(err), metrics: ctx.metrics, ran: { worker: WORKER, start, end: now() } });
    }
  }
  return outcomes;
}

/** A task's inputs, with shuffled pieces that were written to scratch files read back (here, where the task runs). */
export function depsOf(task: TaskInvocation): unknown[] {
  if (!task.spilled?.length) return task.deps;
  const deps = [...task.deps];
  for (const i of task.spilled) deps[i] = loadSpilled(deps[i] as (ColumnBatch | SpilledBatch)[]);
  return deps;
}
