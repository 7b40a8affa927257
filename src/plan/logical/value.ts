import { DuskSchemaError } from '../../core/errors.js';
import type { Schema } from '../../core/schema.js';
import { type LogicalPlan, UnaryPlan } from './plan.js';

/** The one value of a one-column result that has one row (a Series reduction): a plain number. */
export class Value extends UnaryPlan {
  readonly schema: Schema;

  constructor(readonly input: LogicalPlan) {
    super();
    if (input.schema.columns.length !== 1) throw new DuskSchemaError(`a single value needs a one-column result, not [${input.schema.columns.join(', ')}]`);
    this.schema = input.schema;
  }

  /** One whole result. */
  override partitionCount(): number {
    return 1;
  }
  protected withInput(input: LogicalPlan): LogicalPlan {
    return new Value(input);
  }
  describe(): string {
    return 'Value';
  }
}
