import type { ColumnBatch } from '../../core/column-data.js';
import type { Sink } from './sink.js';

export interface CollectSpec {
  kind: 'collect';
}

/** Keeps the rows: toArrow(), a frame that other tasks read. */
export const collectSink: Sink<CollectSpec, ColumnBatch[], ColumnBatch[], ColumnBatch[]> = {
  kind: 'collect',
  init: () => [],
  update(_spec, partial, batch) {
    if (batch.length > 0 || partial.length === 0) partial.push(batch);
    return partial;
  },
  seal: (_spec, acc) => acc,
  merge: (_spec, partials) => partials.flat(),
  finish: (_spec, partial) => partial,
};
