import { DuskSchemaError } from '../../core/errors.js';
import type { Schema } from '../../core/schema.js';
import { type LogicalPlan, UnaryPlan } from './plan.js';

/**
 * A random share `frac` of each partition's rows (with or without replacement), in input
 * order. Partition i draws from the stream of (seed, i), so a sample is the same on every
 * schedule (for the same partitioning).
 */
export class Sample extends UnaryPlan {
  readonly schema: Schema;

  constructor(
    readonly input: LogicalPlan,
    readonly frac: number,
    readonly seed: number,
    readonly replace: boolean,
  ) {
    super();
    if (!Number.isFinite(frac) || frac < 0 || (!replace && frac > 1)) {
      throw new DuskSchemaError(`sample: frac must be ${replace ? 'a non-negative number' : 'a number from 0 to 1 (above 1 only with replace: true)'}; got ${String(frac)}`);
    }
    if (!Number.isSafeInteger(seed) || seed < 0) throw new DuskSchemaError(`sample: seed must be a non-negative whole number; got ${String(seed)}`);
    this.schema = input.schema;
  }

  protected withInput(input: LogicalPlan): LogicalPlan {
    return new Sample(input, this.frac, this.seed, this.replace);
  }
  override childColumnsRequired(required: ReadonlySet<string> | null): (ReadonlySet<string> | null)[] {
    return [required];
  }
  describe(): string {
    return `Sample frac ${this.frac}${this.replace ? ' with replacement' : ''} seed ${this.seed}`;
  }
}
