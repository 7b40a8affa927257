import type { ColumnBatch } from '../core/column-data.js';
import { concatBatches, keyColumns, type RowOrder } from '../kernels/sort-rows.js';
import { takeRows } from '../kernels/take.js';
import { registerOp } from './registry.js';

/** What a partition tells the range planner of a sort: how many rows it has and some of their keys. */
export interface KeySample {
  /** Rows in the partition (each sampled key stands for length / keys.length of them). */
  length: number;
  /** The sampled rows' key columns (named as the keys). */
  keys: ColumnBatch;
}

/**
 * The first step of a partitioned sort: up to `size` rows of one partition's keys, evenly
 * spaced in row order (deterministic, so every schedule cuts the same ranges).
 */
export const sortSampleOp = registerOp<{ order: RowOrder; size: number }, KeySample>({
  name: 'sort-sample',
  local: false,
  run(args, deps) {
    const batches = deps[0] as ColumnBatch[];
    const names = args.order.keys.map((k) => k.column);
    const all = batches.length === 0 ? null : concatBatches(batches);
    if (all === null || all.length === 0) return { length: 0, keys: { length: 0, names, columns: [] } };
    const take = Math.min(all.length, args.size);
    const rows = new Int32Array(take);
    for (let i = 0; i < take; i++) rows[i] = Math.floor(((i + 0.5) * all.length) / take);
    return { length: all.length, keys: { length: take, names, columns: keyColumns(all, args.order).map((c) => takeRows(c, rows)) } };
  },
});
