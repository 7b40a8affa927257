import { exprKey, type ExprNode, simplify } from '../../expr/index.js';
import { Aggregate, Filter, type LogicalPlan, Select, transformUp, WithColumns } from '../logical/index.js';
import type { NamedExpr } from '../logical/named-expr.js';
import type { OptimizerRule } from './rule.js';

/** The simplified expression, or the same object when simplifying changes nothing. */
function folded(expr: ExprNode): ExprNode {
  const out = simplify(expr);
  return exprKey(out) === exprKey(expr) ? expr : out;
}

function foldAll(exprs: readonly NamedExpr[]): readonly NamedExpr[] {
  const out = exprs.map((e) => ({ name: e.name, expr: folded(e.expr) }));
  return out.every((e, i) => e.expr === exprs[i]!.expr) ? exprs : out;
}

/**
 * Evaluates what only depends on literals once, at plan time, and simplifies boolean logic
 * (x and true → x, not not x → x, …): a filter that is always true disappears.
 */
function foldNode(node: LogicalPlan): LogicalPlan {
  if (node instanceof Filter) {
    const predicate = folded(node.predicate);
    if (predicate.kind === 'lit' && predicate.value === true) return node.input;
    return predicate === node.predicate ? node : new Filter(node.input, predicate);
  }
  if (node instanceof Select || node instanceof WithColumns) {
    const exprs = foldAll(node.exprs);
    if (exprs === node.exprs) return node;
    return node instanceof Select ? new Select(node.input, exprs) : new WithColumns(node.input, exprs);
  }
  if (node instanceof Aggregate) {
    const aggs = foldAll(node.aggs);
    return aggs === node.aggs ? node : new Aggregate(node.input, node.keys, aggs, node.options);
  }
  return node;
}

export const constantFolding: OptimizerRule = {
  name: 'constant-folding',
  rewrite: (plan) => transformUp(plan, foldNode),
};
