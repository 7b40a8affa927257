import { columnsUsed } from '../../expr/index.js';
import type { ExprNode } from '../../expr/ir.js';
import { bothTrue, colExpr, replaceColumns } from '../expr-rewrite.js';
import { Aggregate, Concat, Filter, Join, Shuffle, type LogicalPlan, Select, transformDown, WithColumns } from '../logical/index.js';
import type { OptimizerRule } from './rule.js';

/**
 * Moves filters towards the scan, so rows are dropped before derived columns are computed for
 * them, and merges stacked filters into one predicate (one pass of the fused kernel):
 *  - a filter over withColumns that uses none of the derived columns goes below it;
 *  - a filter over a select whose columns it uses are passed through unchanged goes below it;
 *  - a filter on group keys only goes below the aggregate (it drops whole groups);
 *  - a filter over a concat filters each input; a filter goes below a shuffle (fewer rows to move);
 *  - a filter over a join that uses only one side's columns filters that side first, when the
 *    join drops that side's unmatched rows (left columns: inner/left/semi/anti; right: inner/right);
 *  - filter(filter(x, a), b) becomes filter(x, a and b).
 */
function pushOnce(node: LogicalPlan): LogicalPlan {
  if (!(node instanceof Filter)) return node;
  const { input, predicate } = node;
  const used = columnsUsed(predicate);
  if (input instanceof Filter) return new Filter(input.input, bothTrue(input.predicate, predicate));
  if (input instanceof WithColumns) {
    const derived = new Set(input.exprs.map((e) => e.name));
    if (used.every((c) => !derived.has(c))) return new WithColumns(new Filter(input.input, predicate), input.exprs);
  }
  if (input instanceof Select) {
    const passed = new Set(input.exprs.filter((e) => e.expr.kind === 'col' && e.expr.name === e.name).map((e) => e.name));
    if (used.every((c) => passed.has(c))) return new Select(new Filter(input.input, predicate), input.exprs);
  }
  if (input instanceof Aggregate && used.every((c) => input.keys.includes(c))) {
    return new Aggregate(new Filter(input.input, predicate), input.keys, input.aggs, input.options);
  }
  if (input instanceof Concat) return new Concat(input.inputs.map((i) => new Filter(i, predicate)));
  if (input instanceof Join) return pushIntoJoin(input, predicate) ?? node;
  if (input instanceof Shuffle) return new Shuffle(new Filter(input.input, predicate), input.keys, input.count);
  return node;
}

/** The parts of `a and b and …` (each must hold for a row to pass). */
function conjuncts(e: ExprNode): ExprNode[] {
  return e.kind === 'call' && e.fn === 'and' ? e.args.flatMap(conjuncts) : [e];
}

/**
 * A filter over a join: each part of the predicate that uses one side's columns only filters
 * that side first, when the join drops that side's unmatched rows (left: inner/left/semi/anti;
 * right, renamed to the right's own names: inner/right); the rest stays above. null: nothing moves.
 */
function pushIntoJoin(join: Join, predicate: ExprNode): LogicalPlan | null {
  const from = new Map(join.outputs.map((o) => [o.name, o]));
  const { how } = join.spec;
  const toLeft: ExprNode[] = [];
  const toRight: ExprNode[] = [];
  const stay: ExprNode[] = [];
  for (const part of conjuncts(predicate)) {
    const sources = columnsUsed(part).map((c) => from.get(c)!);
    if (sources.every((o) => o.right === null) && (how === 'inner' || how === 'left' || how === 'semi' || how === 'anti')) toLeft.push(part);
    else if (sources.every((o) => o.left === null) && (how === 'inner' || how === 'right')) toRight.push(replaceColumns(part, (name) => colExpr(from.get(name)!.right!)));
    else stay.push(part);
  }
  if (toLeft.length === 0 && toRight.length === 0) return null;
  const all = (parts: ExprNode[]): ExprNode => parts.reduce((a, b) => bothTrue(a, b));
  const joined = join.withChildren([toLeft.length > 0 ? new Filter(join.left, all(toLeft)) : join.left, toRight.length > 0 ? new Filter(join.right, all(toRight)) : join.right]);
  return stay.length > 0 ? new Filter(joined, all(stay)) : joined;
}

export const predicatePushdown: OptimizerRule = {
  name: 'predicate-pushdown',
  rewrite: (plan) => transformDown(plan, pushOnce),
};
