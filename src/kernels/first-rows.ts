import type { ColumnBatch } from '../core/column-data.js';
import { takeRows } from './take.js';

/** The first n rows of batches given in order (the last batch kept is cut). */
export function firstRows(batches: readonly ColumnBatch[], n: number): ColumnBatch[] {
  const out: ColumnBatch[] = [];
  let have = 0;
  for (const b of batches) {
    if (have >= n) break;
    const take = Math.min(b.length, n - have);
    if (take === b.length) out.push(b);
    else {
      const rows = Int32Array.from({ length: take }, (_, i) => i);
      out.push({ length: take, names: b.names, columns: b.columns.map((c) => takeRows(c, rows)) });
    }
    have += take;
  }
  return out;
}
