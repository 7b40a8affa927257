import { DuskSchemaError } from '../../core/errors.js';
import type { Schema } from '../../core/schema.js';
import { unknownColumnError } from '../../core/unknown-column.js';
import { type HashPartitioning, type LogicalPlan, UnaryPlan } from './plan.js';

/**
 * The rows spread over `count` partitions by the hash of `keys` (Dask's shuffle): every row
 * with the same key ends in the same partition; within a partition rows keep their input order.
 */
export class Shuffle extends UnaryPlan {
  readonly schema: Schema;

  constructor(
    readonly input: LogicalPlan,
    readonly keys: readonly string[],
    readonly count: number,
  ) {
    super();
    if (keys.length === 0) throw new DuskSchemaError('shuffle needs at least one key column');
    for (const key of keys) if (!input.schema.columns.includes(key)) throw unknownColumnError(key, input.schema.columns, ' in shuffle');
    if (!Number.isInteger(count) || count < 1) throw new DuskSchemaError(`shuffle: npartitions must be a positive whole number, not ${String(count)}`);
    this.schema = input.schema;
  }

  protected withInput(input: LogicalPlan): LogicalPlan {
    return new Shuffle(input, this.keys, this.count);
  }
  override childColumnsRequired(required: ReadonlySet<string> | null): (ReadonlySet<string> | null)[] {
    return [required === null ? null : new Set([...required, ...this.keys])];
  }
  override partitionCount(): number {
    return this.count;
  }
  override partitioning(): HashPartitioning {
    return { keys: this.keys, count: this.count };
  }
  describe(): string {
    return `Shuffle by hash of [${this.keys.join(', ')}] into ${this.count} partitions`;
  }
}
