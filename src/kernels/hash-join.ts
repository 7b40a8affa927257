/**
 * The hash join: a table over one side's keys (the build side), probed with the other side's
 * rows, giving pairs of row indices that takeRows turns into the joined columns.
 *
 * Keys go through the group-id factorizer (kernels/group-ids.ts): the build rows get dense
 * ids 0..groups-1, and a probe row's key either finds one of those ids or gets a new one (no
 * match). Rows whose key has a null never match (SQL and pandas `merge`). The build rows of each
 * id are kept in a CSR layout (start offsets + rows in build order), so a probe row's matches
 * come out in build-row order. Everything is typed arrays: no per-row objects or strings.
 */
import { type ColumnData, isValid } from '../core/column-data.js';
import type { DType } from '../core/dtypes.js';
import { concatColumns } from './concat.js';
import { assignGroupIds, type GroupTable, newGroupTable } from './group-ids.js';
import { takeRows } from './take.js';

export type JoinHow = 'inner' | 'left' | 'right' | 'outer' | 'semi' | 'anti';

/** One output column of a join: from the left, the right, or (a coalesced key) both. */
export interface JoinColumnSpec {
  name: string;
  left: string | null;
  right: string | null;
  dtype: DType;
}

const NUMERIC: readonly DType[] = ['int32', 'int64', 'float64'];
const TEXT: readonly DType[] = ['string', 'category'];

/**
 * The dtype two key columns are compared in, or null when they cannot be compared. Numbers
 * compare by value: int32 with float64 as float64 (exact), int32 with int64 as int64 (exact),
 * int64 with float64 as int64 (a float that is not a whole number in int64's range matches
 * no int64). Strings and categories compare by their text.
 */
export function keyMatchDtype(a: DType, b: DType): DType | null {
  if (a === b) return a;
  if (NUMERIC.includes(a) && NUMERIC.includes(b)) return a === 'int32' ? b : b === 'int32' ? a : 'int64';
  if (TEXT.includes(a) && TEXT.includes(b)) return 'string';
  return null;
}

/** The dtype of a key column filled from either side (an outer join's `on` key): the wider of the two. */
export function keyOutputDtype(a: DType, b: DType): DType | null {
  if (a === b) return a;
  if (NUMERIC.includes(a) && NUMERIC.includes(b)) return a === 'float64' || b === 'float64' ? 'float64' : 'int64';
  if (TEXT.includes(a) && TEXT.includes(b)) return 'string';
  return null;
}

const encoder = new TextEncoder();

function bitsOf(n: number): Uint8Array {
  return new Uint8Array((n + 7) >> 3);
}

/**
 * Strings as UTF-8, one after another (value i is bytes[starts[i] .. starts[i+1])). One encode
 * of them all when they are ASCII (then bytes are characters), which is far cheaper than an
 * encode per string for a large dictionary.
 */
function encodeAll(strings: readonly string[]): { bytes: Uint8Array; starts: Int32Array } {
  const starts = new Int32Array(strings.length + 1);
  const joined = strings.join('');
  const bytes = encoder.encode(joined);
  if (bytes.length === joined.length) {
    for (let i = 0; i < strings.length; i++) starts[i + 1] = starts[i]! + strings[i]!.length;
    return { bytes, starts };
  }
  const each = strings.map((s) => encoder.encode(s));
  each.forEach((b, i) => (starts[i + 1] = starts[i]! + b.length));
  const all = new Uint8Array(starts[strings.length]!);
  each.forEach((b, i) => all.set(b, starts[i]!));
  return { bytes: all, starts };
}

/**
 * `col` as `dtype`, for comparing keys and for filling a key column from either side. Widening
 * only (int32 → int64/float64, int64 → float64, category → string), plus float64 → int64 for
 * comparing, where a value that is no whole int64 becomes null (it matches nothing).
 */
