import { inspect } from 'node:util';
import type { ColumnBatch } from '../core/column-data.js';
import { batchesToTable, loadArrow } from '../core/to-arrow.js';
import type { LogicalPlan } from '../plan/logical/index.js';
import { asResultTable, describeLazy, type ResultTable } from './format-table.js';
import { Lazy } from './lazy.js';
import { type Columns, type Row, TableView } from './table-view.js';

function viewOf(plan: LogicalPlan, raw: unknown): TableView {
  return new TableView(raw as ColumnBatch[], plan.schema.columns, plan.schema.dtypes);
}

/**
 * A lazy Arrow table: the rows of a frame (toArrow, head, an aggregation's result). Awaited,
 * an apache-arrow Table that prints as a table and has toRecords()/toColumns().
 */
export class LazyTable extends Lazy<ResultTable> {
  constructor(readonly plan: LogicalPlan) {
    super();
  }
  /** apache-arrow is loaded only when a table is asked for, while the graph runs. */
  override prepare(): Promise<unknown> {
    return loadArrow();
  }
  finish(raw: unknown): ResultTable {
    const { columns, dtypes } = this.plan.schema;
    return asResultTable(batchesToTable(raw as ColumnBatch[], columns, dtypes), viewOf(this.plan, raw));
  }
  override toString(): string {
    return describeLazy('Dusk LazyTable (lazy: await it for an Arrow table)', this.plan.schema.columns, this.plan.schema.dtypes);
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

/** A frame's rows as plain objects, lazily (DataFrame.toRecords). */
export class LazyRecords extends Lazy<Row[]> {
  constructor(readonly plan: LogicalPlan) {
    super();
  }
  finish(raw: unknown): Row[] {
    return viewOf(this.plan, raw).toRecords();
  }
}

/** A frame's columns as arrays of plain values, lazily (DataFrame.toColumns). */
export class LazyColumns extends Lazy<Columns> {
  constructor(readonly plan: LogicalPlan) {
    super();
  }
  finish(raw: unknown): Columns {
    return viewOf(this.plan, raw).toColumns();
  }
}
