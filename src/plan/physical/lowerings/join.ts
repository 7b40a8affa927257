import { tokenize } from '../../../graph/tokenize.js';
import { hashJoinOp, type HashJoinArgs } from '../../../ops/hash-join.js';
import { Join } from '../../logical/index.js';
import { registerLowering } from './lowering.js';
import { hashExchange } from './shuffle.js';

/**
 * A join's partitions. Broadcast: the small side as one task's rows, joined with each
 * partition of the other side (the small side hashed once per worker). Shuffle: both sides hashed by their
 * keys into the same number of buckets (a side already spread that way is not moved), then
 * bucket i of the left joined with bucket i of the right, hashing the right.
 */
export const joinLowering = registerLowering({
  node: Join,
  lower(node, planner) {
    const { how, leftKeys, rightKeys } = node.spec;
    const execution = node.execution();
    const build = execution.kind === 'broadcast' ? execution.side : 'right';
    const args: HashJoinArgs = {
      how,
      build,
      leftKeys: [...leftKeys],
      rightKeys: [...rightKeys],
      matchDtypes: [...node.matchDtypes],
      leftDtypes: { ...node.left.schema.dtypes },
      rightDtypes: { ...node.right.schema.dtypes },
      columns: node.outputs.map((o) => ({ ...o })),
    };
    const label = (i: number, n: number): string => `join ${how} ${i + 1}/${n}`;
    if (execution.kind === 'broadcast') {
      const small = planner.rows(execution.side === 'left' ? node.left : node.right);
      const parts = planner.partitions(execution.side === 'left' ? node.right : node.left);
      return () => {
        const whole = small();
        // Every partition task hashes the same rows: a worker hashes them once (ops/hash-join.ts).
        const cached: HashJoinArgs = { ...args, buildCacheKey: `${whole}:${tokenize(args.build, args.leftKeys, args.rightKeys, args.matchDtypes, args.leftDtypes, args.rightDtypes)}` };
        return parts().map((key, i, all) => planner.add(hashJoinOp, cached, execution.side === 'left' ? [whole, key] : [key, whole], label(i, all.length), 'hash-join'));
      };
    }
    const left = hashExchange(node.left, leftKeys, execution.count, planner);
    const right = hashExchange(node.right, rightKeys, execution.count, planner);
    return () => {
      const rightParts = right();
      return left().map((key, i, all) => planner.add(hashJoinOp, args, [key, rightParts[i]!], label(i, all.length), 'hash-join'));
    };
  },
});
