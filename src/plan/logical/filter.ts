import { DuskSchemaError } from '../../core/errors.js';
import type { Schema } from '../../core/schema.js';
import { type ExprNode, formatExpr, resolveType } from '../../expr/index.js';
import { type HashPartitioning, type LogicalPlan, UnaryPlan } from './plan.js';

/** Keeps the rows where the predicate is true (null counts as false, as in SQL and pandas' query). */
export class Filter extends UnaryPlan {
  readonly schema: Schema;

  constructor(
    readonly input: LogicalPlan,
    readonly predicate: ExprNode,
  ) {
    super();
    const dtype = resolveType(predicate, input.schema);
    if (dtype !== 'bool') throw new DuskSchemaError(`filter needs a boolean expression, but ${formatExpr(predicate)} is ${dtype}`);
    this.schema = input.schema;
  }

  protected withInput(input: LogicalPlan): LogicalPlan {
    return new Filter(input, this.predicate);
  }
  override partitioning(): HashPartitioning | null {
    return this.input.partitioning();
  }
  describe(): string {
    return `Filter ${formatExpr(this.predicate)}`;
  }
}
