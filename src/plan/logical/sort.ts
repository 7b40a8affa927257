import type { Schema } from '../../core/schema.js';
import { unknownColumnError } from '../../core/unknown-column.js';
import { type LogicalPlan, UnaryPlan } from './plan.js';

export interface SortKey {
  column: string;
  descending: boolean;
}

/** Rows ordered by the keys (stable: equal keys keep their order; nulls last). */
export class Sort extends UnaryPlan {
  readonly schema: Schema;

  constructor(
    readonly input: LogicalPlan,
    readonly by: readonly SortKey[],
  ) {
    super();
    for (const { column } of by) if (!input.schema.columns.includes(column)) throw unknownColumnError(column, input.schema.columns, ' in sort');
    this.schema = input.schema;
  }

  /** One whole result. */
  override partitionCount(): number {
    return 1;
  }
  protected withInput(input: LogicalPlan): LogicalPlan {
    return new Sort(input, this.by);
  }
  describe(): string {
    return `Sort ${this.by.map((k) => `${k.column}${k.descending ? ' desc' : ''}`).join(', ')}`;
  }
}
