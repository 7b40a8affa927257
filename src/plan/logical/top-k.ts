import type { Schema } from '../../core/schema.js';
import { unknownColumnError } from '../../core/unknown-column.js';
import { type LogicalPlan, UnaryPlan } from './plan.js';
import { describeKeys, type SortKey } from './sort.js';

/**
 * The first n rows of Sort(input, by): each partition keeps its own first n, then those are
 * merged (no full sort). Ties keep input order, as the sort's. With `dropMissing`, rows with a
 * null or NaN key are left out (pandas' nlargest/nsmallest).
 */
export class TopK extends UnaryPlan {
  readonly schema: Schema;

  constructor(
    readonly input: LogicalPlan,
    readonly n: number,
    readonly by: readonly SortKey[],
    readonly nullsFirst = false,
    readonly dropMissing = false,
  ) {
    super();
    for (const { column } of by) if (!input.schema.columns.includes(column)) throw unknownColumnError(column, input.schema.columns, ' in top-k');
    this.schema = input.schema;
  }

  /** One whole result. */
  override partitionCount(): number {
    return 1;
  }
  protected withInput(input: LogicalPlan): LogicalPlan {
    return new TopK(input, this.n, this.by, this.nullsFirst, this.dropMissing);
  }
  override childColumnsRequired(required: ReadonlySet<string> | null): (ReadonlySet<string> | null)[] {
    return [required === null ? null : new Set([...required, ...this.by.map((k) => k.column)])];
  }
  describe(): string {
    return `TopK ${this.n} by ${describeKeys(this.by, this.nullsFirst)}${this.dropMissing ? ' (rows with a missing key dropped)' : ''}`;
  }
}
