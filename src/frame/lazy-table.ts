import type { Table } from 'apache-arrow';
import type { ColumnBatch } from '../core/column-data.js';
import type { DType } from '../core/dtypes.js';
import { batchesToTable } from '../core/to-arrow.js';
import type { PlanNode } from '../plan/nodes.js';
import { Lazy } from './lazy.js';

/** A lazy Arrow table: rows collected from partitions (head, toArrow). */
export class LazyTable extends Lazy<Table> {
  constructor(
    readonly plan: PlanNode,
    readonly names: string[],
    readonly dtypes: Record<string, DType>,
  ) {
    super();
  }
  finish(raw: unknown): Table {
    return batchesToTable(raw as ColumnBatch[], this.names, this.dtypes);
  }
}
