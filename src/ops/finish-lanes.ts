import type { ColumnBatch } from '../core/column-data.js';
import { type AggregatePartial, interleaveLanes, isDeferred, type LaneResult } from '../aggregates/lanes.js';
import { aggregateSink, type AggregateSinkSpec } from '../kernels/sinks/aggregate.js';
import { registerOp } from './registry.js';

/**
 * A group-by's result from its merged partial, or, when the merge was left to the lanes, from
 * the lanes' rows interleaved into the order one merge gives (deps: the merge, then each lane).
 */
export const finishLanesOp = registerOp<{ sink: AggregateSinkSpec }, ColumnBatch[]>({
  name: 'finish-lanes',
  local: true,
  run(args, deps) {
    const merged = deps[0] as AggregatePartial;
    if (!isDeferred(merged)) return aggregateSink.finish(args.sink, merged);
    return [interleaveLanes(deps.slice(1) as LaneResult[], args.sink.keys.length, args.sink.sort)];
  },
});
