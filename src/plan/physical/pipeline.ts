import type { ExprNode } from '../../expr/ir.js';
import { bothTrue, colExpr, replaceColumns } from '../expr-rewrite.js';
import { Filter, type LogicalPlan, Select, WithColumns } from '../logical/index.js';
import type { NamedExpr } from '../logical/named-expr.js';

/**
 * A chain of row-wise steps (filter, select, withColumns) over a base (a scan, an aggregate's
 * result, …) folded into one filter and one list of outputs over the base's columns: what one
 * compiled per-partition kernel computes. Derived columns are substituted into the steps that
 * use them, so the whole chain is one pass over each batch.
 */
export interface FlatPipeline {
  base: LogicalPlan;
  filter: ExprNode | null;
  outputs: NamedExpr[];
}

/** `expr` with each column replaced by its definition in `defs` (columns not in `defs` stay). */
export function substitute(expr: ExprNode, defs: ReadonlyMap<string, ExprNode>): ExprNode {
  return replaceColumns(expr, (name) => defs.get(name) ?? colExpr(name));
}

export function flattenPipeline(node: LogicalPlan): FlatPipeline {
  if (node instanceof Filter || node instanceof Select || node instanceof WithColumns) {
    const below = flattenPipeline(node.input);
    const defs = new Map(below.outputs.map((o) => [o.name, o.expr]));
    if (node instanceof Filter) {
      const predicate = substitute(node.predicate, defs);
      return { ...below, filter: below.filter === null ? predicate : bothTrue(below.filter, predicate) };
    }
    const derived = node.exprs.map((e) => ({ name: e.name, expr: substitute(e.expr, defs) }));
    if (node instanceof Select) return { ...below, outputs: derived };
    const replaced = new Map(derived.map((d) => [d.name, d]));
    const outputs = below.outputs.map((o) => replaced.get(o.name) ?? o);
    for (const d of derived) if (!below.outputs.some((o) => o.name === d.name)) outputs.push(d);
    return { ...below, outputs };
  }
  return { base: node, filter: null, outputs: node.schema.columns.map((c) => ({ name: c, expr: colExpr(c) })) };
}
