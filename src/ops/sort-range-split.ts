import type { ColumnBatch } from '../core/column-data.js';
import { concatColumns } from '../kernels/concat.js';
import { keyColumns, keysComparator, type RowOrder } from '../kernels/sort-rows.js';
import { splitRows } from '../kernels/split-rows.js';
import type { SpilledBatch } from '../io/spill.js';
import { registerOp } from './registry.js';
import { spillAbove } from './shuffle-split.js';

export interface SortRangeSplitArgs {
  order: RowOrder;
  ranges: number;
  /** The partition's columns (to name an empty partition's pieces). */
  columns: string[];
  /** Pieces beyond the shuffle's memory budget go to a scratch file (as a hash shuffle's buckets). */
  spill: { dir: string; aboveBytes: number } | null;
}

/**
 * The map side of a partitioned sort: one partition's rows cut into `ranges` pieces by the
 * boundaries (deps[1]): a row goes to the first range whose boundary it does not come after,
 * so equal keys land in the same range from every partition; rows keep their order in a piece.
 */
export const sortRangeSplitOp = registerOp<SortRangeSplitArgs, (ColumnBatch | SpilledBatch)[]>({
  name: 'sort-range-split',
  local: false,
  movable: (pieces) => pieces.filter((p) => !('spilled' in p)),
  run(args, deps, ctx) {
    const batches = (deps[0] as ColumnBatch[]).filter((b) => b.length > 0);
    const boundaries = deps[1] as ColumnBatch;
    const bucketOf = batches.map((batch) => {
      const buckets = new Uint32Array(batch.length);
      if (boundaries.length === 0) return buckets;
      // The keys and the boundaries as one column each, so one comparator orders both (categories share a dictionary).
      const joined = keyColumns(batch, args.order).map((c, k) => concatColumns([c, boundaries.columns[k]!]));
      const compare = keysComparator(joined, args.order);
      const first = batch.length;
      for (let row = 0; row < batch.length; row++) {
        let lo = 0;
        let hi = boundaries.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (compare(first + mid, row) < 0) lo = mid + 1;
          else hi = mid;
        }
        buckets[row] = lo;
      }
      return buckets;
    });
    const pieces = splitRows(batches.length > 0 ? batches : (deps[0] as ColumnBatch[]).slice(0, 1), bucketOf.length > 0 ? bucketOf : [new Uint32Array(0)], args.ranges, args.columns);
    return args.spill ? spillAbove(pieces, args.spill.dir, args.spill.aboveBytes, ctx.metrics) : pieces;
  },
});
