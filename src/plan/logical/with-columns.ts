import type { Schema } from '../../core/schema.js';
import { formatNamed, type NamedExpr, resolveNamed } from './named-expr.js';
import { type HashPartitioning, type LogicalPlan, UnaryPlan } from './plan.js';

/** The input's columns plus derived ones; a derived column with an existing name replaces it in place. */
export class WithColumns extends UnaryPlan {
  readonly schema: Schema;

  constructor(
    readonly input: LogicalPlan,
    readonly exprs: readonly NamedExpr[],
  ) {
    super();
    const added = resolveNamed(exprs, input.schema, 'withColumns');
    const columns = [...input.schema.columns, ...exprs.map((e) => e.name).filter((n) => !input.schema.columns.includes(n))];
    this.schema = { columns, dtypes: { ...input.schema.dtypes, ...added } };
  }

  protected withInput(input: LogicalPlan): LogicalPlan {
    return new WithColumns(input, this.exprs);
  }
  /** Kept unless a key column is replaced. */
  override partitioning(): HashPartitioning | null {
    const below = this.input.partitioning();
    return below !== null && below.keys.every((key) => !this.exprs.some((e) => e.name === key)) ? below : null;
  }
  describe(): string {
    return `WithColumns ${formatNamed(this.exprs)}`;
  }
}
