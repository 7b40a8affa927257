import { Limit, type LogicalPlan, Select, transformDown, WithColumns } from '../logical/index.js';
import type { OptimizerRule } from './rule.js';

/**
 * Moves a row limit below row-wise steps (select, withColumns keep one output row per input
 * row), so head() over derived columns computes them for n rows only, and merges stacked
 * limits. A limit over a filter stays: the physical head step applies the filter while reading
 * and stops as soon as it has n rows.
 */
function pushOnce(node: LogicalPlan): LogicalPlan {
  if (!(node instanceof Limit)) return node;
  const { input, n } = node;
  if (input instanceof Limit) return new Limit(input.input, Math.min(n, input.n));
  if (input instanceof Select) return new Select(new Limit(input.input, n), input.exprs);
  if (input instanceof WithColumns) return new WithColumns(new Limit(input.input, n), input.exprs);
  return node;
}

export const limitPushdown: OptimizerRule = {
  name: 'limit-pushdown',
  rewrite: (plan) => transformDown(plan, pushOnce),
};
