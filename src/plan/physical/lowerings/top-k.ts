import { topKMergeOp, topKOp, type TopKArgs } from '../../../ops/top-k.js';
import { TopK } from '../../logical/index.js';
import { registerLowering } from './lowering.js';
import { rowOrder } from './sort.js';

/**
 * Top-k: each partition keeps its own first n rows in the sort order (workers, stable), then
 * those (at most n per partition) are merged on the calling thread, in partition order.
 */
export const topKLowering = registerLowering({
  node: TopK,
  lower(node, planner) {
    const parts = planner.partitions(node.input);
    const args: TopKArgs = { order: rowOrder(node.by, node.nullsFirst), n: node.n, dropMissing: node.dropMissing };
    const what = node.describe();
    return () => {
      const inputs = parts();
      const tops = inputs.map((key, i) => planner.add(topKOp, args, [key], `${what}: partition ${i + 1}/${inputs.length}`, 'top-k'));
      if (tops.length === 1) return tops;
      return [planner.add(topKMergeOp, args, tops, `${what}: merge`, 'top-k')];
    };
  },
});
