import { DuskSchemaError } from '../core/errors.js';
import { isNumericDType, type DType } from '../core/dtypes.js';
import type { ReduceOp } from '../kernels/column-stats.js';
import type { PlanNode } from '../plan/nodes.js';
import { LazyTable } from './lazy-table.js';
import { Scalar } from './scalar.js';

/** One column of a DataFrame, lazily. Reductions skip missing values, as pandas does. */
export class Series {
  constructor(
    readonly name: string,
    readonly dtype: DType,
    /** The plan producing this column (internal). */
    readonly plan: PlanNode,
  ) {}

  private reduce(op: ReduceOp): Scalar {
    if (op !== 'count' && !isNumericDType(this.dtype) && this.dtype !== 'bool') {
      throw new DuskSchemaError(`${op}() needs a numeric column, but '${this.name}' is ${this.dtype}; pass dtype: { ${this.name}: 'float64' } to readCsv if it holds numbers`);
    }
    return new Scalar({ kind: 'reduce', input: this.plan, column: this.name, op });
  }

  min(): Scalar {
    return this.reduce('min');
  }
  max(): Scalar {
    return this.reduce('max');
  }
  sum(): Scalar {
    return this.reduce('sum');
  }
  /** Non-missing values. */
  count(): Scalar {
    return this.reduce('count');
  }
  mean(): Scalar {
    return this.reduce('mean');
  }
  /** Sample variance (ddof = 1, as pandas). */
  var(): Scalar {
    return this.reduce('var');
  }
  /** Sample standard deviation (ddof = 1, as pandas). */
  std(): Scalar {
    return this.reduce('std');
  }
  /** The column as a one-column Arrow table. */
  toArrow(): LazyTable {
    return new LazyTable({ kind: 'collect', input: this.plan }, [this.name], { [this.name]: this.dtype });
  }
}
