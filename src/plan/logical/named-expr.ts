import type { DType } from '../../core/dtypes.js';
import { DuskSchemaError } from '../../core/errors.js';
import type { Schema } from '../../core/schema.js';
import { type ExprNode, formatExpr, resolveType } from '../../expr/index.js';

/** An output column: its name and the expression computing it. */
export interface NamedExpr {
  name: string;
  expr: ExprNode;
}

/** The dtypes of named expressions over a schema; a name given twice is an error. */
export function resolveNamed(exprs: readonly NamedExpr[], input: Schema, what: string): Record<string, DType> {
  const dtypes: Record<string, DType> = {};
  for (const { name, expr } of exprs) {
    if (name in dtypes) throw new DuskSchemaError(`${what}: the output column '${name}' is given twice`);
    dtypes[name] = resolveType(expr, input);
  }
  return dtypes;
}

export function formatNamed(exprs: readonly NamedExpr[]): string {
  return exprs.map(({ name, expr }) => (expr.kind === 'col' && expr.name === name ? name : `${name}: ${formatExpr(expr)}`)).join(', ');
}
