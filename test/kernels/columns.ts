import type { ColumnBatch, ColumnData } from '../../src/core/column-data.js';
import type { DType } from '../../src/core/dtypes.js';
import type { Scalar } from '../../src/expr/index.js';

/** Test helpers: columns from JS arrays and back (null = missing), in ColumnData's Arrow layout. */

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function validityOf(values: readonly unknown[]): { validity: Uint8Array | null; nullCount: number } {
  const bits = new Uint8Array((values.length + 7) >> 3);
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null) nullCount++;
    else bits[i >> 3]! |= 1 << (i & 7);
  });
  return { validity: nullCount === 0 ? null : bits, nullCount };
}

export function columnOf(dtype: DType, values: readonly Scalar[]): ColumnData {
  const n = values.length;
  const common = { length: n, ...validityOf(values) };
  switch (dtype) {
    case 'float64':
      return { ...common, dtype, values: Float64Array.from(values, (v) => (v === null ? 0 : Number(v))) };
    case 'int32':
      return { ...common, dtype, values: Int32Array.from(values, (v) => (v === null ? 0 : Number(v))) };
    case 'int64':
      return { ...common, dtype, values: BigInt64Array.from(values, (v) => (v === null ? 0n : BigInt(v as bigint))) };
    case 'bool': {
      const bits = new Uint8Array((n + 7) >> 3);
      values.forEach((v, i) => {
        if (v === true) bits[i >> 3]! |= 1 << (i & 7);
      });
      return { ...common, dtype, values: bits };
    }
    case 'string': {
      const offsets = new Int32Array(n + 1);
      const chunks = values.map((v) => encoder.encode(v === null ? '' : String(v)));
      chunks.forEach((c, i) => (offsets[i + 1] = offsets[i]! + c.length));
      const data = new Uint8Array(offsets[n]!);
      chunks.forEach((c, i) => data.set(c, offsets[i]!));
      return { ...common, dtype, offsets, data };
    }
    case 'category': {
      // A dictionary with an unused entry and a non-sorted order, as real ones may have.
      const dictionary = ['(unused)', ...[...new Set(values.filter((v): v is string => v !== null))].reverse()];
      return { ...common, dtype, indices: Int32Array.from(values, (v) => (v === null ? 0 : dictionary.indexOf(v as string))), dictionary };
    }
  }
}

export function batchOf(columns: Record<string, { dtype: DType; values: readonly Scalar[] }>): ColumnBatch {
  const names = Object.keys(columns);
  const cols = names.map((name) => columnOf(columns[name]!.dtype, columns[name]!.values));
  return { length: cols[0]?.length ?? 0, names, columns: cols };
}

/** A column's values as JS values: numbers, bigints (int64), booleans, strings; null where missing. */
export function valuesOf(col: ColumnData): Scalar[] {
  const out: Scalar[] = [];
  for (let i = 0; i < col.length; i++) {
    if (col.validity !== null && (col.validity[i >> 3]! & (1 << (i & 7))) === 0) {
      out.push(null);
      continue;
    }
    switch (col.dtype) {
      case 'bool':
        out.push(((col.values[i >> 3]! >> (i & 7)) & 1) === 1);
        break;
      case 'string':
        out.push(decoder.decode(col.data.subarray(col.offsets[i]!, col.offsets[i + 1]!)));
        break;
      case 'category':
        out.push(col.dictionary[col.indices[i]!]!);
        break;
      default:
        out.push(col.values[i]!);
    }
  }
  return out;
}

/** Equal as a test means it: numbers to a relative 1e-12 (libm differences), NaN equals NaN, ints exactly. */
export function sameValue(a: Scalar, b: Scalar): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'bigint' || typeof b === 'bigint') return typeof a !== 'string' && typeof b !== 'string' && BigInt(a as bigint) === BigInt(b as bigint);
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    if (a === b) return true;
    return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}
