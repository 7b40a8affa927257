import type { ColumnBatch } from '../../core/column-data.js';
import { accumulateStats, type ColumnStats, emptyStats, mergeStats } from '../column-stats.js';
import type { Sink } from './sink.js';

export interface StatsSpec {
  kind: 'stats';
  column: string;
  /** Every user only counts: skip the value loop. */
  countOnly: boolean;
}

/** count/sum/min/max/mean/var of one column: the Series reductions. */
export const statsSink: Sink<StatsSpec, ColumnStats, ColumnStats, ColumnStats> = {
  kind: 'stats',
  init: () => emptyStats(),
  update(spec, partial, batch) {
    const col = batch.columns[batch.names.indexOf(spec.column)]!;
    accumulateStats(partial, col, spec.column, spec.countOnly);
    return partial;
  },
  seal: (_spec, acc) => acc,
  merge(_spec, partials) {
    const total = emptyStats();
    for (const p of partials) mergeStats(total, p);
    return total;
  },
  finish: (_spec, partial) => partial,
};
