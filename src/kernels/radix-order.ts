/**
 * Stable ordering of rows by non-text key columns in linear time: each key becomes a 64-bit
 * unsigned sort key (hi, lo) whose order is rowComparator's (NaN after every number, −0 equal
 * to 0, category entries by their text), then an LSD radix sort by 16-bit digits. A group-by
 * with a million groups sorts its keys in tens of milliseconds instead of seconds of comparator
 * calls. Nulls go last, in their input order, as rowComparator puts them.
 */
import type { ColumnData } from '../core/column-data.js';
import { categoryRanks } from './compare-rows.js';

interface SortKeys {
  hi: Uint32Array;
  lo: Uint32Array;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Sort keys of `col` at `rows` (row i of the result for rows[i]); null for text, which compares by bytes. */
function sortKeys(col: ColumnData, rows: Int32Array): SortKeys | null {
  const n = rows.length;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  switch (col.dtype) {
    case 'int32':
      for (let i = 0; i < n; i++) hi[i] = (col.values[rows[i]!]! ^ 0x80000000) >>> 0;
      break;
    case 'int64':
      for (let i = 0; i < n; i++) {
        const v = col.values[rows[i]!]!;
        hi[i] = (Number(BigInt.asIntN(32, v >> 32n)) ^ 0x80000000) >>> 0;
        lo[i] = Number(BigInt.asUintN(32, v));
      }
      break;
    case 'float64':
      for (let i = 0; i < n; i++) {
        const v = col.values[rows[i]!]!;
        if (v !== v) {
          hi[i] = 0xffffffff;
          lo[i] = 0xffffffff;
          continue;
        }
        f64[0] = v === 0 ? 0 : v;
        // IEEE order as unsigned: negatives reversed (all bits flipped), positives above them.
        const negative = u32[1]! >>> 31 === 1;
        hi[i] = negative ? ~u32[1]! >>> 0 : (u32[1]! | 0x80000000) >>> 0;
        lo[i] = negative ? ~u32[0]! >>> 0 : u32[0]!;
      }
      break;
    case 'bool':
      for (let i = 0; i < n; i++) hi[i] = (col.values[rows[i]! >> 3]! >> (rows[i]! & 7)) & 1;
      break;
    case 'category': {
      const rank = categoryRanks(col.dictionary);
      for (let i = 0; i < n; i++) hi[i] = rank[col.indices[rows[i]!]!]!;
      break;
    }
    case 'string':
      return null;
  }
  return { hi, lo };
}

/** 0, 1, …, n − 1. */
export function rowRange(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/** `rows` stably ordered by one 64-bit key per position (keys[i] belongs to rows[i]). */
function radixByKeys(rows: Int32Array, keys: SortKeys): Int32Array {
  const n = rows.length;
  if (n === 0) return rows.slice();
  let order = rows.slice();
  let hi: Uint32Array = keys.hi;
  let lo: Uint32Array = keys.lo;
  let nextOrder = new Int32Array(n);
  let nextHi: Uint32Array = new Uint32Array(n);
  let nextLo: Uint32Array = new Uint32Array(n);
  const counts = new Int32Array(65536);
  for (const [word, shift] of [[0, 0], [0, 16], [1, 0], [1, 16]] as const) {
    counts.fill(0);
    const digits = word === 0 ? lo : hi;
    for (let i = 0; i < n; i++) counts[(digits[i]! >>> shift) & 0xffff]!++;
    if (counts[(digits[0]! >>> shift) & 0xffff] === n) continue; // one digit for all: nothing moves
    for (let d = 0, at = 0; d < 65536; d++) {
      const c = counts[d]!;
      counts[d] = at;
      at += c;
    }
    for (let i = 0; i < n; i++) {
      const to = counts[(digits[i]! >>> shift) & 0xffff]!++;
      nextOrder[to] = order[i]!;
      nextHi[to] = hi[i]!;
      nextLo[to] = lo[i]!;
    }
    [order, nextOrder] = [nextOrder, order];
    [hi, nextHi] = [nextHi, hi];
    [lo, nextLo] = [nextLo, lo];
  }
  return order;
}

/** Sort keys of `col` at `rows`, with every bit flipped when descending (the order reversed, ties kept). */
function directedKeys(col: ColumnData, rows: Int32Array, descending: boolean): SortKeys {
  const keys = sortKeys(col, rows)!;
  if (descending) {
    for (let i = 0; i < rows.length; i++) {
      keys.hi[i] = ~keys.hi[i]! >>> 0;
      keys.lo[i] = ~keys.lo[i]! >>> 0;
    }
  }
  return keys;
}

/** `rows` ordered by one column: those with a value by key, the null rows (as they came) after them or before them. */
function orderByColumn(col: ColumnData, rows: Int32Array, descending: boolean, nullsFirst: boolean): Int32Array {
  const validity = col.validity;
  if (validity === null) return radixByKeys(rows, directedKeys(col, rows, descending));
  const valid = new Int32Array(rows.length);
  const nulls = new Int32Array(rows.length);
  let v = 0;
  let z = 0;
  for (const r of rows) {
    if ((validity[r >> 3]! & (1 << (r & 7))) !== 0) valid[v++] = r;
    else nulls[z++] = r;
  }
  const out = new Int32Array(rows.length);
  const ordered = radixByKeys(valid.subarray(0, v), directedKeys(col, valid.subarray(0, v), descending));
  out.set(ordered, nullsFirst ? z : 0);
  out.set(nulls.subarray(0, z), nullsFirst ? 0 : v);
  return out;
}

/** Direction of each key column (default ascending) and where nulls go (default last). */
export interface RadixDirections {
  descending?: readonly boolean[];
  nullsFirst?: boolean;
}

/**
 * `rows` stably ordered by the columns (the first column first), ascending unless `descending`
 * says otherwise, nulls last unless `nullsFirst`; null when a column is text (the caller sorts
 * with rowComparator).
 */
export function radixOrder(columns: readonly ColumnData[], rows: Int32Array, directions: RadixDirections = {}): Int32Array | null {
  if (columns.some((c) => c.dtype === 'string')) return null;
  // LSD over the columns: the last key first, each pass stable.
  let order = rows;
  for (let k = columns.length - 1; k >= 0; k--) order = orderByColumn(columns[k]!, order, directions.descending?.[k] ?? false, directions.nullsFirst ?? false);
  return order;
}

/** `rows` stably ordered by two unsigned 32-bit numbers per row (major, then minor). */
export function radixOrderPairs(rows: Int32Array, major: Uint32Array, minor: Uint32Array): Int32Array {
  const hi = new Uint32Array(rows.length);
  const lo = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    hi[i] = major[rows[i]!]!;
    lo[i] = minor[rows[i]!]!;
  }
  return radixByKeys(rows, { hi, lo });
}
