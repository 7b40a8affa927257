import { registerOp } from './registry.js';

/**
 * One consumer's partial out of a scan task's partials (one per consumer): the rows of one
 * partition of a frame, for tasks that work partition by partition (joins, writes, …).
 */
export const pickOp = registerOp<{ index: number }, unknown>({
  name: 'pick',
  local: true,
  run: (args, deps) => (deps[0] as unknown[])[args.index],
});
