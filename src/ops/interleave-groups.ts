import type { ColumnBatch } from '../core/column-data.js';
import { interleaveLanes, type LaneResult } from '../aggregates/lanes.js';
import { registerOp } from './registry.js';

/**
 * The finished groups of every partition (aggregate-partition) as one table in the order one
 * merge gives: by key when sorted, else by where each group was first seen (partition, then
 * group id there). Each input is already in that order, so this merges sorted runs.
 */
export const interleaveGroupsOp = registerOp<{ keyCount: number; sort: boolean }, ColumnBatch[]>({
  name: 'interleave-groups',
  local: true,
  run: (args, deps) => [interleaveLanes(deps as LaneResult[], args.keyCount, args.sort)],
});
