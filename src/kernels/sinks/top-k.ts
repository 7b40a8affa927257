import type { ColumnBatch, ColumnData } from '../../core/column-data.js';
import { concatBatches, keyColumns, type RowOrder, takeBatch, topBatches } from '../sort-rows.js';
import type { Sink } from './sink.js';

export interface TopKSpec {
  kind: 'top-k';
  order: RowOrder;
  n: number;
  /** Leave out rows with a null or NaN key (nlargest/nsmallest, as pandas). */
  dropMissing: boolean;
}

/** Rows kept before they are cut back to the first n (bounds a partition's memory to ~this plus n). */
const COMPACT_ABOVE_ROWS = 1 << 16;

/** Sets missing[row] for each null (or NaN) of the column. */
function markMissing(col: ColumnData, missing: Uint8Array): void {
  const validity = col.validity;
  if (validity !== null) for (let row = 0; row < col.length; row++) if ((validity[row >> 3]! & (1 << (row & 7))) === 0) missing[row] = 1;
  if (col.dtype === 'float64') {
    const values = col.values;
    for (let row = 0; row < col.length; row++) if (values[row] !== values[row]) missing[row] = 1;
  }
}

/** The rows with a value (not null, not NaN) in every key column. */
function withoutMissing(batch: ColumnBatch, order: RowOrder): ColumnBatch {
  const missing = new Uint8Array(batch.length);
  for (const c of keyColumns(batch, order)) markMissing(c, missing);
  const rows = new Int32Array(batch.length);
  let k = 0;
  for (let row = 0; row < batch.length; row++) if (missing[row] === 0) rows[k++] = row;
  return k === batch.length ? batch : takeBatch(batch, rows.subarray(0, k));
}

interface TopKAcc {
  batches: ColumnBatch[];
  rows: number;
}

function cut(spec: TopKSpec, acc: TopKAcc): TopKAcc {
  const kept = topBatches(acc.batches, spec.order, spec.n);
  return { batches: kept, rows: kept.reduce((n, b) => n + b.length, 0) };
}

/**
 * A top-k (sort().head(n), nlargest): per partition, in the scan's own task, the first n rows in
 * the sort order (stable: ties keep their input order), cut back whenever many rows wait; the
 * partials merge in partition order, so the merged first n are the whole input's. Only n rows
 * per partition ever leave the worker.
 */
export const topKSink: Sink<TopKSpec, TopKAcc, ColumnBatch[], ColumnBatch[]> = {
  kind: 'top-k',
  init: () => ({ batches: [], rows: 0 }),
  update(spec, acc, batch) {
    const rows = spec.dropMissing ? withoutMissing(batch, spec.order) : batch;
    if (rows.length === 0 && acc.batches.length > 0) return acc;
    acc.batches.push(rows);
    acc.rows += rows.length;
    return acc.rows > COMPACT_ABOVE_ROWS + spec.n ? cut(spec, acc) : acc;
  },
  seal: (spec, acc) => cut(spec, { batches: acc.batches.length > 0 ? [concatBatches(acc.batches)] : [], rows: acc.rows }).batches,
  merge: (spec, partials) => topBatches(partials.flat(), spec.order, spec.n),
  finish: (_spec, partial) => partial,
};
