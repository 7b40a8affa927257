import type { ColumnBatch } from '../core/column-data.js';
import { concatBatches, takeBatch } from '../kernels/sort-rows.js';
import { taskGenerator } from '../random/task-streams.js';
import { registerOp } from './registry.js';

export interface SampleArgs {
  frac: number;
  seed: number;
  replace: boolean;
  /** The partition's index: its random stream is (seed, index), whatever runs it. */
  index: number;
}

/** Python's round(): halves to even, as pandas computes a sample's size from frac. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * round(frac × rows) rows of one partition drawn with numpy's Generator.choice on PCG64 seeded
 * with SeedSequence(seed).spawn(…)[index], kept in input order (with replacement a row may
 * come more than once, its copies side by side).
 */
export const sampleOp = registerOp<SampleArgs, ColumnBatch[]>({
  name: 'sample',
  local: false,
  movable: (batches) => batches,
  run(args, deps) {
    const batches = deps[0] as ColumnBatch[];
    if (batches.length === 0) return [];
    const all = concatBatches(batches);
    const size = roundHalfEven(args.frac * all.length);
    if (all.length === 0 || size === 0) return [takeBatch(all, new Int32Array(0))];
    const picked = taskGenerator(args.seed, args.index).choice(all.length, size, args.replace);
    return [takeBatch(all, Int32Array.from(picked).sort())];
  },
});
