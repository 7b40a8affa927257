import type { Schema } from '../../core/schema.js';
import { type LogicalPlan, UnaryPlan } from './plan.js';

/** The first n rows, in partition order. */
export class Limit extends UnaryPlan {
  readonly schema: Schema;

  constructor(
    readonly input: LogicalPlan,
    readonly n: number,
  ) {
    super();
    this.schema = input.schema;
  }

  /** One whole result. */
  override partitionCount(): number {
    return 1;
  }
  protected withInput(input: LogicalPlan): LogicalPlan {
    return new Limit(input, this.n);
  }
  describe(): string {
    return `Limit ${this.n}`;
  }
}
