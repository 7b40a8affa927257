import { DuskSchemaError } from '../core/errors.js';
import type { ColumnData } from '../core/column-data.js';
import {
  addExactTotal, addInt64Words, addNumber, addValuesExact, exactMean, exactSquaresScaled, exactSumScaled,
  exactSumValue, exactVariance, type ExactSumState, mergeExactSum, newExactSum, NORMALIZE_EVERY, reserve, specialSum, SQ_BIAS, SUM_BIAS,
} from './exact-sum.js';

/**
 * Everything the Series reductions need, for one column of one or more partitions.
 * Partitions are reduced independently (chunk), combined in partition order (combine) and
 * finalized per reduction. Sum, mean, var and std come from an exact sum of the values and of
 * their squares (exact-sum.ts), rounded once at the end, so they are the same to the bit for
 * every partitioning, scheduler and number of workers. Plain data: it moves between workers by
 * structured clone.
 */
export interface ColumnStats {
  /** Non-null values (NaN counts: it is a value, not a missing one). */
  count: number;
  /** Smallest and largest non-NaN value; NaN while there is none. */
  min: number;
  max: number;
  exact: ExactSumState;
}

/**
 * Empty stats. `squares: false` skips Σx² (var and std then cannot be finalized): a plan that
 * knows no var/std is asked saves most of the exact-sum cost on non-integer data.
 */
export function emptyStats(squares = true): ColumnStats {
  return { count: 0, min: Number.NaN, max: Number.NaN, exact: newExactSum(squares) };
}

/** Integer-valued doubles up to this magnitude have exact squares (≤ 2^52). */
const EXACT_SQUARE_LIMIT = 67108864;
const TWO53 = 9007199254740992;
const POSITIVE_INFINITY = Infinity;
const NEGATIVE_INFINITY = -Infinity;

/** A Float64Array with the column's values (int32 and bool widened; int64 is read elsewhere). */
function asFloat64(col: ColumnData, name: string): Float64Array {
  switch (col.dtype) {
    case 'float64':
      return col.values;
    case 'int32':
      return new Float64Array(col.values);
    case 'bool': {
      const out = new Float64Array(col.length);
      const bits = col.values;
      for (let i = 0; i < col.length; i++) out[i] = (bits[i >> 3]! >> (i & 7)) & 1;
      return out;
    }
    default:
      throw new DuskSchemaError(`column '${name}' is ${col.dtype}: only count() applies to it; min, max, sum, mean, var and std need a numeric column`);
  }
}

/** Reduces one batch of one column into partition-local stats (merged with `into`). */
export function accumulateStats(into: ColumnStats, col: ColumnData, name: string, countOnly: boolean): void {
  if (!warmedUp) {
    warmedUp = true;
    warmUp();
  }
  if (countOnly) {
    into.count += col.length - col.nullCount;
    return;
  }
  if (col.dtype === 'int64') {
    accumulateInt64(into, col.values, col.validity, col.length);
    return;
  }
  if (col.dtype === 'int32') {
    for (let from = 0; from < col.length; from += NORMALIZE_EVERY) {
      accumulateInt32Chunk(into, col, from, Math.min(col.length, from + NORMALIZE_EVERY));
    }
    return;
  }
  const values = asFloat64(col, name);
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let from = 0; from < col.length; from += NORMALIZE_EVERY) {
    accumulateChunk(into, values, words, col.validity, from, Math.min(col.length, from + NORMALIZE_EVERY));
  }
}

/**
 * An int32 chunk: its plain double sums are exact (|x| < 2^31, ≤ 2^19 values) and so are the
 * squares while |x| ≤ 2^26 and Σx² < 2^53; otherwise the chunk goes through the float path.
 */
