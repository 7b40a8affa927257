import type { Schema } from '../../core/schema.js';
import { unknownColumnError } from '../../core/unknown-column.js';
import { type LogicalPlan, UnaryPlan } from './plan.js';

export interface SortKey {
  column: string;
  descending: boolean;
}

/** Sort keys for describe(): `a, b desc nulls first`. */
export function describeKeys(by: readonly SortKey[], nullsFirst: boolean): string {
  return `${by.map((k) => `${k.column}${k.descending ? ' desc' : ''}`).join(', ')}${nullsFirst ? ' nulls first' : ''}`;
}

/**
 * Rows ordered by the keys (stable: equal keys keep their input order; nulls last unless
 * `nullsFirst`; NaN after every number). Partitioned by range: partition r holds the r-th
 * range of keys, as many ranges as the input has partitions.
 */
export class Sort extends UnaryPlan {
  readonly schema: Schema;

  constructor(
    readonly input: LogicalPlan,
    readonly by: readonly SortKey[],
    readonly nullsFirst = false,
  ) {
    super();
    for (const { column } of by) if (!input.schema.columns.includes(column)) throw unknownColumnError(column, input.schema.columns, ' in sort');
    this.schema = input.schema;
  }

  protected withInput(input: LogicalPlan): LogicalPlan {
    return new Sort(input, this.by, this.nullsFirst);
  }
  override childColumnsRequired(required: ReadonlySet<string> | null): (ReadonlySet<string> | null)[] {
    return [required === null ? null : new Set([...required, ...this.by.map((k) => k.column)])];
  }
  describe(): string {
    return `Sort ${describeKeys(this.by, this.nullsFirst)}`;
  }
}
