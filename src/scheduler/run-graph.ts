import { setMaxListeners } from 'node:events';
import { rmSync } from 'node:fs';
import type { ResolvedComputeOptions } from '../config.js';
import type { Cleanup, Task, TaskGraph } from '../graph/task-graph.js';
import { emptyMetrics, noProgress } from '../io/io-metrics.js';
import { newTaskContext, runTask } from '../ops/index.js';
import { DuskError, DuskTaskError } from '../core/errors.js';
import type { Executor } from './executor.js';
import { ComputeRecorder, type ComputeReport, type SchedulerEvent, schedulerEvents } from './events.js';
import { Queue } from './queue.js';
import { openCompute } from './stray-errors.js';
import { depsOf, now, WORKER } from './run-invocation.js';
import { shuffleGatherOp } from '../ops/shuffle-gather.js';
import { isRetryable, reviveError, serializeError, type TaskInvocation, type TaskOutcome } from './task-outcome.js';
import type { GpuReport } from './events.js';

export type { ComputeReport, GpuReport } from './events.js';

/** GPU tasks run on the calling thread, one at a time per device: their own lane in the task stream. */
const GPU_LANE = `${WORKER} gpu`;

/** Tasks whose results may hold spilled pieces, read back where their consumers run (on distributed, built by the executor without fetching the buckets: gatherBucket). */
const SHUFFLE_GATHER = shuffleGatherOp.name;

/** Per-task callbacks, for futures: results as they come, failures that do not stop the rest. */
export interface RunHooks {
  onResult?(key: string, value: unknown): void;
  /** Called for a failed (or cancelled) task; the graph goes on with the tasks that do not need it. */
  onError?(key: string, error: Error): void;
  /** Tasks not yet started that should not start. */
  isCancelled?(key: string): boolean;
}

/** What the events of a run say about it beyond the graph (compute() passes these). */
export interface RunInfo {
  /** The compute's id in the events (schedulerEvents.newComputeId()); a fresh one by default. */
  id?: number;
  /** The plan as explain() prints it, built only when someone listens to the events. */
  explain?: () => string;
  /** The GPU part of the report, read when the run ends. */
  gpu?: () => GpuReport;
}

/** How often a running compute reports its bytes read (for progress bars and the dashboard). */
const PROGRESS_EVERY_MS = 200;

/** Tasks per worker call for function calls: explicit, or 'auto' (dynamic for few calls, about 4 batches per worker for many). */
function callBatchSize(options: ResolvedComputeOptions, callTasks: number, workers: number): number {
  if (options.chunksize !== 'auto') return options.chunksize;
  return callTasks > 8 * workers ? Math.ceil(callTasks / (4 * workers)) : 1;
}

/**
 * 'auto' batches of other worker tasks (partitions): one task per call while tasks are long
 * (dynamic allocation balances uneven files), more per call once they prove short, so that a
 * call lasts about TARGET_BATCH_MS: 10,000 tiny files cost 10,000 round trips otherwise. Never
 * more than a fair share of the ready tasks, so no worker goes without while tasks are ready.
 */
const TARGET_BATCH_MS = 20;
export function partitionBatchSize(msPerTask: number | null, ready: number, workers: number): number {
  if (msPerTask === null) return 1;
  const fair = Math.max(1, Math.floor(ready / workers));
  return Math.max(1, Math.min(fair, Math.floor(TARGET_BATCH_MS / Math.max(msPerTask, 1e-3))));
}

/** Whether task `key` is, or needs (through its dependencies), task `target`. */
function needs(graph: TaskGraph, key: string, target: string, seen = new Set<string>()): boolean {
  if (key === target) return true;
  if (seen.has(key)) return false;
  seen.add(key);
  return (graph.tasks.get(key)?.deps ?? []).some((dep) => needs(graph, dep, target, seen));
}

/**
 * Runs the clean-ups of work that did not complete (on this thread; a failing clean-up is a
 * warning, never hides the run's error), and names in that error the partition it failed in.
 */
async function runCleanups(graph: TaskGraph, succeeded: ReadonlySet<string>, failure: unknown, failedKey: string | null): Promise<void> {
  for (const cleanup of graph.cleanups) {
    if (succeeded.has(cleanup.unless)) continue;
    let cleaned = true;
    try {
      await runTask(cleanup.spec, [], newTaskContext(noProgress));
    } catch (err) {
      cleaned = false;
      process.emitWarning(`dusk: ${cleanup.what}: could not clean up: ${(err as Error).message}`, 'DuskCleanupWarning');
    }
    if (failure instanceof Error && failedKey !== null) nameFailedPart(failure, cleanup, graph, failedKey, cleaned);
  }
}

