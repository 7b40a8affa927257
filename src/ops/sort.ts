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
  // Several inputs (the groups of each bucket of a groupBy().apply) are sorted as one.
  run: (args, deps) => sortBatches((deps as ColumnBatch[][]).flat(), args.order),
});
