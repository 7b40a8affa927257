import { DuskSchemaError } from '../../core/errors.js';
import type { Schema } from '../../core/schema.js';
import { LogicalPlan } from './plan.js';

/**
 * The rows of several frames, one after the other (their partitions in order). Every input
 * has the same columns with the same dtypes, in the same order (ddf.concat lines them up).
 */
export class Concat extends LogicalPlan {
  readonly schema: Schema;

  constructor(readonly inputs: readonly LogicalPlan[]) {
    super();
    if (inputs.length === 0) throw new DuskSchemaError('concat needs at least one frame');
    const first = inputs[0]!.schema;
    inputs.forEach((input, i) => {
      const { columns, dtypes } = input.schema;
      if (columns.length !== first.columns.length || columns.some((c, j) => c !== first.columns[j])) {
        throw new DuskSchemaError(`concat: frame ${i} has columns [${columns.join(', ')}], but frame 0 has [${first.columns.join(', ')}]`);
      }
      for (const c of columns) {
        if (dtypes[c] !== first.dtypes[c]) throw new DuskSchemaError(`concat: column '${c}' is ${dtypes[c]} in frame ${i} but ${first.dtypes[c]} in frame 0; cast one of them first (col('${c}').cast(...))`);
      }
    });
    this.schema = first;
  }

  children(): LogicalPlan[] {
    return [...this.inputs];
  }
  withChildren(children: LogicalPlan[]): LogicalPlan {
    return children.every((c, i) => c === this.inputs[i]) ? this : new Concat(children);
  }
  override childColumnsRequired(required: ReadonlySet<string> | null): (ReadonlySet<string> | null)[] {
    return this.inputs.map(() => required);
  }
  override partitionCount(): number {
    return this.inputs.reduce((n, input) => n + input.partitionCount(), 0);
  }
  describe(): string {
    return `Concat ${this.inputs.length} frames`;
  }
}
