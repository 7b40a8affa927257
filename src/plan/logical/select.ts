import type { Schema } from '../../core/schema.js';
import { formatNamed, type NamedExpr, resolveNamed } from './named-expr.js';
import { type HashPartitioning, type LogicalPlan, UnaryPlan } from './plan.js';

/** Exactly these output columns, each an expression over the input's columns. */
export class Select extends UnaryPlan {
  readonly schema: Schema;

  constructor(
    readonly input: LogicalPlan,
    readonly exprs: readonly NamedExpr[],
  ) {
    super();
    this.schema = { columns: exprs.map((e) => e.name), dtypes: resolveNamed(exprs, input.schema, 'select') };
  }

  protected withInput(input: LogicalPlan): LogicalPlan {
    return new Select(input, this.exprs);
  }
  /** Kept while every key passes through under its own name. */
  override partitioning(): HashPartitioning | null {
    const below = this.input.partitioning();
    const passed = (key: string): boolean => this.exprs.some((e) => e.name === key && e.expr.kind === 'col' && e.expr.name === key);
    return below !== null && below.keys.every(passed) ? below : null;
  }
  describe(): string {
    return `Select ${formatNamed(this.exprs)}`;
  }
}
