import { DuskError } from '../../../core/errors.js';
import type { SharedPayload } from '../../../kernels/shared-store.js';
import type { Op } from '../../../ops/op.js';
import type { SinkSpec } from '../../../kernels/consumer.js';
import type { LogicalPlan } from '../../logical/index.js';

/** Adds a step's tasks once every consumer of every shared scan is known; returns its key(s). */
export type Emit = () => string;
/**
 * The keys of a frame's partitions, in order: tasks whose results are the frame's rows, one
 * partition each (ColumnBatch[]).
 */
export type PartsEmit = () => string[];

export interface ShuffleSpill {
  dir: string;
  aboveBytes: number;
}

/** What a lowering may ask of the physical planner. */
export interface PartitionPlanner {
  /** Workers that will run the graph (1 for the sync scheduler). */
  readonly workers: number;
  /** The partitions of a child plan. */
  partitions(node: LogicalPlan): PartsEmit;
  /**
   * Every row of a child plan fed into `sink`: one more consumer of the shared scan when the
   * child is a pipeline over a scan (in the scan's own tasks), else a consume task per partition;
   * the partials merge in partition order and are finished. Returns the result's key.
   */
  feed(node: LogicalPlan, sink: SinkSpec): Emit;
  /** Every row of a child plan, as one task's result (ColumnBatch[]). */
  rows(node: LogicalPlan): Emit;
  /**
   * Where `maps` map tasks of a shuffle write buckets over their share of the shuffle's memory
   * budget (a scratch folder removed when the compute ends); null: keep everything in memory.
   */
  shuffleSpill(maps: number): ShuffleSpill | null;
  /** Adds a task (keyed by op, args, deps and `token`); returns its key. */
  add<A>(op: Op<A, unknown>, args: A, deps: string[], label: string, token: unknown): string;
  /** Puts a value on every worker before the graph's tasks run (a shipped function's globals). */
  share(key: string, payload: SharedPayload): void;
  /**
   * Runs `op` (a local op, no inputs) if the run ends before task `unless` succeeded; a failure
   * in the work of one of `parts` is named as that partition of `what` (TaskGraph.cleanups).
   */
  cleanup<A>(unless: string, op: Op<A, unknown>, args: A, what: string, parts: string[]): void;
}

/**
 * How a node whose result is partitioned (a join, a concat, a shuffle, …) becomes tasks: one
 * file each in this folder, registered in index.ts. The planner asks here before it treats a
 * node as a pipeline over a scan or as a whole result.
 */
export interface PartitionLowering<N extends LogicalPlan> {
  readonly node: abstract new (...args: never[]) => N;
  lower(node: N, planner: PartitionPlanner): PartsEmit;
  /**
   * The node as a compute target when its result is not its rows concatenated (persist: the
   * partitions kept apart); absent: a target gets the rows, partitions in order.
   */
  target?(node: N, planner: PartitionPlanner): Emit;
}

const lowerings: PartitionLowering<LogicalPlan>[] = [];

export function registerLowering<N extends LogicalPlan>(lowering: PartitionLowering<N>): PartitionLowering<N> {
  if (lowerings.some((l) => l.node === lowering.node)) throw new DuskError(`a partition lowering for ${lowering.node.name} is already registered`);
  lowerings.push(lowering as unknown as PartitionLowering<LogicalPlan>);
  return lowering;
}

export function loweringFor(node: LogicalPlan): PartitionLowering<LogicalPlan> | undefined {
  return lowerings.find((l) => node instanceof l.node);
}
