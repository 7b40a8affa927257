import { groupApplyOp } from '../../../ops/group-apply.js';
import { sortOp } from '../../../ops/sort.js';
import { GroupApply } from '../../logical/index.js';
import { registerLowering } from './lowering.js';
import { hashExchange } from './shuffle.js';

/**
 * groupBy().apply: the input hash-shuffled by the keys into as many partitions as it has (passed
 * through when already spread so, or when it is one partition), then one worker task per bucket
 * runs the function on each of its groups. Sorted: the buckets' results (each in key order)
 * are sorted by the keys into one partition, so the order is the keys' whatever the schedule.
 */
export const groupApplyLowering = registerLowering({
  node: GroupApply,
  lower(node, planner) {
    const count = node.input.partitionCount();
    const parts = count === 1 ? planner.partitions(node.input) : hashExchange(node.input, node.keys, count, planner);
    const input = { names: [...node.input.schema.columns], dtypes: { ...node.input.schema.dtypes } };
    const output = { names: [...node.returns.columns], dtypes: { ...node.returns.dtypes } };
    const args = { fn: node.fn, name: node.name, keys: [...node.keys], sort: node.sort, dropna: node.dropna, input, output };
    const order = { keys: node.keys.map((column) => ({ column, descending: false })), nullsFirst: false };
    return () => {
      for (const [key, payload] of node.shared) planner.share(key, payload);
      const keys = parts();
      const applied = keys.map((key, index) => planner.add(groupApplyOp, args, [key], `${node.name} groups ${index + 1}/${keys.length}`, ['group-apply', node.nonce]));
      if (!node.sort || applied.length === 1) return applied;
      return [planner.add(sortOp, { order }, applied, `${node.name}: groups in key order`, ['group-apply-sort', node.nonce])];
    };
  },
});
