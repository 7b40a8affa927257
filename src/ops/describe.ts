import type { ColumnBatch } from '../core/column-data.js';
import { cellValue } from '../core/cell.js';
import { registerOp } from './registry.js';

export interface DescribeArgs {
  statistics: string[];
  columns: string[];
}

/** Turns describe()'s one row of `<statistic>\0<column>` values into one row per statistic. */
export const describeOp = registerOp<DescribeArgs, ColumnBatch[]>({
  name: 'describe',
  local: true,
  run({ statistics, columns }, deps) {
    const batch = (deps[0] as ColumnBatch[]).find((b) => b.length > 0)!;
    const value = (s: string, c: string): number => {
      const v = cellValue(batch.columns[batch.names.indexOf(`${s}\u0000${c}`)]!, 0);
      return v === null ? Number.NaN : Number(v);
    };
    const encoder = new TextEncoder();
    const encoded = statistics.map((s) => encoder.encode(s));
    const offsets = new Int32Array(statistics.length + 1);
    encoded.forEach((e, i) => (offsets[i + 1] = offsets[i]! + e.length));
    const data = new Uint8Array(offsets[statistics.length]!);
    encoded.forEach((e, i) => data.set(e, offsets[i]!));
    const n = statistics.length;
    return [
      {
        length: n,
        names: ['statistic', ...columns],
        columns: [
          { dtype: 'string', length: n, nullCount: 0, validity: null, offsets, data },
          ...columns.map((c) => ({ dtype: 'float64' as const, length: n, nullCount: 0, validity: null, values: Float64Array.from(statistics, (s) => value(s, c)) })),
        ],
      },
    ];
  },
});
