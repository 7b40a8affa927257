import type { ColumnData } from '../core/column-data.js';

/** Compares a[af..at) with b[bf..bt) as bytes (UTF-8 byte order is code point order). */
export function compareBytes(a: Uint8Array, af: number, at: number, b: Uint8Array, bf: number, bt: number): number {
  const n = Math.min(at - af, bt - bf);
  for (let k = 0; k < n; k++) {
    const d = a[af + k]! - b[bf + k]!;
    if (d !== 0) return d;
  }
  return at - af - (bt - bf);
}

/** Each dictionary entry's rank by UTF-8 bytes (code point order): categories compare by rank. */
export function categoryRanks(dictionary: readonly string[]): Uint32Array {
  const encoder = new TextEncoder();
  const encoded = dictionary.map((s) => encoder.encode(s));
  const byValue = encoded.map((_, k) => k).sort((p, q) => compareBytes(encoded[p]!, 0, encoded[p]!.length, encoded[q]!, 0, encoded[q]!.length));
  const rank = new Uint32Array(encoded.length);
  byValue.forEach((entry, r) => (rank[entry] = r));
  return rank;
}

/** Ascending order of a column's values at two rows: NaN after every number, strings by code point. */
function valueComparator(col: ColumnData): (a: number, b: number) => number {
  switch (col.dtype) {
    case 'float64': {
      const v = col.values;
      return (a, b) => {
        const x = v[a]!;
        const y = v[b]!;
        if (x !== x) return y !== y ? 0 : 1;
        if (y !== y) return -1;
        return x < y ? -1 : x > y ? 1 : 0;
      };
    }
    case 'int32': {
      const v = col.values;
      return (a, b) => v[a]! - v[b]!;
    }
    case 'int64': {
      const v = col.values;
      return (a, b) => (v[a]! < v[b]! ? -1 : v[a]! > v[b]! ? 1 : 0);
    }
    case 'bool': {
      const v = col.values;
      return (a, b) => ((v[a >> 3]! >> (a & 7)) & 1) - ((v[b >> 3]! >> (b & 7)) & 1);
    }
    case 'string': {
      const { data, offsets } = col;
      return (a, b) => compareBytes(data, offsets[a]!, offsets[a + 1]!, data, offsets[b]!, offsets[b + 1]!);
    }
    case 'category': {
      const rank = categoryRanks(col.dictionary);
      const indices = col.indices;
      return (a, b) => rank[indices[a]!]! - rank[indices[b]!]!;
    }
  }
}

/**
 * The order of two rows of a column: ascending (or descending) values, nulls last either way
 * (as pandas' sort_values and groupBy's sorted keys), or first either way with `nullsFirst`.
 */
export function rowComparator(col: ColumnData, descending = false, nullsFirst = false): (a: number, b: number) => number {
  const compare = valueComparator(col);
  const directed = descending ? (a: number, b: number) => compare(b, a) : compare;
  const validity = col.validity;
  if (validity === null) return directed;
  return (a, b) => {
    const va = (validity[a >> 3]! & (1 << (a & 7))) !== 0;
    const vb = (validity[b >> 3]! & (1 << (b & 7))) !== 0;
    if (va && vb) return directed(a, b);
    return va === vb ? 0 : va !== nullsFirst ? -1 : 1;
  };
}
