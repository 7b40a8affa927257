import { inspect } from 'node:util';
import type { DType } from '../core/dtypes.js';
import { col, type Expr, len } from '../expr/index.js';
import { DataFrame } from './data-frame.js';
import { Aggregate, type LogicalPlan, Select, Sort, Value } from '../plan/logical/index.js';
import { LazyTable } from './lazy-table.js';
import { Scalar } from './scalar.js';

/** One column of a DataFrame, lazily. Reductions skip missing values, as pandas does. */
export class Series {
  constructor(
    readonly name: string,
    readonly dtype: DType,
    /** The plan of the frame this column belongs to (internal). */
    readonly frame: LogicalPlan,
  ) {}

  /** The column as an expression, for filters and derived columns. */
  get expr(): Expr {
    return col(this.name);
  }

  private reduce(agg: Expr): Scalar {
    return new Scalar(new Value(new Aggregate(this.frame, [], [{ name: this.name, expr: agg.node }])));
  }

  min(): Scalar {
    return this.reduce(this.expr.min());
  }
  max(): Scalar {
    return this.reduce(this.expr.max());
  }
  sum(): Scalar {
    return this.reduce(this.expr.sum());
  }
  /** Non-missing values. */
  count(): Scalar {
    return this.reduce(this.expr.count());
  }
  mean(): Scalar {
    return this.reduce(this.expr.mean());
  }
  /** Sample variance (ddof = 1, as pandas). */
  var(): Scalar {
    return this.reduce(this.expr.var());
  }
  /** Sample standard deviation (ddof = 1, as pandas). */
  std(): Scalar {
    return this.reduce(this.expr.std());
  }
  /** Distinct non-missing values (exact). */
  nunique(): Scalar {
    return this.reduce(this.expr.nunique());
  }
  median(): Scalar {
    return this.reduce(this.expr.median());
  }
  /** The q-quantile (0 ≤ q ≤ 1), exact, with linear interpolation as pandas. */
  quantile(q: number): Scalar {
    return this.reduce(this.expr.quantile(q));
  }

  /** Each distinct value with how often it occurs: by count, descending, then by value. Nulls are not counted. */
  valueCounts(): DataFrame {
    const counts = new Aggregate(this.frame, [this.name], [{ name: 'count', expr: len().node }], { sort: false, dropna: true });
    return new DataFrame(new Sort(counts, [{ column: 'count', descending: true }, { column: this.name, descending: false }]));
  }

  /** The column as a one-column Arrow table. */
  toArrow(): LazyTable {
    return new LazyTable(new Select(this.frame, [{ name: this.name, expr: this.expr.node }]));
  }

  /** What the column is, without computing it. */
  toString(): string {
    const n = new DataFrame(this.frame).npartitions;
    return `Dusk Series '${this.name}' (lazy: ${this.dtype}, ${n} partition${n === 1 ? '' : 's'}; await s.toArrow() to see values)`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
