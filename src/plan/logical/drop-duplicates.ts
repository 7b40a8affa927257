import { DuskSchemaError } from '../../core/errors.js';
import type { Schema } from '../../core/schema.js';
import { unknownColumnError } from '../../core/unknown-column.js';
import { type HashPartitioning, type LogicalPlan, UnaryPlan } from './plan.js';

/** Which row of a set of duplicates stays: the first or the last in input order. */
export type DuplicateKeep = 'first' | 'last';

/**
 * One row per distinct value of `subset` (nulls equal to nulls, NaN to NaN): the first or last
 * occurrence in input order. The rows are spread over as many partitions as the input has, by
 * the hash of the subset; within a partition they keep their input order.
 */
export class DropDuplicates extends UnaryPlan {
  readonly schema: Schema;

  constructor(
    readonly input: LogicalPlan,
    readonly subset: readonly string[],
    readonly keep: DuplicateKeep,
  ) {
    super();
    if (subset.length === 0) throw new DuskSchemaError('dropDuplicates needs at least one column to compare');
    for (const c of subset) if (!input.schema.columns.includes(c)) throw unknownColumnError(c, input.schema.columns, ' in dropDuplicates');
    this.schema = input.schema;
  }

  protected withInput(input: LogicalPlan): LogicalPlan {
    return new DropDuplicates(input, this.subset, this.keep);
  }
  override childColumnsRequired(required: ReadonlySet<string> | null): (ReadonlySet<string> | null)[] {
    return [required === null ? null : new Set([...required, ...this.subset])];
  }
  override partitioning(): HashPartitioning {
    return { keys: this.subset, count: this.input.partitionCount() };
  }
  describe(): string {
    return `DropDuplicates on [${this.subset.join(', ')}] keep ${this.keep}`;
  }
}
