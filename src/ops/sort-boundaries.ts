import type { ColumnBatch } from '../core/column-data.js';
import { concatBatches, keyColumns, type RowOrder, sortedRows, takeBatch } from '../kernels/sort-rows.js';
import type { KeySample } from './sort-sample.js';
import { registerOp } from './registry.js';

/**
 * The range boundaries of a partitioned sort, from every partition's key sample: the samples
 * are sorted and cut at equal shares of the rows they stand for (a sample of a big partition
 * weighs more), giving ranges − 1 boundary keys in sort order. Range r then holds the rows
 * after boundary r − 1 up to and including boundary r, so equal keys share a range. Small
 * (the samples only): runs on the calling thread.
 */
export const sortBoundariesOp = registerOp<{ order: RowOrder; ranges: number }, ColumnBatch>({
  name: 'sort-boundaries',
  local: true,
  run(args, deps) {
    const samples = (deps as KeySample[]).filter((s) => s.keys.length > 0);
    const names = args.order.keys.map((k) => k.column);
    if (samples.length === 0) return { length: 0, names, columns: [] };
    const keys = concatBatches(samples.map((s) => s.keys));
    const weights = new Float64Array(keys.length);
    let at = 0;
    for (const s of samples) {
      weights.fill(s.length / s.keys.length, at, at + s.keys.length);
      at += s.keys.length;
    }
    const order = sortedRows(keyColumns(keys, args.order), args.order, keys.length);
    const total = weights.reduce((a, b) => a + b, 0);
    const picks = new Int32Array(args.ranges - 1);
    let seen = 0;
    let next = 0;
    for (let i = 0; i < order.length && next < picks.length; i++) {
      seen += weights[order[i]!]!;
      while (next < picks.length && seen >= ((next + 1) * total) / args.ranges) picks[next++] = order[i]!;
    }
    while (next < picks.length) picks[next++] = order[order.length - 1]!;
    return takeBatch(keys, picks);
  },
});
