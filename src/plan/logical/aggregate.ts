import { DuskError, DuskSchemaError } from '../../core/errors.js';
import type { Schema } from '../../core/schema.js';
import { unknownColumnError } from '../../core/unknown-column.js';
import { formatExpr, isAggregate } from '../../expr/index.js';
import { formatNamed, type NamedExpr, resolveNamed } from './named-expr.js';
import { type LogicalPlan, UnaryPlan } from './plan.js';

export interface AggregateOptions {
  /** Output sorted by the keys (pandas' default); false: groups in first-seen order. */
  sort: boolean;
  /** Drop groups whose key is null (pandas' default); false: null is a group of its own. */
  dropna: boolean;
  /**
   * Lanes of the final merge (Dask's split_out): 'auto' (default) uses lanes when the partials
   * show many groups; a number n always merges in n lanes (1: never).
   */
  splitOut?: number | 'auto';
}

const MAX_SPLIT_OUT = 256;

/** Groups by key columns (none: one group of every row) and computes aggregates per group. */
export class Aggregate extends UnaryPlan {
  readonly schema: Schema;

  constructor(
    readonly input: LogicalPlan,
    readonly keys: readonly string[],
    readonly aggs: readonly NamedExpr[],
    readonly options: AggregateOptions = { sort: true, dropna: true },
  ) {
    super();
    const { splitOut = 'auto' } = options;
    if (splitOut !== 'auto' && !(Number.isInteger(splitOut) && splitOut >= 1 && splitOut <= MAX_SPLIT_OUT)) {
      throw new DuskError(`groupBy: splitOut must be 'auto' or a whole number of lanes from 1 to ${MAX_SPLIT_OUT}, not ${String(splitOut)}`);
    }
    for (const key of keys) if (!input.schema.columns.includes(key)) throw unknownColumnError(key, input.schema.columns, ' in groupBy');
    for (const { name, expr } of aggs) {
      if (!isAggregate(expr)) throw new DuskSchemaError(`agg '${name}': ${formatExpr(expr)} is not an aggregation; use e.g. col('x').mean() or ddf.len()`);
      if (keys.includes(name)) throw new DuskSchemaError(`agg '${name}': the name is already a group key`);
    }
    const dtypes = resolveNamed(aggs, input.schema, 'agg');
    this.schema = { columns: [...keys, ...aggs.map((a) => a.name)], dtypes: { ...Object.fromEntries(keys.map((k) => [k, input.schema.dtypes[k]!])), ...dtypes } };
  }

  /** One whole result. */
  override partitionCount(): number {
    return 1;
  }
  protected withInput(input: LogicalPlan): LogicalPlan {
    return new Aggregate(input, this.keys, this.aggs, this.options);
  }
  describe(): string {
    const { sort, dropna, splitOut = 'auto' } = this.options;
    const by = this.keys.length === 0 ? '' : `by [${this.keys.join(', ')}]${sort ? '' : ' unsorted'}${dropna ? '' : ' keeping null keys'}${splitOut === 'auto' ? '' : ` split_out=${splitOut}`} `;
    return `Aggregate ${by}${formatNamed(this.aggs)}`;
  }
}
