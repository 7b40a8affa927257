import { accumulateStats, type ColumnStats, emptyStats, mergeStats } from '../column-stats.js';
import type { Sink } from './sink.js';

export interface StatsSpec {
  kind: 'stats';
  column: string;
  /** Every user only counts: skip the value loop. */
  countOnly: boolean;
  /** Some user needs var or std: keep the exact Σx² too. */
  squares: boolean;
}

/** count/sum/min/max/mean/var of one column: the Series reductions. */
export const statsSink: Sink<StatsSpec, ColumnStats, ColumnStats, ColumnStats> = {
  kind: 'stats',
  init: (spec) => emptyStats(spec.squares),
  update(spec, partial, batch) {
    const col = batch.columns[batch.names.indexOf(spec.column)]!;
    accumulateStats(partial, col, spec.column, spec.countOnly);
    return partial;
  },
  seal: (_spec, acc) => acc,
  merge(spec, partials) {
    const total = emptyStats(spec.squares);
    for (const p of partials) mergeStats(total, p);
    return total;
  },
  finish: (_spec, partial) => partial,
};
