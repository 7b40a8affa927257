import { type LanePiece, type LaneResult, mergeLane } from '../aggregates/lanes.js';
import type { AggregateSinkSpec } from '../kernels/sinks/aggregate.js';
import { registerOp } from './registry.js';

/** Merges and finishes one lane of a group-by with many groups, on a worker (split_out). */
export const mergeLaneOp = registerOp<{ sink: AggregateSinkSpec; lane: number }, LaneResult | null>({
  name: 'merge-lane',
  local: false,
  run(args, deps) {
    const pieces = deps[0] as LanePiece[] | null;
    return pieces === null ? null : mergeLane(pieces, { sort: args.sink.sort, dropna: args.sink.dropna });
  },
});
