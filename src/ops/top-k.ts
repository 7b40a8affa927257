import type { ColumnBatch, ColumnData } from '../core/column-data.js';
import { concatBatches, keyColumns, type RowOrder, takeBatch, topBatches } from '../kernels/sort-rows.js';
import { registerOp } from './registry.js';

export interface TopKArgs {
  order: RowOrder;
  n: number;
  /** Leave out rows with a null or NaN key (nlargest/nsmallest, as pandas). */
  dropMissing: boolean;
}

function missingAt(col: ColumnData, row: number): boolean {
  if (col.validity !== null && (col.validity[row >> 3]! & (1 << (row & 7))) === 0) return true;
  return col.dtype === 'float64' && Number.isNaN(col.values[row]!);
}

/** The rows with a value (not null, not NaN) in every key column. */
function withoutMissing(batches: readonly ColumnBatch[], order: RowOrder): ColumnBatch[] {
  if (batches.length === 0) return [];
  const all = concatBatches(batches);
  const keys = keyColumns(all, order).filter((c) => c.nullCount > 0 || c.dtype === 'float64');
  if (keys.length === 0) return [all];
  const rows: number[] = [];
  for (let row = 0; row < all.length; row++) if (!keys.some((c) => missingAt(c, row))) rows.push(row);
  return rows.length === all.length ? [all] : [takeBatch(all, Int32Array.from(rows))];
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
