import { DuskError } from '../../../core/errors.js';
import type { Op } from '../../../ops/op.js';
import type { LogicalPlan } from '../../logical/index.js';

/** Adds a step's tasks once every consumer of every shared scan is known; returns its key(s). */
export type Emit = () => string;
/**
 * The keys of a frame's partitions, in order: tasks whose results are the frame's rows, one
 * partition each (ColumnBatch[]).
 */
export type PartsEmit = () => string[];

/** What a lowering may ask of the physical planner. */
export interface PartitionPlanner {
  /** Workers that will run the graph (1 for the sync scheduler). */
  readonly workers: number;
  /** The partitions of a child plan. */
  partitions(node: LogicalPlan): PartsEmit;
  /** Every row of a child plan, as one task's result (ColumnBatch[]). */
  rows(node: LogicalPlan): Emit;
  /** Adds a task (keyed by op, args, deps and `token`); returns its key. */
  add<A>(op: Op<A, unknown>, args: A, deps: string[], label: string, token: unknown): string;
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
