import type { Table } from 'apache-arrow';
import type { ColumnBatch } from '../core/column-data.js';
import { batchesToTable, loadArrow } from '../core/to-arrow.js';
import type { LogicalPlan } from '../plan/logical/index.js';
import { Lazy } from './lazy.js';

/** A lazy Arrow table: the rows of a frame (toArrow, head, an aggregation's result). */
export class LazyTable extends Lazy<Table> {
  constructor(readonly plan: LogicalPlan) {
    super();
  }
  /** apache-arrow is loaded only when a table is asked for, while the graph runs. */
  override prepare(): Promise<unknown> {
    return loadArrow();
  }
  finish(raw: unknown): Table {
    const { columns, dtypes } = this.plan.schema;
    return batchesToTable(raw as ColumnBatch[], columns, dtypes);
  }
}
