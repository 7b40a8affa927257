import { type AggregatePartial, isDeferred, type LanePiece, piecesOfLane } from '../aggregates/lanes.js';
import type { AggregateSinkSpec } from '../kernels/sinks/aggregate.js';
import { registerOp } from './registry.js';

/**
 * Hands one lane its pieces of a group-by's deferred merge (on the caller's thread, so only
 * the lane's share travels to the worker that merges it). Null when the partials were merged
 * already: the lane has nothing to do.
 */
export const pickLaneOp = registerOp<{ sink: AggregateSinkSpec; lane: number }, LanePiece[] | null>({
  name: 'pick-lane',
  local: true,
  run(args, deps) {
    const merged = deps[0] as AggregatePartial;
    return isDeferred(merged) ? piecesOfLane(merged, args.lane, args.sink.lanes) : null;
  },
});
