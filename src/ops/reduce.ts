import { type ColumnStats, finalizeStats, type ReduceOp } from '../kernels/column-stats.js';
import { registerOp } from './registry.js';

/** One number from a column's statistics (min, max, mean, …). */
export const reduceOp = registerOp<{ reduce: ReduceOp }, number>({
  name: 'reduce',
  local: true,
  run: (args, deps) => finalizeStats(args.reduce, deps[0] as ColumnStats),
});
