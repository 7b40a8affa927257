import type { CsvSource } from '../sources/csv/csv-source.js';
import type { DType } from '../core/dtypes.js';
import { unknownColumnError } from '../core/unknown-column.js';
import type { PlanNode } from '../plan/nodes.js';
import { LazyTable } from './lazy-table.js';
import { Series } from './series.js';

/** A lazy, partitioned table. Nothing is read until a result is awaited or computed. */
export class DataFrame {
  /** The plan producing this frame (internal). */
  readonly plan: PlanNode;

  constructor(
    private readonly source: CsvSource,
    readonly columns: string[] = source.columns,
  ) {
    this.plan = columns === source.columns ? { kind: 'scan', source, columns: null } : { kind: 'project', input: { kind: 'scan', source, columns: null }, columns };
  }

  get dtypes(): Record<string, DType> {
    return Object.fromEntries(this.columns.map((c) => [c, this.source.dtypes[c]!]));
  }

  get npartitions(): number {
    return this.source.partitions.length;
  }

  private check(name: string): void {
    if (!this.columns.includes(name)) throw unknownColumnError(name, this.columns);
  }

  col(name: string): Series {
    this.check(name);
    return new Series(name, this.source.dtypes[name]!, { kind: 'project', input: { kind: 'scan', source: this.source, columns: null }, columns: [name] });
  }

  /** A frame of some columns (only those are parsed when it is computed). */
  select(columns: string[]): DataFrame {
    columns.forEach((c) => this.check(c));
    return new DataFrame(this.source, [...columns]);
  }

  /** The first n rows as an Arrow table; reads only as far as it needs. */
  head(n = 5): LazyTable {
    return new LazyTable({ kind: 'head', input: { kind: 'scan', source: this.source, columns: this.columns }, n }, this.columns, this.dtypes);
  }

  /** Every row as an Arrow table. */
  toArrow(): LazyTable {
    return new LazyTable({ kind: 'collect', input: this.plan }, this.columns, this.dtypes);
  }
}
