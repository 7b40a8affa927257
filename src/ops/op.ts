import type { IoMetrics, ProgressSink } from '../io/io-metrics.js';

/** What a running task may use: counters for the compute report and the progress bar. */
export interface TaskContext {
  metrics: IoMetrics;
  progress: ProgressSink;
}

/**
 * One kind of task, as the scheduler sees it: how it runs, and what the scheduler must know.
 * A task in a graph names its op and carries plain-data arguments; a worker finds the op here
 * by name (registry.ts), so every scheduler runs every op the same way.
 */
export interface Op<A = unknown, R = unknown> {
  readonly name: string;
  /** Cheap steps (a small combine, a finalize) run on the calling thread instead of a worker. */
  readonly local: boolean;
  /**
   * The parts of a result the task made fresh (parsed columns), whose buffers a worker may move
   * to the caller instead of copying them. Absent: everything is copied (a result may share
   * memory the worker keeps: caches, a user's data).
   */
  movable?(result: R, args: A): unknown;
  run(args: A, deps: unknown[], ctx: TaskContext): R | Promise<R>;
}

/** A task's work as plain data: the op's name and its arguments. */
export interface TaskSpec {
  op: string;
  args: unknown;
}