export function castColumn(col: ColumnData, dtype: DType): ColumnData {
  if (col.dtype === dtype) return col;
  const { length: n } = col;
  if (dtype === 'float64' && (col.dtype === 'int32' || col.dtype === 'int64')) {
    const values = new Float64Array(n);
    if (col.dtype === 'int32') values.set(col.values.subarray(0, n));
    else for (let i = 0; i < n; i++) values[i] = Number(col.values[i]!);
    return { dtype, length: n, nullCount: col.nullCount, validity: col.validity, values };
  }
  if (dtype === 'int64' && col.dtype === 'int32') {
    const values = new BigInt64Array(n);
    for (let i = 0; i < n; i++) values[i] = BigInt(col.values[i]!);
    return { dtype, length: n, nullCount: col.nullCount, validity: col.validity, values };
  }
  if (dtype === 'int64' && col.dtype === 'float64') {
    const values = new BigInt64Array(n);
    const validity = bitsOf(n);
    let nullCount = 0;
    for (let i = 0; i < n; i++) {
      const v = col.values[i]!;
      if (isValid(col.validity, i) && Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63) {
        values[i] = BigInt(v);
        validity[i >> 3]! |= 1 << (i & 7);
      } else nullCount++;
    }
    return { dtype, length: n, nullCount, validity: nullCount === 0 ? null : validity, values };
  }
  if (dtype === 'string' && col.dtype === 'category') {
    const { bytes, starts } = encodeAll(col.dictionary);
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const d = col.indices[i]!;
      offsets[i + 1] = offsets[i]! + (isValid(col.validity, i) ? starts[d + 1]! - starts[d]! : 0);
    }
    const data = new Uint8Array(offsets[n]!);
    for (let i = 0; i < n; i++) {
      if (!isValid(col.validity, i)) continue;
      const d = col.indices[i]!;
      for (let b = starts[d]!, o = offsets[i]!, end = starts[d + 1]!; b < end; b++) data[o++] = bytes[b]!;
    }
    return { dtype, length: n, nullCount: col.nullCount, validity: col.validity, offsets, data };
  }
  throw new Error(`internal: join cannot cast a ${col.dtype} key to ${dtype}`);
}

/** A column of `n` nulls. */
export function nullColumn(dtype: DType, n: number): ColumnData {
  const common = { length: n, nullCount: n, validity: bitsOf(n) };
  switch (dtype) {
    case 'float64':
      return { dtype, ...common, values: new Float64Array(n) };
    case 'int32':
      return { dtype, ...common, values: new Int32Array(n) };
    case 'int64':
      return { dtype, ...common, values: new BigInt64Array(n) };
    case 'bool':
      return { dtype, ...common, values: bitsOf(n) };
    case 'string':
      return { dtype, ...common, offsets: new Int32Array(n + 1), data: new Uint8Array(0) };
    case 'category':
      return { dtype, ...common, indices: new Int32Array(n), dictionary: [] };
  }
}

/** Rows `indices` of `col`, where an index of −1 gives a null (a row with no match on that side). */
export function takeOrNull(col: ColumnData, indices: Int32Array): ColumnData {
  const n = indices.length;
  let missing = 0;
  for (let i = 0; i < n; i++) if (indices[i]! < 0) missing++;
  if (missing === 0) return takeRows(col, indices);
  if (missing === n || col.length === 0) return nullColumn(col.dtype, n);
  const safe = new Int32Array(n);
  for (let i = 0; i < n; i++) safe[i] = indices[i]! < 0 ? 0 : indices[i]!;
  const taken = takeRows(col, safe);
  const validity = taken.validity ?? bitsOf(n).fill(0xff);
  let nullCount = taken.nullCount;
  for (let i = 0; i < n; i++) {
    if (indices[i]! >= 0 || (validity[i >> 3]! & (1 << (i & 7))) === 0) continue;
    validity[i >> 3]! &= ~(1 << (i & 7));
    nullCount++;
  }
  return { ...taken, validity, nullCount } as ColumnData;
}

/**
 * A key column filled from either side: row i is a's row ai[i] when that is ≥ 0, else b's row
 * bi[i] (an outer join's `on` key). Both columns have the same dtype.
 */
export function coalesceTake(a: ColumnData, ai: Int32Array, b: ColumnData, bi: Int32Array): ColumnData {
  let fromA = 0;
  for (let i = 0; i < ai.length; i++) if (ai[i]! >= 0) fromA++;
  if (fromA === ai.length) return takeRows(a, ai);
  if (fromA === 0) return takeOrNull(b, bi);
  const both = concatColumns([a, b]);
  const at = new Int32Array(ai.length);
  for (let i = 0; i < ai.length; i++) at[i] = ai[i]! >= 0 ? ai[i]! : bi[i]! < 0 ? -1 : a.length + bi[i]!;
  return takeOrNull(both, at);
}

/**
 * A key column as compared with the other side's: castColumn, except that a category key with
 * a small dictionary stays a category, compared as text (the factorizer codes strings and
 * categories alike by their bytes, hashing each dictionary entry once instead of every row).
 */
export function matchKey(col: ColumnData, dtype: DType): ColumnData {
  if (col.dtype !== 'category') return castColumn(col, dtype);
  // A dictionary as large as the rows (a dimension table's keys): written out as text in one
  // pass, cheaper than hashing each entry on its own.
  return col.dictionary.length * 4 > col.length ? castColumn(col, 'string') : col;
}

