import type { DType } from '../../core/dtypes.js';
import { DuskSchemaError } from '../../core/errors.js';
import type { Schema } from '../../core/schema.js';
import { col } from '../../expr/index.js';
import { Aggregate } from './aggregate.js';
import type { NamedExpr } from './named-expr.js';
import { type LogicalPlan, UnaryPlan } from './plan.js';

/** The rows of describe(), in order: what each computes from a column. */
export const DESCRIBE_STATISTICS = ['count', 'null_count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max'] as const;

const NUMERIC: readonly DType[] = ['float64', 'int32', 'int64'];

/**
 * Summary statistics of the numeric columns, one row per statistic (pandas' describe, with
 * exact percentiles): a 'statistic' column, then one float64 column per input column.
 */
export class Describe extends UnaryPlan {
  readonly schema: Schema;
  readonly columns: string[];

  constructor(readonly input: LogicalPlan) {
    super();
    this.columns = input.schema.columns.filter((c) => NUMERIC.includes(input.schema.dtypes[c]!));
    if (this.columns.length === 0) throw new DuskSchemaError(`describe() summarizes numeric columns, and there are none (dtypes: ${input.schema.columns.map((c) => `${c}: ${input.schema.dtypes[c]}`).join(', ')})`);
    this.schema = { columns: ['statistic', ...this.columns], dtypes: { statistic: 'string', ...Object.fromEntries(this.columns.map((c) => [c, 'float64' as const])) } };
  }

  /** One aggregation per statistic and column, named `<statistic>\u0000<column>`. */
  aggregate(): Aggregate {
    const aggs: NamedExpr[] = [];
    for (const c of this.columns) {
      const x = col(c);
      const stats = { count: x.count(), null_count: x.isNull().sum(), mean: x.mean(), std: x.std(), min: x.min(), '25%': x.quantile(0.25), '50%': x.quantile(0.5), '75%': x.quantile(0.75), max: x.max() };
      for (const s of DESCRIBE_STATISTICS) aggs.push({ name: `${s}\u0000${c}`, expr: stats[s].node });
    }
    return new Aggregate(this.input, [], aggs);
  }

  /** One whole result. */
  override partitionCount(): number {
    return 1;
  }
  protected withInput(input: LogicalPlan): LogicalPlan {
    return new Describe(input);
  }
  describe(): string {
    return `Describe ${this.columns.join(', ')}`;
  }
}
