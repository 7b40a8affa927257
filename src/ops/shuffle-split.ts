import type { ColumnBatch } from '../core/column-data.js';
import { DuskError } from '../core/errors.js';
import { bucketsOf } from '../kernels/hash-keys.js';
import { splitRows } from '../kernels/split-rows.js';
import type { IoMetrics } from '../io/io-metrics.js';
import { batchBytes, type SpilledBatch, spillBatches } from '../io/spill.js';
import { registerOp } from './registry.js';

/** The buckets as they are, or (the non-empty ones) in a scratch file when they are over budget. */
export function spillAbove(buckets: ColumnBatch[], dir: string, aboveBytes: number, metrics: IoMetrics): (ColumnBatch | SpilledBatch)[] {
  const bytes = buckets.reduce((n, b) => n + batchBytes(b), 0);
  if (bytes <= aboveBytes) return buckets;
  const full = buckets.filter((b) => b.length > 0);
  const spilled = spillBatches(dir, full);
  metrics.bytesSpilled += bytes;
  return buckets.map((b) => (b.length > 0 ? spilled[full.indexOf(b)]! : b));
}

export interface ShuffleSplitArgs {
  /** The key columns whose hash picks a row's bucket. */
  keys: string[];
  buckets: number;
  /** The partition's columns (to name an empty partition's buckets). */
  columns: string[];
  /** Buckets bigger than `aboveBytes` in all are written to a scratch file in `dir` (the shuffle's memory budget). */
  spill: { dir: string; aboveBytes: number } | null;
}

/**
 * The map side of a hash shuffle: one partition's rows cut into `buckets` batches by the hash
 * of their keys (equal keys land in the same bucket, in every partition).
 */
export const shuffleSplitOp = registerOp<ShuffleSplitArgs, (ColumnBatch | SpilledBatch)[]>({
  name: 'shuffle-split',
  local: false,
  movable: (buckets) => buckets.filter((b) => !('spilled' in b)),
  run(args, deps, ctx) {
    const batches = (deps[0] as ColumnBatch[]).filter((b) => b.length > 0);
    const bucketOf = batches.map((batch) => {
      const keys = args.keys.map((k) => {
        const j = batch.names.indexOf(k);
        if (j < 0) throw new DuskError(`internal: shuffle key '${k}' is not among the partition's columns [${batch.names.join(', ')}]`);
        return batch.columns[j]!;
      });
      return bucketsOf(keys, batch.length, args.buckets);
    });
    const buckets = splitRows(batches.length > 0 ? batches : (deps[0] as ColumnBatch[]).slice(0, 1), bucketOf.length > 0 ? bucketOf : [new Uint32Array(0)], args.buckets, args.columns);
    return args.spill ? spillAbove(buckets, args.spill.dir, args.spill.aboveBytes, ctx.metrics) : buckets;
  },
});