function nameFailedPart(failure: Error, cleanup: Cleanup, graph: TaskGraph, failedKey: string, cleaned: boolean): void {
  const parts = cleanup.parts.map((key, i) => (needs(graph, key, failedKey) ? i : -1)).filter((i) => i >= 0);
  if (parts.length === 0) return;
  const where = parts.length === 1 ? `partition ${parts[0]! + 1}/${cleanup.parts.length} failed` : 'failed';
  const prefix = `${cleanup.what}: ${where}${cleaned ? ' (nothing was written)' : ''}: `;
  const old = failure.message;
  failure.message = prefix + old;
  if (failure.stack?.startsWith(`${failure.name}: ${old}`)) failure.stack = `${failure.name}: ${failure.message}${failure.stack.slice(failure.name.length + 2 + old.length)}`;
}

/**
 * Runs a task graph: a ready queue in dependency order, worker tasks sent to the executor in
 * batches of `chunksize` with a bounded number in flight, combine steps run here as soon as
 * their inputs exist. The first failure cancels what is still running and is thrown.
 */
export async function runGraph(graph: TaskGraph, executor: Executor, options: ResolvedComputeOptions, hooks: RunHooks = {}, info: RunInfo = {}): Promise<{ values: unknown[]; report: ComputeReport }> {
  const started = performance.now();
  const computeId = info.id ?? schedulerEvents.newComputeId();
  // The report is the fold of this run's events; everyone else gets them from the bus.
  const recorder = new ComputeRecorder(computeId);
  const emit = (event: SchedulerEvent) => {
    recorder.handle(event);
    if (schedulerEvents.active) schedulerEvents.emit(event);
  };
  const culled = graph.cull();
  for (const [key, payload] of culled.shared) await executor.share(key, payload);
  const order = culled.topologicalOrder();
  const results = new Map<string, unknown>();
  const waiting = new Map<string, number>(order.map((t) => [t.key, t.deps.length]));
  const dependents = new Map<string, Task[]>();
  for (const task of order) for (const dep of task.deps) (dependents.get(dep) ?? dependents.set(dep, []).get(dep)!).push(task);
  // A result is dropped once every task that needs it has run (unless it is a target).
  const consumersLeft = new Map<string, number>(order.map((t) => [t.key, dependents.get(t.key)?.length ?? 0]));
  const targets = new Set(culled.targets);

  const readyLocal = new Queue<Task>();
  const readyRemote = new Queue<Task>();
  const enqueue = (task: Task) => (task.local ? readyLocal : readyRemote).push(task);
  order.filter((t) => t.deps.length === 0).forEach(enqueue);

  // Results the executor keeps where they ran (distributed) are fetched for the values needed here.
  const here = executor.materialize ? (value: unknown) => executor.materialize!(value) : null;
  /** Futures' results being fetched (here), awaited before the compute ends. */
  const delivering = new Set<Promise<void>>();
  const attempts = new Map<string, number>();
  const workerTasks = order.filter((t) => !t.local).length;
  const callChunk = callBatchSize(options, order.filter((t) => t.spec.op === 'call').length, executor.workers);
  /** Mean wall time per task of recent batches of other tasks (for 'auto' batches); null until one returns. */
  let msPerTask: number | null = null;
  const batchSize = (next: Task): number => {
    if (next.spec.op === 'call') return callChunk;
    if (options.chunksize !== 'auto') return options.chunksize;
    return partitionBatchSize(msPerTask, readyRemote.length, executor.workers);
  };
  const bytesAtStart = executor.bytesRead();
  const ops: Record<string, number> = {};
  for (const t of order) if (!t.local) ops[t.spec.op] = (ops[t.spec.op] ?? 0) + 1;
  emit({ type: 'compute-started', id: computeId, at: now(), scheduler: executor.name, workers: executor.workers, inline: executor.inline ?? false, tasks: order.length, workerTasks, ops, explain: schedulerEvents.active ? (info.explain?.() ?? null) : null });
  const progressTimer = setInterval(() => {
    if (schedulerEvents.active) schedulerEvents.emit({ type: 'compute-progress', compute: computeId, bytesRead: executor.bytesRead() - bytesAtStart });
  }, PROGRESS_EVERY_MS);
  progressTimer.unref();

  const abort = new AbortController();
  setMaxListeners((executor.inFlight ?? executor.workers) + 8, abort.signal); // one listener per call in flight
  let failure: Error | null = null;
  /** The task whose failure stopped the run (for the clean-ups' messages). */
  let failedKey: string | null = null;
  /** The clean-ups' `unless` tasks that succeeded. */
  const cleanupKeys = new Set(culled.cleanups.map((c) => c.unless));
  const succeeded = new Set<string>();
  // An error a task's callback throws after the task returned fails this compute while it runs
  // (with futures, whose results are out already, it is a warning); after, it is a warning.
  const compute = openCompute(computeId, (key, error) => {
    if (hooks.onError) {
      process.emitWarning(`dusk: ${error.message}`, 'DuskStrayErrorWarning');
      return;
    }
    failure ??= error;
    abort.abort();
  });

  const inFlight = new Set<Promise<void>>();
  // The GPU lane: GPU tasks (ops 'gpu-*') run on this thread without blocking the dispatch of
  // worker tasks; they take turns on the device themselves (gpu/device.ts withDevice).
  const gpuLane = new Set<Promise<void>>();
  let values: unknown[] = [];
  // One call per worker: the pool never queues (its queue may reorder), so tasks start in
  // order and each goes to the first worker free (dynamic allocation, as the unit describes).
  const maxInFlight = executor.inFlight ?? executor.workers;

  let completed = 0;
  const complete = (task: Task, value: unknown) => {
    completed++;
    results.set(task.key, value);
    if (cleanupKeys.has(task.key)) succeeded.add(task.key);
    for (const dep of task.deps) {
      const left = consumersLeft.get(dep)! - 1;
      consumersLeft.set(dep, left);
      if (left === 0 && !targets.has(dep)) {
        executor.release?.(results.get(dep));
        results.delete(dep);
      }
    }
    for (const next of dependents.get(task.key) ?? []) {
      const left = waiting.get(next.key)! - 1;
      waiting.set(next.key, left);
      if (left === 0) enqueue(next);
    }
    if (!hooks.onResult) return;
    if (!here || !targets.has(task.key)) return hooks.onResult(task.key, value);
    const delivery = here(value).then(
      (v) => hooks.onResult!(task.key, v),
      (err: Error) => hooks.onError?.(task.key, err),
    );
    delivering.add(delivery);
  };

  /** With onError, a failure ends only this task and the tasks that need it. */
  const failed = new Set<string>();
  const failAlone = (task: Task, error: Error, reported = false) => {
    if (failed.has(task.key)) return;
    failed.add(task.key);
    completed++;
    // A task that never ran (cancelled, or it needs a failed one) ends here for the progress too.
    if (!reported) emit({ type: 'task-failed', compute: computeId, key: task.key, op: task.spec.op, label: task.label, local: task.local, ran: null, metrics: emptyMetrics(), error: error.message, retrying: false });
    hooks.onError!(task.key, error);
    for (const next of dependents.get(task.key) ?? []) failAlone(next, new DuskTaskError(`${next.key} did not run: it needs ${task.key}, which failed`, next.key, undefined, { cause: error }));
  };

  const handle = (task: Task, outcome: TaskOutcome) => {
    const ended = { compute: computeId, key: task.key, op: task.spec.op, label: task.label, local: task.local, ran: outcome.ran ?? null, metrics: outcome.metrics };
    if (outcome.ok) {
      emit({ type: 'task-finished', ...ended });
      complete(task, outcome.value);
      return;
    }
    const tried = (attempts.get(task.key) ?? 0) + 1;
    attempts.set(task.key, tried);
    const retrying = tried <= options.retries && isRetryable(outcome.error);
    emit({ type: 'task-failed', ...ended, error: outcome.error.message, retrying });
    if (retrying) {
      enqueue(task);
      return;
    }
    const error = reviveError(outcome.error, task.key);
    if (hooks.onError) return failAlone(task, error, true);
    if (failure === null) failedKey = task.key;
    failure ??= error;
    abort.abort();
  };

  const invocation = (task: Task): TaskInvocation => {
    const spilled = task.deps.flatMap((d, i) => (culled.tasks.get(d)!.spec.op === SHUFFLE_GATHER ? [i] : []));
    return { key: task.key, label: task.label, spec: task.spec, deps: task.deps.map((d) => results.get(d)), compute: compute.id, ...(spilled.length > 0 ? { spilled } : {}) };
  };

  /** Runs a local task on this thread (`worker` names its lane), its inputs fetched here first where the executor keeps them. */
  const runHere = async (task: Task, worker: string): Promise<TaskOutcome> => {
    const ctx = newTaskContext(noProgress);
    const start = now();
    const ran = () => ({ worker, start, end: now() });
    try {
      const local = invocation(task);
      // A shuffle's gather on an executor that keeps the buckets where they are (distributed).
      const gathered = task.spec.op === SHUFFLE_GATHER ? executor.gatherBucket?.(task.key, local.deps, (task.spec.args as { bucket: number }).bucket) : undefined;
      if (gathered !== undefined) return { ok: true, value: gathered, metrics: ctx.metrics, ran: ran() };
      if (here) local.deps = await Promise.all(local.deps.map(here));
      return { ok: true, value: await runTask(task.spec, depsOf(local), ctx), metrics: ctx.metrics, ran: ran() };
    } catch (err) {
      return { ok: false, error: serializeError(err), metrics: ctx.metrics, ran: ran() };
    }
  };

  try {
    while (completed < order.length && !failure) {
      while (readyLocal.length > 0 && !failure) {
        const task = readyLocal.shift()!;
        if (task.spec.op.startsWith('gpu-')) {
          // Started, not awaited: worker dispatch goes on while the GPU works.
          const running = Promise.resolve().then(() => runHere(task, GPU_LANE)).then((outcome) => handle(task, outcome));
          gpuLane.add(running);
          void running.finally(() => gpuLane.delete(running));
          continue;
        }
        handle(task, await runHere(task, WORKER));
      }
      while (readyRemote.length > 0 && inFlight.size < maxInFlight && !failure) {
        const batch = readyRemote.take(batchSize(readyRemote.peek()!)).filter((t) => {
          if (!hooks.isCancelled?.(t.key)) return true;
          failAlone(t, new DuskTaskError(`${t.key} was cancelled`, t.key));
          return false;
        });
        if (batch.length === 0) continue;
        const invocations = batch.map(invocation);
        const sent = performance.now();
        const running: Promise<void> = executor.runBatch(invocations, abort.signal).then(
          (outcomes) => {
            if (batch[0]!.spec.op !== 'call') {
              const ms = (performance.now() - sent) / batch.length;
              msPerTask = msPerTask === null ? ms : 0.7 * msPerTask + 0.3 * ms;
            }
            outcomes.forEach((o, i) => handle(batch[i]!, o));
          },
          (err) => {
            if (!abort.signal.aborted) batch.forEach((t) => handle(t, { ok: false, error: serializeError(err), metrics: emptyMetrics() }));
          },
        );
        inFlight.add(running);
        void running.finally(() => inFlight.delete(running));
      }
      if (failure) break;
      if (completed >= order.length) break;
      if (readyLocal.length > 0 || (readyRemote.length > 0 && inFlight.size < maxInFlight)) continue;
      if (inFlight.size === 0 && gpuLane.size === 0) throw new DuskError(`task graph stalled with ${order.length - completed} task(s) not run (a bug in Dusk: please report it)`);
      await Promise.race([...inFlight, ...gpuLane]);
    }
    if (failure) {
      await Promise.allSettled([...inFlight, ...gpuLane]);
      throw failure;
    }
    await Promise.all(delivering);
    values = await Promise.all(culled.targets.map((k) => (here ? here(results.get(k)) : results.get(k))));
  } catch (err) {
    await runCleanups(culled, succeeded, err, failedKey);
    emit({ type: 'compute-finished', id: computeId, at: now(), report: recorder.report(performance.now() - started, info.gpu?.()), error: (err as Error)?.message ?? String(err) });
    throw err;
  } finally {
    clearInterval(progressTimer);
    compute.close();
    await executor.endCompute?.(compute.id);
    // Scratch files (spilled shuffles) go when the compute ends, whether it failed or not.
    for (const dir of culled.scratch) rmSync(dir, { recursive: true, force: true });
  }
  // Futures: failed tasks did not stop the run; work that needed them did not complete.
  await runCleanups(culled, succeeded, null, null);
  const report = recorder.report(performance.now() - started, info.gpu?.());
  emit({ type: 'compute-finished', id: computeId, at: now(), report, error: null });
  return { values, report };
}
