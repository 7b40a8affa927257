import type { ColumnBatch } from '../../core/column-data.js';
import type { Schema } from '../../core/schema.js';
import {
  accumulateBatch,
  type AggregateSpec,
  finalizeGrouped,
  type GroupedAccumulator,
  newGroupedAccumulator,
  partialOf,
} from '../../aggregates/grouped.js';
import {
  type AggregatePartial,
  interleaveLanes,
  isDeferred,
  isLaned,
  mergeLane,
  mergeOrDefer,
  piecesOfLane,
  splitIntoLanes,
} from '../../aggregates/lanes.js';
import type { Sink } from './sink.js';

export interface AggregateSinkSpec {
  kind: 'aggregate';
  /** Key columns of the pipeline's output (none: one group of every row). */
  keys: string[];
  /** Each output: an aggregate of one pipeline output column. */
  aggs: AggregateSpec[];
  /** The pipeline's output columns and dtypes. */
  input: Schema;
  sort: boolean;
  dropna: boolean;
  /** Lanes of the final merge (split_out); 1: one merge on the calling thread. */
  lanes: number;
  /** A partial with this many groups goes to the lanes (0: every partial does). */
  splitMinGroups: number;
}

/** Group-by aggregation: per partition, groups and their states; merged by key in partition order. */
export const aggregateSink: Sink<AggregateSinkSpec, GroupedAccumulator, AggregatePartial, ColumnBatch[]> = {
  kind: 'aggregate',
  init: (spec) => newGroupedAccumulator(spec.keys, spec.aggs, spec.input),
  update(_spec, acc, batch) {
    accumulateBatch(acc, batch);
    return acc;
  },
  seal(spec, acc) {
    const partial = partialOf(acc);
    // Cut where the partial is made (a worker) when it is large enough for the lanes to merge.
    return spec.lanes > 1 && spec.keys.length > 0 && partial.keys.length >= spec.splitMinGroups ? splitIntoLanes(partial, spec.lanes) : partial;
  },
  merge: (spec, partials) => mergeOrDefer(partials, spec.lanes > 1 && spec.keys.length > 0 ? spec.splitMinGroups : Infinity),
  finish(spec, partial) {
    const options = { sort: spec.sort, dropna: spec.dropna };
    if (!isDeferred(partial) && !isLaned(partial)) return [finalizeGrouped(partial, options)];
    // Lanes merged here, one after another (the graph runs them on workers: see ops/merge-lane).
    const merge = isDeferred(partial) ? partial : { deferred: [partial] };
    const lanes = Array.from({ length: spec.lanes }, (_, lane) => mergeLane(piecesOfLane(merge, lane, spec.lanes), options));
    return [interleaveLanes(lanes, spec.keys.length, spec.sort)];
  },
};
