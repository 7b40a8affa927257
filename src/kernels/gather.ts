import type { ColumnData } from '../core/column-data.js';

/** The rows `sel[0..m)` of a column, in that order (the kept rows of a filter), as a new column. */
export function gatherColumn(col: ColumnData, sel: Int32Array, m: number): ColumnData {
  const { validity, nullCount } = gatherValidity(col.validity, sel, m);
  const common = { length: m, nullCount, validity };
  switch (col.dtype) {
    case 'float64':
      return { ...common, dtype: 'float64', values: gatherValues(col.values, new Float64Array(m), sel, m) };
    case 'int32':
      return { ...common, dtype: 'int32', values: gatherValues(col.values, new Int32Array(m), sel, m) };
    case 'int64':
      return { ...common, dtype: 'int64', values: gatherValues(col.values, new BigInt64Array(m), sel, m) };
    case 'category':
      return { ...common, dtype: 'category', indices: gatherValues(col.indices, new Int32Array(m), sel, m), dictionary: col.dictionary };
    case 'bool':
      return { ...common, dtype: 'bool', values: gatherBits(col.values, sel, m) ?? new Uint8Array((m + 7) >> 3) };
    case 'string': {
      const offsets = new Int32Array(m + 1);
      let bytes = 0;
      for (let k = 0; k < m; k++) {
        const i = sel[k]!;
        bytes += col.offsets[i + 1]! - col.offsets[i]!;
        offsets[k + 1] = bytes;
      }
      const data = new Uint8Array(bytes);
      const source = col.data;
      for (let k = 0; k < m; k++) {
        const i = sel[k]!;
        const start = col.offsets[i]!;
        const end = col.offsets[i + 1]!;
        let p = offsets[k]!;
        if (end - start > 16) data.set(source.subarray(start, end), p);
        else for (let q = start; q < end; q++) data[p++] = source[q]!;
      }
      return { ...common, dtype: 'string', offsets, data };
    }
  }
}

function gatherValues<T extends Float64Array | Int32Array | BigInt64Array>(source: T, target: T, sel: Int32Array, m: number): T {
  for (let k = 0; k < m; k++) target[k] = source[sel[k]!]!;
  return target;
}

function gatherBits(bits: Uint8Array | null, sel: Int32Array, m: number): Uint8Array | null {
  if (bits === null) return null;
  const out = new Uint8Array((m + 7) >> 3);
  for (let k = 0; k < m; k++) {
    const i = sel[k]!;
    if ((bits[i >> 3]! >> (i & 7)) & 1) out[k >> 3]! |= 1 << (k & 7);
  }
  return out;
}

function gatherValidity(validity: Uint8Array | null, sel: Int32Array, m: number): { validity: Uint8Array | null; nullCount: number } {
  const bits = gatherBits(validity, sel, m);
  if (bits === null) return { validity: null, nullCount: 0 };
  let valid = 0;
  for (let k = 0; k < m; k++) valid += (bits[k >> 3]! >> (k & 7)) & 1;
  return valid === m ? { validity: null, nullCount: 0 } : { validity: bits, nullCount: m - valid };
}
