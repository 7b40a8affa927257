import type { ColumnBatch } from '../core/column-data.js';
import { DuskError } from '../core/errors.js';
import { finalizeGrouped, groupOrder } from '../aggregates/grouped.js';
import { type AggregatePartial, isDeferred, isLaned, type LaneResult } from '../aggregates/lanes.js';
import { Consumer, type ConsumerSpec } from '../kernels/consumer.js';
import { registerOp } from './registry.js';

export interface AggregatePartitionArgs {
  /** A pipeline into an aggregate sink (one lane: nothing is cut). */
  consumer: ConsumerSpec;
  /** The partition's index: where its groups were first seen. */
  part: number;
}

/**
 * A group-by over a frame hash-partitioned by (some of) its keys: every group lies in one
 * partition, so each partition's groups are final where they are made. The partition is
 * aggregated and finished on a worker, with where each group was first seen (this partition,
 * group id), for interleave-groups to put every partition's rows into one merge's order.
 */
export const aggregatePartitionOp = registerOp<AggregatePartitionArgs, LaneResult>({
  name: 'aggregate-partition',
  local: false,
  movable: (result) => result,
  run(args, deps) {
    const { sink } = args.consumer;
    if (sink.kind !== 'aggregate') throw new DuskError(`internal: aggregate-partition needs an aggregate sink, not ${sink.kind}`);
    const consumer = new Consumer(args.consumer);
    for (const batch of deps[0] as ColumnBatch[]) consumer.feed(batch);
    const grouped = consumer.seal() as AggregatePartial;
    if (isLaned(grouped) || isDeferred(grouped)) throw new DuskError('internal: aggregate-partition got a partial cut into lanes');
    const options = { sort: sink.sort, dropna: sink.dropna };
    const rows = groupOrder(grouped, options);
    return { batch: finalizeGrouped(grouped, options, rows), input: new Int32Array(rows.length).fill(args.part), group: rows };
  },
});
