import type { ColumnData } from '../core/column-data.js';

/**
 * Hashes of rows by their key columns, for hash partitioning (shuffles, split_out lanes).
 * Equal keys hash alike wherever they are: numbers by their value (an int32 5, an int64 5 and
 * a float64 5.0 hash the same, so a join of an int32 key with a float64 key meets; -0 as 0,
 * every NaN alike), strings and categories by their UTF-8 bytes.
 */

const utf8 = new TextEncoder();
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const NULL_MARK = 0x5bd1e995;

function fnv(data: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
  return h;
}

function mixInt(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  return h ^ (h >>> 15);
}

function mixNumber(h: number, v: number): number {
  f64[0] = v === 0 ? 0 : v !== v ? NaN : v;
  return mixInt(mixInt(h, u32[0]!), u32[1]!);
}

/** Folds one key column's values into the rows' hashes. */
export function hashColumn(col: ColumnData, hashes: Uint32Array): void {
  const n = col.length;
  const validity = col.validity;
  const valid = (i: number): boolean => validity === null || (validity[i >> 3]! & (1 << (i & 7))) !== 0;
  const dictionaryHashes = col.dtype === 'category' ? col.dictionary.map((s) => { const b = utf8.encode(s); return fnv(b, 0, b.length); }) : null;
  for (let i = 0; i < n; i++) {
    let h = hashes[i]!;
    if (!valid(i)) {
      hashes[i] = mixInt(h, NULL_MARK);
      continue;
    }
    switch (col.dtype) {
      case 'float64':
      case 'int32':
        h = mixNumber(h, col.values[i]!);
        break;
      case 'int64':
        h = mixNumber(h, Number(col.values[i]!));
        break;
      case 'bool':
        h = mixNumber(h, (col.values[i >> 3]! >> (i & 7)) & 1);
        break;
      case 'string':
        h = mixInt(fnv(col.data, col.offsets[i]!, col.offsets[i + 1]!), h);
        break;
      case 'category':
        h = mixInt(dictionaryHashes![col.indices[i]!]!, h);
        break;
    }
    hashes[i] = h;
  }
}

/** The bucket (0 ≤ b < buckets) of every row, by the hash of its key columns. */
export function bucketsOf(keys: readonly ColumnData[], length: number, buckets: number): Uint32Array {
  const hashes = new Uint32Array(length);
  for (const col of keys) hashColumn(col, hashes);
  for (let i = 0; i < length; i++) hashes[i] = (hashes[i]! >>> 0) % buckets;
  return hashes;
}
