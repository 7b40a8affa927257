import type { ColumnBatch } from '../core/column-data.js';
import { firstRows } from '../kernels/first-rows.js';
import { registerOp } from './registry.js';

/** The first n rows of another task's rows (head() of an aggregated or sorted result). */
export const limitOp = registerOp<{ n: number }, ColumnBatch[]>({
  name: 'limit',
  local: true,
  run: (args, deps) => firstRows(deps[0] as ColumnBatch[], args.n),
});
