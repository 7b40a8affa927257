import { DuskSchemaError } from '../../core/errors.js';
import type { Schema } from '../../core/schema.js';
import { type LogicalPlan, UnaryPlan } from './plan.js';

/**
 * One partition of a frame, as a frame of one partition (DataFrame.toDelayed): the rows task
 * `index` of the frame's partitions produces, so it shares the scan with everything else in
 * the same compute.
 */
export class Partition extends UnaryPlan {
  readonly schema: Schema;

  constructor(
    readonly input: LogicalPlan,
    readonly index: number,
  ) {
    super();
    const count = input.partitionCount();
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new DuskSchemaError(`partition ${String(index)} does not exist: the frame has ${count} partition${count === 1 ? '' : 's'} (0 to ${count - 1})`);
    this.schema = input.schema;
  }

  protected withInput(input: LogicalPlan): LogicalPlan {
    return new Partition(input, this.index);
  }
  override childColumnsRequired(required: ReadonlySet<string> | null): (ReadonlySet<string> | null)[] {
    return [required];
  }
  override partitionCount(): number {
    return 1;
  }
  describe(): string {
    return `Partition ${this.index + 1} of ${this.input.partitionCount()}`;
  }
}

/**
 * Every partition of a frame, kept apart (DataFrame.persist): its result is one list of rows per
 * partition, in order, not the rows concatenated.
 */
export class PartitionList extends UnaryPlan {
  readonly schema: Schema;

  constructor(readonly input: LogicalPlan) {
    super();
    this.schema = input.schema;
  }

  protected withInput(input: LogicalPlan): LogicalPlan {
    return new PartitionList(input);
  }
  override childColumnsRequired(required: ReadonlySet<string> | null): (ReadonlySet<string> | null)[] {
    return [required];
  }
  describe(): string {
    const n = this.input.partitionCount();
    return `Partitions (${n}) kept apart, to persist`;
  }
}