/** 1 where any key column is null (such a row never matches), or null when no key has a null. */
function nullKeys(keys: readonly ColumnData[], n: number): Uint8Array | null {
  let mask: Uint8Array | null = null;
  for (const key of keys) {
    if (key.validity === null || key.nullCount === 0) continue;
    mask ??= new Uint8Array(n);
    for (let i = 0; i < n; i++) if ((key.validity[i >> 3]! & (1 << (i & 7))) === 0) mask[i] = 1;
  }
  return mask;
}

/** The build side's keys, hashed: which build rows hold each key. */
export interface JoinTable {
  readonly table: GroupTable;
  /** Ids below this are build keys; a probe key with a larger id matches nothing. */
  readonly groups: number;
  /** CSR: the build rows of id g are rows[starts[g] .. starts[g+1]), in row order. */
  readonly starts: Int32Array;
  readonly rows: Int32Array;
  readonly buildLength: number;
}

/** Hashes the build side's key columns (already cast to the compare dtypes). */
export function buildJoinTable(keys: readonly ColumnData[], n: number): JoinTable {
  const table = newGroupTable(keys.map((k) => k.dtype));
  const ids = assignGroupIds(table, keys, n);
  const nulls = nullKeys(keys, n);
  const groups = table.groups;
  const starts = new Int32Array(groups + 1);
  for (let i = 0; i < n; i++) if (nulls === null || nulls[i] === 0) starts[ids[i]! + 1]!++;
  for (let g = 0; g < groups; g++) starts[g + 1]! += starts[g]!;
  const fill = starts.slice(0, groups);
  const rows = new Int32Array(starts[groups]!);
  for (let i = 0; i < n; i++) if (nulls === null || nulls[i] === 0) rows[fill[ids[i]!]!++] = i;
  return { table, groups, starts, rows, buildLength: n };
}

/**
 * What a probe row does when it has no match: 'inner' drops it, 'keep' keeps it once with no
 * build row (−1); 'semi' keeps each probe row with a match once, 'anti' each one without.
 */
export type ProbeMode = 'inner' | 'keep' | 'semi' | 'anti';

export interface JoinPairs {
  /** Probe row of each output row. */
  probe: Int32Array;
  /** Build row of each output row (−1: none); null for semi and anti joins. */
  build: Int32Array | null;
}

/**
 * Probes the table with `n` rows' key columns (cast as the build's). Output rows follow the
 * probe rows' order, each probe row's matches in build-row order. `matched` (when given) gets
 * a 1 for every build row that matched (to add the unmatched ones of right and outer joins).
 */
export function probeJoinTable(jt: JoinTable, keys: readonly ColumnData[], n: number, mode: ProbeMode, matched: Uint8Array | null): JoinPairs {
  const ids = assignGroupIds(jt.table, keys, n);
  const nulls = nullKeys(keys, n);
  const { groups, starts, rows } = jt;
  // Each probe row's count of matches, as ids: −1 where there is none.
  for (let i = 0; i < n; i++) {
    const g = ids[i]!;
    if (g >= groups || (nulls !== null && nulls[i] === 1) || starts[g] === starts[g + 1]) ids[i] = -1;
  }
  if (mode === 'semi' || mode === 'anti') {
    const want = mode === 'semi';
    let size = 0;
    for (let i = 0; i < n; i++) if (ids[i]! >= 0 === want) size++;
    const probe = new Int32Array(size);
    let at = 0;
    for (let i = 0; i < n; i++) if (ids[i]! >= 0 === want) probe[at++] = i;
    return { probe, build: null };
  }
  const keep = mode === 'keep';
  let size = 0;
  for (let i = 0; i < n; i++) {
    const g = ids[i]!;
    size += g >= 0 ? starts[g + 1]! - starts[g]! : keep ? 1 : 0;
  }
  const probe = new Int32Array(size);
  const build = new Int32Array(size);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const g = ids[i]!;
    if (g < 0) {
      if (keep) {
        probe[at] = i;
        build[at++] = -1;
      }
      continue;
    }
    for (let j = starts[g]!, end = starts[g + 1]!; j < end; j++) {
      const r = rows[j]!;
      probe[at] = i;
      build[at++] = r;
      if (matched !== null) matched[r] = 1;
    }
  }
  return { probe, build };
}

/** Build rows never matched (null keys included), in row order: the extra rows of right and outer joins. */
export function unmatchedRows(matched: Uint8Array): Int32Array {
  let size = 0;
  for (let i = 0; i < matched.length; i++) if (matched[i] === 0) size++;
  const out = new Int32Array(size);
  let at = 0;
  for (let i = 0; i < matched.length; i++) if (matched[i] === 0) out[at++] = i;
  return out;
}
