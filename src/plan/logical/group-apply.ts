import { DuskSchemaError } from '../../core/errors.js';
import { type Schema, schemaOf } from '../../core/schema.js';
import { unknownColumnError } from '../../core/unknown-column.js';
import type { FunctionRef } from '../../kernels/function-ref.js';
import type { SharedPayload } from '../../kernels/shared-store.js';
import { type HashPartitioning, type LogicalPlan, UnaryPlan } from './plan.js';

/**
 * A user function applied to each group of rows as an Arrow table (pandas' groupby().apply), on
 * the workers: the rows are hash-shuffled by the keys so each group is whole in one partition.
 * The result has the key columns first, then `returns` (what the function promises). Sorted
 * (the default, as groupBy): one partition, groups in key order. Unsorted: the shuffle's
 * partitions, each's groups in first-seen order. Like MapPartitions, the optimizer cannot see
 * inside the function, so the input keeps every column.
 */
export class GroupApply extends UnaryPlan {
  readonly schema: Schema;

  constructor(
    readonly input: LogicalPlan,
    readonly keys: readonly string[],
    readonly name: string,
    readonly fn: FunctionRef,
    /** The columns the function promises, without the keys. */
    readonly returns: Schema,
    readonly sort: boolean,
    readonly dropna: boolean,
    /** Set for an impure function (pure: false): keeps two equal calls from merging. */
    readonly nonce: string | null,
    /** Values every worker must hold first (the function's explicit globals), by key. */
    readonly shared: readonly [string, SharedPayload][],
  ) {
    super();
    if (keys.length === 0) throw new DuskSchemaError('groupBy().apply needs at least one key column');
    for (const k of keys) if (!input.schema.columns.includes(k)) throw unknownColumnError(k, input.schema.columns, ' in groupBy().apply');
    const clash = returns.columns.find((c) => keys.includes(c));
    if (clash !== undefined) throw new DuskSchemaError(`groupBy().apply: the schema names '${clash}', a key column; the keys come first in the result by themselves, leave them out of the schema`);
    const columns = [...keys, ...returns.columns];
    this.schema = schemaOf(columns, Object.fromEntries(columns.map((c) => [c, keys.includes(c) ? input.schema.dtypes[c]! : returns.dtypes[c]!])));
  }

  protected withInput(input: LogicalPlan): LogicalPlan {
    return new GroupApply(input, this.keys, this.name, this.fn, this.returns, this.sort, this.dropna, this.nonce, this.shared);
  }
  override partitionCount(): number {
    return this.sort ? 1 : this.input.partitionCount();
  }
  override partitioning(): HashPartitioning | null {
    return this.sort ? null : { keys: this.keys, count: this.input.partitionCount() };
  }
  describe(): string {
    const returns = this.returns.columns.map((c) => `${c}: ${this.returns.dtypes[c]}`).join(', ');
    return `GroupApply ${this.name} by [${this.keys.join(', ')}] → [${returns}]${this.sort ? '' : ' unsorted'}${this.dropna ? '' : ' with null keys'}${this.nonce ? ' impure' : ''}`;
  }
}
