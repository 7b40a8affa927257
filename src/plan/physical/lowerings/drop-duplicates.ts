import { dropDuplicatesOp } from '../../../ops/drop-duplicates.js';
import { DropDuplicates } from '../../logical/index.js';
import { registerLowering } from './lowering.js';
import { exchangeParts, isHashPartitioned } from './shuffle.js';

/**
 * dropDuplicates: each partition drops its own duplicates (workers), the survivors are hash
 * shuffled by the subset, and each bucket drops the duplicates across partitions. A bucket's
 * pieces come in partition order with rows in input order, so the first (or last) row kept
 * is the first (or last) in the whole input. Input already spread by the subset (or one
 * partition): one step per partition, no shuffle.
 */
export const dropDuplicatesLowering = registerLowering({
  node: DropDuplicates,
  lower(node, planner) {
    const args = { subset: [...node.subset], keep: node.keep };
    const count = node.input.partitionCount();
    const parts = planner.partitions(node.input);
    const what = node.describe();
    const dedupe = (keys: string[], step: string) => keys.map((key, i) => planner.add(dropDuplicatesOp, args, [key], `${what}: ${step} ${i + 1}/${keys.length}`, 'drop-duplicates'));
    if (count === 1 || isHashPartitioned(node.input, node.subset, count)) return () => dedupe(parts(), 'partition');
    const exchanged = exchangeParts(() => dedupe(parts(), 'partition'), node.input.schema.columns, node.subset, count, planner);
    return () => dedupe(exchanged(), 'bucket');
  },
});
