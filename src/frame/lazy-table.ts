import type { Table } from 'apache-arrow';
import type { ColumnBatch } from '../core/column-data.js';
import { batchesToTable } from '../core/to-arrow.js';
import type { LogicalPlan } from '../plan/logical/index.js';
import { Lazy } from './lazy.js';

/** A lazy Arrow table: the rows of a frame (toArrow, head, an aggregation's result). */
export class LazyTable extends Lazy<Table> {
  constructor(readonly plan: LogicalPlan) {
    super();
  }
  finish(raw: unknown): Table {
    const { columns, dtypes } = this.plan.schema;
    return batchesToTable(raw as ColumnBatch[], columns, dtypes);
  }
}
