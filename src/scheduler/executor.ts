import type { SchedulerName } from '../config.js';
import type { SharedPayload } from '../kernels/shared-store.js';
import type { TaskInvocation, TaskOutcome } from './task-outcome.js';

/**
 * Where tasks run. Every scheduler (sync, threads, processes, and later distributed)
 * implements this one interface; the graph runner does the rest (ready queue, batching,
 * retries, progress), so results do not depend on the scheduler.
 */
export interface Executor {
  readonly name: SchedulerName;
  /** True when it runs a pool scheduler's tasks on the calling thread (a small compute, see inlineBelowBytes). */
  readonly inline?: boolean;
  /** Tasks that can run at once. */
  readonly workers: number;
  /**
   * Batches run-graph keeps sent at once (default: workers). More where a batch waits on a
   * network round trip (distributed): the next batch is already queued when a worker frees up.
   */
  readonly inFlight?: number;
  /** Runs a batch of ready tasks in one worker call; one outcome per task, in order. */
  runBatch(batch: TaskInvocation[], signal: AbortSignal): Promise<TaskOutcome[]>;
  /**
   * Puts a value on every worker once (explicit globals, scattered data), for tasks to read
   * by key; a later call with the same key does nothing.
   */
  share(key: string, payload: SharedPayload): Promise<void>;
  /** Forgets a shared value on every worker (a persisted frame's data, unpersisted); unknown keys are ignored. */
  unshare?(key: string): void;
  /**
   * A result the executor left where its task ran (distributed: a key of a value in Redis),
   * fetched to this thread; any other value as it is. Run-graph calls it for the values it
   * needs here: inputs of local tasks, targets, futures' results. Absent: results are values.
   */
  materialize?(value: unknown): Promise<unknown>;
  /**
   * A shuffle-gather task's value (bucket `bucket` of each map result in deps) made where the
   * data is, without bringing the buckets here (distributed: references to per-bucket keys that
   * the reduce task's worker fetches); undefined: run-graph gathers here, as for other executors.
   */
  gatherBucket?(task: string, deps: readonly unknown[], bucket: number): unknown;
  /** A result no task needs any more (it is no target): the executor may free where it kept it. */
  release?(value: unknown): void;
  /** Called once when a compute ends, ok or not (compute = TaskInvocation.compute): the executor drops what it kept for it. */
  endCompute?(compute: number): Promise<void>;
  /** Bytes read so far by tasks of this executor (live, for progress bars). */
  bytesRead(): number;
  close(): Promise<void>;
}
