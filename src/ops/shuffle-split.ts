import type { ColumnBatch } from '../core/column-data.js';
import { DuskError } from '../core/errors.js';
import { bucketsOf } from '../kernels/hash-keys.js';
import { splitRows } from '../kernels/split-rows.js';
import { registerOp } from './registry.js';

export interface ShuffleSplitArgs {
  /** The key columns whose hash picks a row's bucket. */
  keys: string[];
  buckets: number;
  /** The partition's columns (to name an empty partition's buckets). */
  columns: string[];
}

/**
 * The map side of a hash shuffle: one partition's rows cut into `buckets` batches by the hash
 * of their keys (equal keys land in the same bucket, in every partition).
 */
export const shuffleSplitOp = registerOp<ShuffleSplitArgs, ColumnBatch[]>({
  name: 'shuffle-split',
  local: false,
  movable: (buckets) => buckets,
  run(args, deps) {
    const batches = (deps[0] as ColumnBatch[]).filter((b) => b.length > 0);
    const bucketOf = batches.map((batch) => {
      const keys = args.keys.map((k) => {
        const j = batch.names.indexOf(k);
        if (j < 0) throw new DuskError(`internal: shuffle key '${k}' is not among the partition's columns [${batch.names.join(', ')}]`);
        return batch.columns[j]!;
      });
      return bucketsOf(keys, batch.length, args.buckets);
    });
    return splitRows(batches.length > 0 ? batches : (deps[0] as ColumnBatch[]).slice(0, 1), bucketOf.length > 0 ? bucketOf : [new Uint32Array(0)], args.buckets, args.columns);
  },
});
