import type { ColumnBatch } from '../../core/column-data.js';
import type { Schema } from '../../core/schema.js';
import {
  accumulateBatch,
  type AggregateSpec,
  finalizeGrouped,
  type GroupedAccumulator,
  type GroupedPartial,
  mergeGrouped,
  newGroupedAccumulator,
  partialOf,
} from '../../aggregates/grouped.js';
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
}

/** Group-by aggregation: per partition, groups and their states; merged by key in partition order. */
export const aggregateSink: Sink<AggregateSinkSpec, GroupedAccumulator, GroupedPartial, ColumnBatch[]> = {
  kind: 'aggregate',
  init: (spec) => newGroupedAccumulator(spec.keys, spec.aggs, spec.input),
  update(_spec, acc, batch) {
    accumulateBatch(acc, batch);
    return acc;
  },
  seal: (_spec, acc) => partialOf(acc),
  merge: (_spec, partials) => mergeGrouped(partials),
  finish: (spec, partial) => [finalizeGrouped(partial, { sort: spec.sort, dropna: spec.dropna })],
};
