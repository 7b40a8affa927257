import type { ColumnBatch } from '../core/column-data.js';
import { type RowOrder, sortBatches } from '../kernels/sort-rows.js';
import { registerOp } from './registry.js';

/**
 * Stably sorts one partition's rows (a range of a partitioned sort, or a whole small input such
 * as a group-by's result) on a worker: the batches are joined, then ordered by the keys.
 */
export const sortOp = registerOp<{ order: RowOrder }, ColumnBatch[]>({
  name: 'sort',
  local: false,
  movable: (batches) => batches,
  run: (args, deps) => sortBatches(deps[0] as ColumnBatch[], args.order),
});
