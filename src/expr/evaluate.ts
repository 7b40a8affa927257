import { DuskSchemaError } from '../core/errors.js';
import { castScalar } from './cast.js';
import { convertScalar } from './convert.js';
import type { Scalar } from './ir.js';
import type { TypedExpr } from './resolve.js';

/**
 * The reference evaluator: one row at a time, from each function's `evaluate`. Constant
 * folding uses it, and the kernels use it where a value depends on one dictionary entry.
 * `row` gives a column's value in its type's representation (int64 as bigint, category as
 * its string, null when missing).
 */
export function evaluateRow(t: TypedExpr, row: (column: string) => Scalar): Scalar {
  switch (t.kind) {
    case 'col':
      return row(t.node.name);
    case 'lit':
      return t.value;
    case 'call': {
      const values = t.args.map((a, k) => convertScalar(evaluateRow(a, row), a.type, t.sig.operands[k]!));
      if (t.fn.nulls === 'strict' && values.includes(null)) return null;
      return t.fn.evaluate(values, t.sig, t.params);
    }
    case 'when': {
      for (const b of t.branches) {
        if (evaluateRow(b.when, row) === true) return convertScalar(evaluateRow(b.then, row), b.then.type, t.type);
      }
      return convertScalar(evaluateRow(t.otherwise, row), t.otherwise.type, t.type);
    }
    case 'cast':
      return castScalar(evaluateRow(t.arg, row), t.arg.type, t.type);
    case 'alias':
      return evaluateRow(t.arg, row);
    case 'agg':
      throw new DuskSchemaError(`${t.spec.name}() is an aggregation: it is evaluated by an aggregate operator, not row by row`);
  }
}
