import type { ColumnData } from '../core/column-data.js';

/** Rows `indices` of a column, in that order (a gather). */
export function takeRows(col: ColumnData, indices: Int32Array): ColumnData {
  const n = indices.length;
  let validity: Uint8Array | null = null;
  let nullCount = 0;
  if (col.validity !== null) {
    const src = col.validity;
    validity = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) {
      const r = indices[i]!;
      if ((src[r >> 3]! & (1 << (r & 7))) !== 0) validity[i >> 3]! |= 1 << (i & 7);
      else nullCount++;
    }
    if (nullCount === 0) validity = null;
  }
  switch (col.dtype) {
    case 'float64': {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = col.values[indices[i]!]!;
      return { dtype: 'float64', length: n, nullCount, validity, values };
    }
    case 'int32': {
      const values = new Int32Array(n);
      for (let i = 0; i < n; i++) values[i] = col.values[indices[i]!]!;
      return { dtype: 'int32', length: n, nullCount, validity, values };
    }
    case 'int64': {
      const values = new BigInt64Array(n);
      for (let i = 0; i < n; i++) values[i] = col.values[indices[i]!]!;
      return { dtype: 'int64', length: n, nullCount, validity, values };
    }
    case 'bool': {
      const values = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) {
        const r = indices[i]!;
        if ((col.values[r >> 3]! & (1 << (r & 7))) !== 0) values[i >> 3]! |= 1 << (i & 7);
      }
      return { dtype: 'bool', length: n, nullCount, validity, values };
    }
    case 'string': {
      const offsets = new Int32Array(n + 1);
      for (let i = 0; i < n; i++) {
        const r = indices[i]!;
        offsets[i + 1] = offsets[i]! + col.offsets[r + 1]! - col.offsets[r]!;
      }
      const data = new Uint8Array(offsets[n]!);
      const src = col.data;
      for (let i = 0; i < n; i++) {
        const r = indices[i]!;
        const start = col.offsets[r]!;
        const end = col.offsets[r + 1]!;
        // Short values byte by byte: a subarray view per row costs more than the copy.
        if (end - start > 32) data.set(src.subarray(start, end), offsets[i]!);
        else for (let b = start, o = offsets[i]!; b < end; b++) data[o++] = src[b]!;
      }
      return { dtype: 'string', length: n, nullCount, validity, offsets, data };
    }
    case 'category': {
      const indicesOut = new Int32Array(n);
      for (let i = 0; i < n; i++) indicesOut[i] = col.indices[indices[i]!]!;
      return { dtype: 'category', length: n, nullCount, validity, indices: indicesOut, dictionary: col.dictionary };
    }
  }
}
