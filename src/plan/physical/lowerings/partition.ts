import { partitionListOp } from '../../../ops/partition-list.js';
import { type LogicalPlan, Partition, PartitionList } from '../../logical/index.js';
import { type PartitionPlanner, type PartsEmit, registerLowering } from './lowering.js';

/**
 * The partitions of `input`, lowered once per planner however many Partition nodes read it
 * (toDelayed makes one per partition: lowering the frame for each would cost n² tasks to merge).
 * Keyed by the node itself: toDelayed gives its nodes one optimized input, which the optimizer
 * then leaves as it is.
 */
const lowered = new WeakMap<PartitionPlanner, WeakMap<LogicalPlan, PartsEmit>>();
function partitionsOnce(planner: PartitionPlanner, input: LogicalPlan): PartsEmit {
  let byInput = lowered.get(planner);
  if (!byInput) lowered.set(planner, (byInput = new WeakMap()));
  let emit = byInput.get(input);
  if (!emit) {
    const parts = planner.partitions(input);
    let keys: string[] | null = null;
    emit = () => (keys ??= parts());
    byInput.set(input, emit);
  }
  return emit;
}

/** Partition i of a frame: key i of the frame's partitions (no task of its own). */
export const partitionLowering = registerLowering({
  node: Partition,
  lower(node, planner) {
    const parts = partitionsOnce(planner, node.input);
    return () => [parts()[node.index]!];
  },
});

/**
 * Every partition kept apart: as a frame, its input's partitions; as a result (persist), one
 * local step listing them, so each arrives as its own rows.
 */
export const partitionListLowering = registerLowering({
  node: PartitionList,
  lower: (node, planner) => planner.partitions(node.input),
  target(node, planner) {
    const parts = planner.partitions(node.input);
    return () => {
      const keys = parts();
      return planner.add(partitionListOp, {}, keys, `persist ${keys.length} partitions`, 'partition-list');
    };
  },
});
