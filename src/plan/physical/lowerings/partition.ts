import { partitionListOp } from '../../../ops/partition-list.js';
import { Partition, PartitionList } from '../../logical/index.js';
import { registerLowering } from './lowering.js';

/** Partition i of a frame: key i of the frame's partitions (no task of its own). */
export const partitionLowering = registerLowering({
  node: Partition,
  lower(node, planner) {
    const parts = planner.partitions(node.input);
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
