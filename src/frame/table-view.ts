import { cellValue } from '../core/cell.js';
import type { ColumnBatch, ColumnData } from '../core/column-data.js';
import type { DType } from '../core/dtypes.js';

/**
 * One value as a plain JS value: null when missing; float64 and int32 as numbers; int64 as a
 * number when it is exact (|v| ≤ 2^53), else a bigint; bool as a boolean; string and category
 * as a string. (Dusk has no timestamp dtype yet.)
 */
export type Cell = number | bigint | boolean | string | null;

/** One row: column name → value, in column order (pandas' `to_dict('records')`). */
export type Row = Record<string, Cell>;

/** Each column as an array of values, in column order (pandas' `to_dict('list')`). */
export type Columns = Record<string, Cell[]>;

/**
 * A computed table's columns read as plain values, straight from the column batches the graph
 * returned (no Arrow needed): what printing and toRecords/toColumns read.
 */
export class TableView {
  /** Row number where each batch starts, plus the total at the end. */
  private readonly starts: number[];
  /** For each column, its data in each batch. */
  private readonly data: ColumnData[][];

  constructor(
    batches: readonly ColumnBatch[],
    readonly names: readonly string[],
    readonly dtypes: Readonly<Record<string, DType>>,
  ) {
    this.starts = [0];
    for (const batch of batches) this.starts.push(this.starts[this.starts.length - 1]! + batch.length);
    this.data = names.map((name) => batches.map((batch) => batch.columns[batch.names.indexOf(name)]!));
  }

  get numRows(): number {
    return this.starts[this.starts.length - 1]!;
  }

  /** The value at (column index, row number). */
  cell(column: number, row: number): Cell {
    let lo = 0;
    let hi = this.starts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    return cellValue(this.data[column]![lo]!, row - this.starts[lo]!);
  }

  /** Every value of one column, in row order. */
  column(column: number): Cell[] {
    const values: Cell[] = [];
    for (const data of this.data[column]!) for (let r = 0; r < data.length; r++) values.push(cellValue(data, r));
    return values;
  }

  toColumns(): Columns {
    // fromEntries: a column named '__proto__' stays a column.
    return Object.fromEntries(this.names.map((name, c) => [name, this.column(c)]));
  }

  toRecords(): Row[] {
    const columns = this.names.map((_, c) => this.column(c));
    const rows: Row[] = [];
    for (let r = 0; r < this.numRows; r++) rows.push(Object.fromEntries(this.names.map((name, c) => [name, columns[c]![r] as Cell])));
    return rows;
  }
}
