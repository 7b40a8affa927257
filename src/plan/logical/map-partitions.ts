import type { Schema } from '../../core/schema.js';
import type { FunctionRef } from '../../kernels/function-ref.js';
import type { SharedPayload } from '../../kernels/shared-store.js';
import { type LogicalPlan, UnaryPlan } from './plan.js';

/**
 * A user function applied to each partition as an Arrow table (Dask's map_partitions), on the
 * workers. `schema` is what the function promises to return (checked on each partition); the
 * optimizer cannot see inside the function, so the input keeps every column (the default
 * childColumnsRequired) and no filter or limit moves below it.
 */
export class MapPartitions extends UnaryPlan {
  constructor(
    readonly input: LogicalPlan,
    readonly name: string,
    readonly fn: FunctionRef,
    readonly schema: Schema,
    /** Set for an impure function (pure: false): keeps two equal calls from merging. */
    readonly nonce: string | null,
    /** Values every worker must hold first (the function's explicit globals), by key. */
    readonly shared: readonly [string, SharedPayload][],
  ) {
    super();
  }

  protected withInput(input: LogicalPlan): LogicalPlan {
    return new MapPartitions(input, this.name, this.fn, this.schema, this.nonce, this.shared);
  }
  describe(): string {
    return `MapPartitions ${this.name} → [${this.schema.columns.map((c) => `${c}: ${this.schema.dtypes[c]}`).join(', ')}]${this.nonce ? ' impure' : ''}`;
  }
}
