import { shuffleGatherOp } from '../../../ops/shuffle-gather.js';
import { shuffleSplitOp } from '../../../ops/shuffle-split.js';
import { type LogicalPlan, Shuffle } from '../../logical/index.js';
import { registerLowering, type PartitionPlanner, type PartsEmit } from './lowering.js';

/**
 * The hash exchange: each input partition is cut into `count` buckets by the hash of the keys
 * (map tasks, on workers); bucket j of every map task, in partition order, is partition j.
 * A frame already spread by these keys into as many partitions is passed through as it is.
 */
export function hashExchange(input: LogicalPlan, keys: readonly string[], count: number, planner: PartitionPlanner): PartsEmit {
  const parts = planner.partitions(input);
  if (isHashPartitioned(input, keys, count)) return parts;
  return exchangeParts(parts, input.schema.columns, keys, count, planner);
}

/** Whether a frame's rows are already spread by the hash of `keys` into `count` partitions. */
export function isHashPartitioned(input: LogicalPlan, keys: readonly string[], count: number): boolean {
  const partitioning = input.partitioning();
  return partitioning !== null && partitioning.count === count && sameKeys(partitioning.keys, keys);
}

/**
 * The hash exchange of partitions already planned (with `columns`): a step may first shrink
 * each partition (dropDuplicates dedupes before it shuffles).
 */
export function exchangeParts(parts: PartsEmit, columns: readonly string[], keys: readonly string[], count: number, planner: PartitionPlanner): PartsEmit {
  return () => {
    const inputs = parts();
    const token = ['shuffle', keys, count];
    const spill = planner.shuffleSpill(inputs.length);
    const maps = inputs.map((key, i) => planner.add(shuffleSplitOp, { keys: [...keys], buckets: count, columns: [...columns], spill }, [key], `shuffle split ${i + 1}/${inputs.length} by [${keys.join(', ')}]`, token));
    return Array.from({ length: count }, (_, bucket) => planner.add(shuffleGatherOp, { bucket }, maps, `shuffle bucket ${bucket + 1}/${count}`, token));
  };
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

export const shuffleLowering = registerLowering({
  node: Shuffle,
  lower: (node, planner) => hashExchange(node.input, node.keys, node.count, planner),
});
