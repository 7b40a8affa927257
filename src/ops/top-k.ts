import type { ColumnBatch, ColumnData } from '../core/column-data.js';
import { concatBatches, keyColumns, type RowOrder, takeBatch, topBatches } from '../kernels/sort-rows.js';
import { registerOp } from './registry.js';

export interface TopKArgs {
  order: RowOrder;
  n: number;
  /** Leave out rows with a null or NaN key (nlargest/nsmallest, as pandas). */
  dropMissing: boolean;
}

/** The rows with a value (not null, not NaN) in every key column. */
function withoutMissing(batches: readonly ColumnBatch[], order: RowOrder): ColumnBatch[] {
  if (batches.length === 0) return [];
  const all = concatBatches(batches);
  const missing = new Uint8Array(all.length);
  for (const c of keyColumns(all, order)) markMissing(c, missing);
  const rows = new Int32Array(all.length);
  let k = 0;
  for (let row = 0; row < all.length; row++) if (missing[row] === 0) rows[k++] = row;
  return k === all.length ? [all] : [takeBatch(all, rows.subarray(0, k))];
}

/** Sets missing[row] for each null (or NaN) of the column. */
function markMissing(col: ColumnData, missing: Uint8Array): void {
  const validity = col.validity;
  if (validity !== null) for (let row = 0; row < col.length; row++) if ((validity[row >> 3]! & (1 << (row & 7))) === 0) missing[row] = 1;
  if (col.dtype === 'float64') {
    const values = col.values;
    for (let row = 0; row < col.length; row++) if (values[row] !== values[row]) missing[row] = 1;
  }
}

/** One partition's first n rows in the sort order (stable), on a worker: a top-k's map side. */
export const topKOp = registerOp<TopKArgs, ColumnBatch[]>({
  name: 'top-k',
  local: false,
  movable: (batches) => batches,
  run(args, deps) {
    const batches = deps[0] as ColumnBatch[];
    return topBatches(args.dropMissing ? withoutMissing(batches, args.order) : batches, args.order, args.n);
  },
});

/**
 * The first n rows of every partition's top n, on the calling thread (at most n rows per
 * partition): the partials come in partition order, so ties keep their input order.
 */
export const topKMergeOp = registerOp<TopKArgs, ColumnBatch[]>({
  name: 'top-k-merge',
  local: true,
  run: (args, deps) => topBatches((deps as ColumnBatch[][]).flat(), args.order, args.n),
});
