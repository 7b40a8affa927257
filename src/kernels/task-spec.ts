import type { ColumnBatch } from '../core/column-data.js';
import { type CallArgs, runCall } from './call-task.js';
import { emptyMetrics, type IoMetrics, type ProgressSink } from '../io/io-metrics.js';
import { type ColumnStats, emptyStats, finalizeStats, mergeStats, type ReduceOp } from './column-stats.js';
import { type HeadArgs, headRows, type ScanPartitionArgs, scanPartition, type SinkPartial } from './scan-partition.js';

/**
 * Every kind of task a graph can hold, as plain data: a scheduler sends the spec to a worker,
 * which runs it with `runTask`. New task kinds (delayed calls, model fits, GPU kernels) are
 * added here, so every scheduler runs them the same way.
 */
export type TaskSpec =
  | { op: 'scan-partition'; args: ScanPartitionArgs }
  | { op: 'head'; args: HeadArgs }
  /** Picks sink `sink` from each partition's partials and combines them in partition order. */
  | { op: 'combine-stats'; args: { sink: number } }
  | { op: 'concat-batches'; args: { sink: number } }
  | { op: 'finalize-stats'; args: { reduce: ReduceOp } }
  /** A delayed call, future or map item: a user function on arguments and dependencies' results. */
  | { op: 'call'; args: CallArgs };

export interface TaskContext {
  metrics: IoMetrics;
  progress: ProgressSink;
}

export function newTaskContext(progress: ProgressSink): TaskContext {
  return { metrics: emptyMetrics(), progress };
}

export async function runTask(spec: TaskSpec, deps: unknown[], ctx: TaskContext): Promise<unknown> {
  switch (spec.op) {
    case 'scan-partition':
      return scanPartition(spec.args, ctx);
    case 'head':
      return headRows(spec.args, ctx);
    case 'combine-stats': {
      const total = emptyStats();
      for (const partials of deps as SinkPartial[][]) mergeStats(total, partials[spec.args.sink] as ColumnStats);
      return total;
    }
    case 'concat-batches':
      return (deps as SinkPartial[][]).flatMap((partials) => partials[spec.args.sink] as ColumnBatch[]);
    case 'finalize-stats':
      return finalizeStats(spec.args.reduce, deps[0] as ColumnStats);
    case 'call':
      return runCall(spec.args, deps);
  }
}