function accumulateInt32Chunk(into: ColumnStats, col: ColumnData & { dtype: 'int32' }, from: number, to: number): void {
  const values = col.values;
  const validity = col.validity;
  let count = validity === null ? to - from : 0;
  let sum = 0;
  let sumSquares = 0;
  let min = POSITIVE_INFINITY;
  let max = NEGATIVE_INFINITY;
  for (let i = from; i < to; i++) {
    if (validity !== null) {
      if ((validity[i >> 3]! & (1 << (i & 7))) === 0) continue;
      count++;
    }
    const v = values[i]!;
    sum += v;
    sumSquares += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return;
  const exact = into.exact;
  if (exact.sqLimbs !== null && !(min >= -EXACT_SQUARE_LIMIT && max <= EXACT_SQUARE_LIMIT && sumSquares < TWO53)) {
    const wide = new Float64Array(values.subarray(from, to));
    const part = validity === null ? null : bitsFrom(validity, from, to);
    accumulateChunk(into, wide, new Uint32Array(wide.buffer), part, 0, to - from);
    return;
  }
  into.count += count;
  if (!(into.min <= min)) into.min = min;
  if (!(into.max >= max)) into.max = max;
  reserve(exact, to - from);
  addExactTotal(exact.limbs, sum, SUM_BIAS);
  if (exact.sqLimbs !== null) addExactTotal(exact.sqLimbs, sumSquares, SQ_BIAS);
  exact.pending += 1;
}

/** Validity bits [from, to) as a bitmap of their own. */
function bitsFrom(validity: Uint8Array, from: number, to: number): Uint8Array {
  const out = new Uint8Array((to - from + 7) >> 3);
  for (let i = from; i < to; i++) if ((validity[i >> 3]! & (1 << (i & 7))) !== 0) out[(i - from) >> 3]! |= 1 << ((i - from) & 7);
  return out;
}

/**
 * One chunk (≤ NORMALIZE_EVERY values). The common case — integer-valued data of moderate size,
 * like delays in minutes — needs no splitting: its plain double sums are exact, which the loop
 * checks as it goes (integer values, |x| ≤ 2^26, Σx² < 2^53). Otherwise the chunk is added
 * value by value to the superaccumulator.
 */
function accumulateChunk(into: ColumnStats, values: Float64Array, words: Uint32Array, validity: Uint8Array | null, from: number, to: number): void {
  let count = validity === null ? to - from : 0;
  let sum = 0;
  let sumSquares = 0;
  let min = POSITIVE_INFINITY;
  let max = NEGATIVE_INFINITY;
  let integral = true;
  if (validity === null) {
    // The hot loop of the signature workload: no nulls, no indirection.
    for (let i = from; i < to; i++) {
      const v = values[i]!;
      sum += v;
      sumSquares += v * v;
      if (v < min) min = v;
      if (v > max) max = v;
      if ((v | 0) !== v) integral = false;
    }
  } else {
    for (let i = from; i < to; i++) {
      if ((validity[i >> 3]! & (1 << (i & 7))) === 0) continue;
      const v = values[i]!;
      count++;
      sum += v;
      sumSquares += v * v;
      if (v < min) min = v;
      if (v > max) max = v;
      if ((v | 0) !== v) integral = false;
    }
  }
  if (count === 0) return;
  into.count += count;
  // A chunk of only NaN has no min or max (comparisons skip NaN, as before).
  if (min <= max) {
    if (!(into.min <= min)) into.min = min;
    if (!(into.max >= max)) into.max = max;
  }
  const exact = into.exact;
  reserve(exact, to - from);
  if (integral && min >= -EXACT_SQUARE_LIMIT && max <= EXACT_SQUARE_LIMIT && sumSquares < TWO53) {
    addExactTotal(exact.limbs, sum, SUM_BIAS);
    if (exact.sqLimbs !== null) addExactTotal(exact.sqLimbs, sumSquares, SQ_BIAS);
    exact.pending += 1;
  } else {
    addValuesExact(exact, values, words, validity, from, to);
  }
}

function accumulateInt64(into: ColumnStats, values: BigInt64Array, validity: Uint8Array | null, n: number): void {
  const words = new Int32Array(values.buffer, values.byteOffset, n * 2);
  const lowWord = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
  const exact = into.exact;
  for (let i = 0; i < n; i++) {
    if (validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0) continue;
    const hi = words[2 * i + 1 - lowWord]!;
    const lo = words[2 * i + lowWord]! >>> 0;
    // min and max as doubles (rounded beyond 2^53); the sums below are exact.
    const v = hi * 4294967296 + lo;
    into.count++;
    if (!(into.min <= v)) into.min = v;
    if (!(into.max >= v)) into.max = v;
    if (hi >= -2097152 && hi < 2097152) {
      addNumber(exact, v);
    } else {
      reserve(exact, 1);
      exact.pending++;
      addInt64Words(exact.limbs, exact.sqLimbs, hi, lo);
    }
  }
}

/** Combines partition stats; `into` is always the earlier partition(s). */
export function mergeStats(into: ColumnStats, part: ColumnStats): void {
  if (part.count === 0) return;
  into.count += part.count;
  if (!(into.min <= part.min)) into.min = part.min;
  if (!(into.max >= part.max)) into.max = part.max;
  mergeExactSum(into.exact, part.exact);
}

export type ReduceOp = 'min' | 'max' | 'sum' | 'count' | 'mean' | 'var' | 'std';

export const REDUCE_OPS: readonly ReduceOp[] = ['min', 'max', 'sum', 'count', 'mean', 'var', 'std'];

/**
 * pandas semantics for missing values: NaN for min/max/mean of nothing, 0 for sum, ddof=1 for
 * var/std. A NaN value (not a missing one) makes sum, mean, var and std NaN; +∞ and −∞ together
 * make the sum NaN, either alone makes it ±∞ (and var NaN). min and max skip NaN. The sum and
 * mean are the exact sum and exact mean rounded once; var is the exact variance rounded once and
 * std is the square root of that double.
 */
export function finalizeStats(op: ReduceOp, s: ColumnStats, ddof = 1): number {
  switch (op) {
    case 'count':
      return s.count;
    case 'sum':
      return exactSumValue(s.exact);
    case 'min':
      return s.min;
    case 'max':
      return s.max;
    case 'mean': {
      if (s.count === 0) return Number.NaN;
      const special = specialSum(s.exact);
      return special ?? exactMean(s.count, exactSumScaled(s.exact));
    }
    case 'var':
    case 'std': {
      if (s.count - ddof <= 0) return Number.NaN;
      if (specialSum(s.exact) !== null) return Number.NaN;
      if (s.exact.sqLimbs === null) throw new Error(`finalizeStats('${op}'): these stats were made without squares (emptyStats(false))`);
      const variance = exactVariance(s.count, exactSumScaled(s.exact), exactSquaresScaled(s.exact), ddof);
      return op === 'var' ? variance : Math.sqrt(variance);
    }
  }
}

/**
 * Runs every path of accumulateChunk and addValuesExact on tiny inputs (about 10 ms, once per
 * process, at the first accumulateStats) until V8 has compiled them, before their first real call. Otherwise V8 compiles a long loop on stack (OSR) during
 * its first call, with no type feedback for the code after the loop, and reuses that code on
 * later calls: it deoptimized there on every call (measured: the integer path took 2.6× the
 * plain loop's time; after this warm-up, about the same as the plain loop).
 */
const WARM_UP_ROUNDS = 30;
let warmedUp = false;

function warmUp(): void {
  const validity = Uint8Array.from([0b10111011]);
  const samples = [Float64Array.from([1, -2, 3, 4, 0, 5, 6, 7]), Float64Array.from([0.5, -1e-300, 1e300, Number.NaN, Infinity, 3, 2 ** -1070, 1])];
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    const squares = round % 2 === 0;
    const stats = emptyStats(squares);
    for (const values of samples) {
      for (const v of [null, validity, new Uint8Array(1)]) {
        accumulateStats(stats, { dtype: 'float64', length: 8, nullCount: v === null ? 0 : 8, validity: v, values }, '', false);
        accumulateStats(stats, { dtype: 'int32', length: 8, nullCount: v === null ? 0 : 8, validity: v, values: Int32Array.from(values, (x) => (x === x ? x * 1e5 : 0) | 0) }, '', false);
      }
    }
    if (round >= 4) continue;
    const total = emptyStats(squares);
    mergeStats(total, stats);
    for (const op of REDUCE_OPS) if (squares || (op !== 'var' && op !== 'std')) finalizeStats(op, total);
  }
}
