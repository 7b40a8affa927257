import type { ProgressSink } from '../io/io-metrics.js';
import { newTaskContext, runTask } from '../ops/index.js';
import { serializeError, type TaskInvocation, type TaskOutcome } from './task-outcome.js';

/** Runs tasks one after another in this thread; the body of every worker call. */
export async function runInvocations(batch: TaskInvocation[], progress: ProgressSink): Promise<TaskOutcome[]> {
  const outcomes: TaskOutcome[] = [];
  for (const task of batch) {
    const ctx = newTaskContext(progress);
    try {
      outcomes.push({ ok: true, value: await runTask(task.spec, task.deps, ctx), metrics: ctx.metrics });
    } catch (err) {
      outcomes.push({ ok: false, error: serializeError(err), metrics: ctx.metrics });
    }
  }
  return outcomes;
}
