import type { ColumnBatch } from '../core/column-data.js';
import { concatColumns } from './concat.js';
import { takeRows } from './take.js';

/**
 * Cuts rows into `buckets` batches by each row's bucket (a shuffle's map side): bucket b gets
 * the rows whose `bucketOf` is b, in their order, across the batches given (one batch each).
 * `bucketOf[k]` holds batch k's buckets.
 */
export function splitRows(batches: readonly ColumnBatch[], bucketOf: readonly Uint32Array[], buckets: number, names: readonly string[]): ColumnBatch[] {
  const pieces: ColumnBatch[][] = Array.from({ length: buckets }, () => []);
  batches.forEach((batch, k) => {
    const of = bucketOf[k]!;
    const sizes = new Int32Array(buckets);
    for (let i = 0; i < batch.length; i++) sizes[of[i]!]!++;
    const rows = Array.from(sizes, (size) => new Int32Array(size));
    const fill = new Int32Array(buckets);
    for (let i = 0; i < batch.length; i++) {
      const b = of[i]!;
      rows[b]![fill[b]!++] = i;
    }
    for (let b = 0; b < buckets; b++) {
      if (sizes[b] === 0) continue;
      pieces[b]!.push({ length: sizes[b]!, names: batch.names, columns: batch.columns.map((c) => takeRows(c, rows[b]!)) });
    }
  });
  const template = batches[0];
  return pieces.map((parts) => {
    if (parts.length === 0) return template ? { length: 0, names: template.names, columns: template.columns.map((c) => takeRows(c, new Int32Array(0))) } : { length: 0, names: [...names], columns: [] };
    if (parts.length === 1) return parts[0]!;
    return { length: parts.reduce((n, p) => n + p.length, 0), names: parts[0]!.names, columns: parts[0]!.columns.map((_, j) => concatColumns(parts.map((p) => p.columns[j]!))) };
  });
}
