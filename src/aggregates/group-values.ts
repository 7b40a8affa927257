/**
 * One value per group, of any dtype, for min, max, first and last: typed arrays (numbers) or a
 * byte buffer with a slice per group (strings and categories, kept as UTF-8 bytes so partitions
 * with different category dictionaries merge by value). Plain data for structured clone.
 */
import type { ColumnData } from '../core/column-data.js';
import type { DType } from '../core/dtypes.js';
import { grownFloat64, grownInt32, grownUint8, validityOf } from './aggregate.js';

export interface GroupValues {
  dtype: DType;
  groups: number;
  /** 1 where the group has a value. */
  has: Uint8Array;
  floats: Float64Array;
  /** int32 and bool (0/1) values; int64 as two words per group (memory order). */
  ints: Int32Array;
  /** string/category: group g's value is bytes[start[g] .. start[g] + size[g]). */
  bytes: Uint8Array;
  used: number;
  start: Int32Array;
  size: Int32Array;
}

export function newGroupValues(dtype: DType): GroupValues {
  return { dtype, groups: 0, has: new Uint8Array(0), floats: new Float64Array(0), ints: new Int32Array(0), bytes: new Uint8Array(0), used: 0, start: new Int32Array(0), size: new Int32Array(0) };
}

export function isTextual(dtype: DType): boolean {
  return dtype === 'string' || dtype === 'category';
}

export function resizeGroupValues(gv: GroupValues, groups: number, floatFill = 0): void {
  if (groups <= gv.groups) return;
  gv.has = grownUint8(gv.has, groups);
  switch (gv.dtype) {
    case 'float64':
      gv.floats = grownFloat64(gv.floats, groups, floatFill);
      break;
    case 'int64':
      gv.ints = grownInt32(gv.ints, 2 * groups);
      break;
    case 'string':
    case 'category':
      gv.start = grownInt32(gv.start, groups);
      gv.size = grownInt32(gv.size, groups);
      break;
    default:
      gv.ints = grownInt32(gv.ints, groups);
  }
  gv.groups = groups;
}

/** The UTF-8 bytes of each row of a string or category column: data[offsets[k] .. offsets[k+1]), k = index?.[i] ?? i. */
export interface ByteView {
  data: Uint8Array;
  offsets: Int32Array;
  index: Int32Array | null;
}

const encoder = new TextEncoder();

export function byteView(col: ColumnData): ByteView {
  if (col.dtype === 'string') return { data: col.data, offsets: col.offsets, index: null };
  if (col.dtype !== 'category') throw new Error(`byteView of a ${col.dtype} column`);
  const encoded = col.dictionary.map((s) => encoder.encode(s));
  const offsets = new Int32Array(encoded.length + 1);
  encoded.forEach((b, k) => (offsets[k + 1] = offsets[k]! + b.length));
  const data = new Uint8Array(offsets[encoded.length]!);
  encoded.forEach((b, k) => data.set(b, offsets[k]!));
  return { data, offsets, index: col.indices };
}

/** Sets group g's value to `src[from..to)`, reusing its slice when the new value fits. */
export function setBytes(gv: GroupValues, g: number, src: Uint8Array, from: number, to: number): void {
  const n = to - from;
  if (gv.has[g] !== 0 && n <= gv.size[g]!) {
    gv.bytes.set(src.subarray(from, to), gv.start[g]!);
  } else {
    if (gv.used + n > gv.bytes.length) compact(gv, n);
    gv.bytes.set(src.subarray(from, to), gv.used);
    gv.start[g] = gv.used;
    gv.used += n;
  }
  gv.size[g] = n;
  gv.has[g] = 1;
}

/** Grows the byte buffer, first dropping replaced values when they are most of it. */
function compact(gv: GroupValues, extra: number): void {
  let live = 0;
  for (let g = 0; g < gv.groups; g++) if (gv.has[g] !== 0) live += gv.size[g]!;
  const out = new Uint8Array(Math.max(2 * (live + extra), 1024));
  let at = 0;
  for (let g = 0; g < gv.groups; g++) {
    if (gv.has[g] === 0) continue;
    out.set(gv.bytes.subarray(gv.start[g]!, gv.start[g]! + gv.size[g]!), at);
    gv.start[g] = at;
    at += gv.size[g]!;
  }
  gv.bytes = out;
  gv.used = at;
}

/** Copies group fg of `from` into group ig of `into` (same dtype). */
export function copyGroupValue(into: GroupValues, ig: number, from: GroupValues, fg: number): void {
  switch (into.dtype) {
    case 'float64':
      into.floats[ig] = from.floats[fg]!;
      break;
    case 'int64':
      into.ints[2 * ig] = from.ints[2 * fg]!;
      into.ints[2 * ig + 1] = from.ints[2 * fg + 1]!;
      break;
    case 'string':
    case 'category':
      setBytes(into, ig, from.bytes, from.start[fg]!, from.start[fg]! + from.size[fg]!);
      break;
    default:
      into.ints[ig] = from.ints[fg]!;
  }
  into.has[ig] = 1;
}

/** One value per group, null where a group has none; categories come out as categories. */
export function groupValuesColumn(gv: GroupValues): ColumnData {
  const n = gv.groups;
  const { validity, nullCount } = validityOf(gv.has, n);
  switch (gv.dtype) {
    case 'float64':
      return { dtype: 'float64', length: n, nullCount, validity, values: gv.floats.slice(0, n) };
    case 'int32':
      return { dtype: 'int32', length: n, nullCount, validity, values: gv.ints.slice(0, n) };
    case 'int64':
      return { dtype: 'int64', length: n, nullCount, validity, values: new BigInt64Array(gv.ints.slice(0, 2 * n).buffer) };
    case 'bool': {
      const values = new Uint8Array((n + 7) >> 3);
      for (let g = 0; g < n; g++) if (gv.ints[g] === 1) values[g >> 3]! |= 1 << (g & 7);
      return { dtype: 'bool', length: n, nullCount, validity, values };
    }
    case 'string':
    case 'category': {
      const offsets = new Int32Array(n + 1);
      for (let g = 0; g < n; g++) offsets[g + 1] = offsets[g]! + (gv.has[g] !== 0 ? gv.size[g]! : 0);
      const data = new Uint8Array(offsets[n]!);
      for (let g = 0; g < n; g++) if (gv.has[g] !== 0) data.set(gv.bytes.subarray(gv.start[g]!, gv.start[g]! + gv.size[g]!), offsets[g]!);
      if (gv.dtype === 'string') return { dtype: 'string', length: n, nullCount, validity, offsets, data };
      return categoryFromBytes(data, offsets, validity, nullCount, n);
    }
  }
}

/** A category column from per-row UTF-8 values: the dictionary holds each distinct value once. */
export function categoryFromBytes(data: Uint8Array, offsets: Int32Array, validity: Uint8Array | null, nullCount: number, n: number): ColumnData {
  const decoder = new TextDecoder();
  const entries = new Map<string, number>();
  const indices = new Int32Array(n);
  for (let g = 0; g < n; g++) {
    if (validity !== null && (validity[g >> 3]! & (1 << (g & 7))) === 0) continue;
    const value = decoder.decode(data.subarray(offsets[g]!, offsets[g + 1]!));
    let e = entries.get(value);
    if (e === undefined) entries.set(value, (e = entries.size));
    indices[g] = e;
  }
  return { dtype: 'category', length: n, nullCount, validity, indices, dictionary: [...entries.keys()] };
}
