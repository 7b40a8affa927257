import { Limit, type LogicalPlan, Sort, TopK, transformDown } from '../logical/index.js';
import type { OptimizerRule } from './rule.js';

/**
 * The first n rows of a sort are a top-k: Limit(Sort(x)) becomes TopK(x), which keeps n rows
 * per partition and merges them instead of sorting every row (sort().head(n)). A limit over a
 * top-k narrows it. Runs after limit pushdown, which brings a limit down to the sort through
 * select and withColumns.
 */
function rewriteOnce(node: LogicalPlan): LogicalPlan {
  if (!(node instanceof Limit)) return node;
  const { input, n } = node;
  if (input instanceof Sort) return new TopK(input.input, n, input.by, input.nullsFirst);
  if (input instanceof TopK) return new TopK(input.input, Math.min(n, input.n), input.by, input.nullsFirst, input.dropMissing);
  return node;
}

export const topK: OptimizerRule = {
  name: 'top-k',
  rewrite: (plan) => transformDown(plan, rewriteOnce),
};
