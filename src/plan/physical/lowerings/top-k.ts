import { TopK } from '../../logical/index.js';
import { registerLowering } from './lowering.js';
import { rowOrder } from './sort.js';

/**
 * Top-k: a top-k sink on the input (sinks/top-k.ts): over a scan it runs in the scan's own
 * tasks, so each partition sends only its first n rows; the partials merge on the calling
 * thread in partition order. One partition.
 */
export const topKLowering = registerLowering({
  node: TopK,
  lower(node, planner) {
    const top = planner.feed(node.input, { kind: 'top-k', order: rowOrder(node.by, node.nullsFirst), n: node.n, dropMissing: node.dropMissing });
    return () => [top()];
  },
});
