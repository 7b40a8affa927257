import { DuskSchemaError } from '../core/errors.js';
import type { ColumnData } from '../core/column-data.js';

/**
 * Everything the Series reductions need, for one column of one or more partitions.
 * Partitions are reduced independently (chunk), combined in partition order (combine, so the
 * answer does not depend on which worker finished first) and finalized per reduction.
 * Variance uses shifted sums inside a partition and Chan's parallel formula across them.
 */
export interface ColumnStats {
  count: number;
  sum: number;
  min: number;
  max: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  m2: number;
}

export function emptyStats(): ColumnStats {
  return { count: 0, sum: 0, min: Number.NaN, max: Number.NaN, mean: Number.NaN, m2: 0 };
}

/** Numeric view of a column: reads values as doubles (int64 from its two 32-bit words). */
function valueReader(col: ColumnData, name: string): (i: number) => number {
  switch (col.dtype) {
    case 'float64':
    case 'int32': {
      const values = col.values;
      return (i) => values[i]!;
    }
    case 'int64': {
      const words = new Int32Array(col.values.buffer, col.values.byteOffset, col.length * 2);
      return (i) => words[2 * i + 1]! * 4294967296 + (words[2 * i]! >>> 0);
    }
    case 'bool': {
      const bits = col.values;
      return (i) => (bits[i >> 3]! >> (i & 7)) & 1;
    }
    default:
      throw new DuskSchemaError(`column '${name}' is ${col.dtype}: only count() applies to it; min, max, sum, mean, var and std need a numeric column`);
  }
}

/** Reduces one batch of one column into partition-local stats (merged with `into`). */
export function accumulateStats(into: ColumnStats, col: ColumnData, name: string, countOnly: boolean): void {
  if (countOnly) {
    into.count += col.length - col.nullCount;
    return;
  }
  const n = col.length;
  const validity = col.validity;
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let shift = Number.NaN;
  let s1 = 0;
  let s2 = 0;
  if (col.dtype === 'float64' && validity === null) {
    // The hot loop of the signature workload: no nulls, no indirection.
    const values = col.values;
    shift = n > 0 ? values[0]! : 0;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      const d = v - shift;
      s1 += d;
      s2 += d * d;
    }
    count = n;
  } else {
    const read = valueReader(col, name);
    for (let i = 0; i < n; i++) {
      if (validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0) continue;
      const v = read(i);
      if (count === 0) shift = v;
      count++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      const d = v - shift;
      s1 += d;
      s2 += d * d;
    }
  }
  if (count === 0) return;
  const mean = shift + s1 / count;
  const part: ColumnStats = { count, sum, min, max, mean, m2: Math.max(0, s2 - (s1 * s1) / count) };
  mergeStats(into, part);
}

/** Chan et al.'s pairwise update; `into` is always the earlier partition(s). */
export function mergeStats(into: ColumnStats, part: ColumnStats): void {
  if (part.count === 0) return;
  if (into.count === 0) {
    Object.assign(into, part);
    return;
  }
  const n = into.count + part.count;
  const delta = part.mean - into.mean;
  into.m2 = into.m2 + part.m2 + (delta * delta * into.count * part.count) / n;
  into.mean = into.mean + (delta * part.count) / n;
  into.sum += part.sum;
  into.count = n;
  if (part.min < into.min || Number.isNaN(into.min)) into.min = part.min;
  if (part.max > into.max || Number.isNaN(into.max)) into.max = part.max;
}

export type ReduceOp = 'min' | 'max' | 'sum' | 'count' | 'mean' | 'var' | 'std';

export const REDUCE_OPS: readonly ReduceOp[] = ['min', 'max', 'sum', 'count', 'mean', 'var', 'std'];

/** pandas semantics: NaN for min/max/mean of nothing, 0 for sum, ddof=1 for var/std. */
export function finalizeStats(op: ReduceOp, s: ColumnStats, ddof = 1): number {
  switch (op) {
    case 'count':
      return s.count;
    case 'sum':
      return s.sum;
    case 'min':
      return s.count === 0 ? Number.NaN : s.min;
    case 'max':
      return s.count === 0 ? Number.NaN : s.max;
    case 'mean':
      return s.count === 0 ? Number.NaN : s.sum / s.count;
    case 'var':
      return s.count - ddof <= 0 ? Number.NaN : s.m2 / (s.count - ddof);
    case 'std':
      return s.count - ddof <= 0 ? Number.NaN : Math.sqrt(s.m2 / (s.count - ddof));
  }
}
