import { schemaOf, type Schema } from '../../core/schema.js';
import type { Source } from '../../sources/source.js';
import { LogicalPlan } from './plan.js';

/** Reads a source. `columns` null: every column (projection pushdown narrows it). */
export class Scan extends LogicalPlan {
  readonly schema: Schema;

  constructor(
    readonly source: Source,
    readonly columns: readonly string[] | null = null,
  ) {
    super();
    this.schema = columns === null ? source.schema : schemaOf(columns, source.schema.dtypes, source.schema.numericTextHints);
  }

  children(): LogicalPlan[] {
    return [];
  }
  withChildren(): LogicalPlan {
    return this;
  }
  override partitionCount(): number {
    return this.source.partitions.length;
  }
  withColumns(columns: readonly string[]): Scan {
    return new Scan(this.source, columns);
  }
  describe(): string {
    return `Scan ${this.source.describe()}; columns: ${this.columns === null ? 'all' : this.columns.join(', ')}`;
  }
}
