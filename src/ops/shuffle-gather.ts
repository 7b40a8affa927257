import type { ColumnBatch } from '../core/column-data.js';
import type { SpilledBatch } from '../io/spill.js';
import { registerOp } from './registry.js';

type Piece = ColumnBatch | SpilledBatch;

/**
 * The reduce side's input of a shuffle: bucket `bucket` of every map task, in partition order
 * (so rows keep their input order within a bucket). Runs on the calling thread, where the map
 * results are, so each reduce task is sent only its own bucket. Spilled pieces stay in their
 * scratch files: the task that needs them reads them (TaskInvocation.spilled).
 */
export const shuffleGatherOp = registerOp<{ bucket: number }, Piece[]>({
  name: 'shuffle-gather',
  local: true,
  run(args, deps) {
    const pieces = (deps as Piece[][]).map((buckets) => buckets[args.bucket]!);
    const rows = pieces.filter((p) => p.length > 0);
    return rows.length > 0 ? rows : pieces.slice(0, 1);
  },
});
