import { registerOp } from './registry.js';

/** The partitions of a frame, each its own list of rows, in order (what persist keeps). */
export const partitionListOp = registerOp<Record<string, never>, unknown[]>({
  name: 'partition-list',
  local: true,
  run: (_args, deps) => deps,
});
