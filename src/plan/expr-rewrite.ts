import type { AggNode, ExprNode } from '../expr/ir.js';

/** Expression rewrites the optimizer and the physical planner share (plain IR in, IR out). */

export function colExpr(name: string): ExprNode {
  return { kind: 'col', name };
}

/** a and b (Kleene): both filters must hold. */
export function bothTrue(a: ExprNode, b: ExprNode): ExprNode {
  return { kind: 'call', fn: 'and', args: [a, b] };
}

/** Rebuilds an expression with each column reference replaced by `replace(name)`. */
export function replaceColumns(expr: ExprNode, replace: (name: string) => ExprNode): ExprNode {
  const walk = (e: ExprNode): ExprNode => {
    switch (e.kind) {
      case 'col':
        return replace(e.name);
      case 'lit':
        return e;
      case 'call':
        return { ...e, args: e.args.map(walk) };
      case 'when':
        return { ...e, branches: e.branches.map((b) => ({ when: walk(b.when), then: walk(b.then) })), otherwise: walk(e.otherwise) };
      case 'cast':
      case 'alias':
        return { ...e, arg: walk(e.arg) };
      case 'agg':
        return { ...e, arg: e.arg === null ? null : walk(e.arg) };
    }
  };
  return walk(expr);
}

/** The aggregation an output column computes (through any alias), or null when it is not one. */
export function aggregationOf(expr: ExprNode): AggNode | null {
  if (expr.kind === 'alias') return aggregationOf(expr.arg);
  return expr.kind === 'agg' ? expr : null;
}

