import { type ColumnStats, finalizeStats, type ReduceOp } from '../kernels/column-stats.js';
import { registerOp } from './registry.js';

/** One number from a column's statistics (min, max, mean, …). */
/** var and std take `ddof` (default 1); an expression's std(0) must not come out as std(1). */
export const reduceOp = registerOp<{ reduce: ReduceOp; ddof?: number }, number>({
  name: 'reduce',
  local: true,
  run: (args, deps) => finalizeStats(args.reduce, deps[0] as ColumnStats, args.ddof ?? 1),
});
