import type { ColumnBatch } from '../core/column-data.js';
import { cellValue } from '../core/cell.js';
import { DuskError } from '../core/errors.js';
import { registerOp } from './registry.js';

/** The one value of a one-row, one-column result (a Series reduction as a plain value). */
export const valueOp = registerOp<Record<string, never>, unknown>({
  name: 'value',
  local: true,
  run(_args, deps) {
    const batches = (deps[0] as ColumnBatch[]).filter((b) => b.length > 0);
    const rows = batches.reduce((n, b) => n + b.length, 0);
    if (rows !== 1) throw new DuskError(`a single value needs a one-row result, got ${rows} rows`);
    const column = batches[0]!.columns[0]!;
    const value = cellValue(column, 0);
    // A number of nothing (the median of no values) is NaN, as pandas' Series reductions give.
    return value === null && (column.dtype === 'float64' || column.dtype === 'int32' || column.dtype === 'int64') ? Number.NaN : value;
  },
});
