/**
 * Dense group ids for the rows of key columns, in first-seen order, with open-addressing hash
 * tables over typed arrays (no per-row objects or strings).
 *
 * Each key column is factorized on its own (value → code, first-seen order; a null is a value
 * of its own): strings by hashing their UTF-8 bytes, categories through their dictionary (each
 * dictionary entry hashed once per batch), numbers by their bits (float: NaN equals NaN, −0
 * equals 0). One key column's codes are the group ids; several columns' codes are combined by a
 * second table over code tuples. The table is plain data (typed arrays and numbers), and
 * groupKeys turns it into the unique keys as a ColumnBatch.
 */
import type { ColumnBatch, ColumnData } from '../core/column-data.js';
import type { DType } from '../core/dtypes.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;
const NULL_HASH = 0x5bd1e995;
const NAN_HASH = 0x27d4eb2f;

/** The distinct values of one key column, in first-seen order (code = index). */
export interface ColumnFactorizer {
  dtype: DType;
  size: number;
  /** Code of the null value, −1 until a null is seen. */
  nullCode: number;
  /** Open addressing: code + 1, 0 for empty; length a power of two. */
  slots: Int32Array;
  hashes: Uint32Array;
  /** float64 values (canonical: no −0, one NaN). */
  floats: Float64Array;
  /** int32 and bool values; int64 as two words per value (low, high in memory order). */
  ints: Int32Array;
  /** string and category values: UTF-8 bytes, value c is bytes[offsets[c] .. offsets[c+1]). */
  bytes: Uint8Array;
  offsets: Int32Array;
  /** string and category values of up to 8 bytes, packed into two ints (little-endian bytes). */
  packed: Int32Array;
}

export interface GroupTable {
  keys: ColumnFactorizer[];
  groups: number;
  /** Several key columns: per column, each group's code; slots over code tuples. */
  groupCodes: Int32Array[];
  slots: Int32Array;
  hashes: Uint32Array;
  /**
   * While the columns' code widths (bits) sum to at most DENSE_BITS: group + 1 per tuple at the
   * index made of the codes' bits (slots and hashes are then unused); empty otherwise.
   */
  dense: Int32Array;
  denseWidths: Int32Array;
}

/** Every array is its own (no shared empty singletons): a state may be transferred, detaching its buffers. */
function newFactorizer(dtype: DType): ColumnFactorizer {
  return {
    dtype, size: 0, nullCode: -1, slots: new Int32Array(16), hashes: new Uint32Array(8),
    floats: new Float64Array(0), ints: new Int32Array(0), bytes: new Uint8Array(0), offsets: new Int32Array(dtype === 'string' || dtype === 'category' ? 9 : 0), packed: new Int32Array(0),
  };
}

/** A table for these key dtypes; with no keys there is exactly one group (a global aggregate). */
export function newGroupTable(dtypes: readonly DType[]): GroupTable {
  return {
    keys: dtypes.map(newFactorizer), groups: dtypes.length === 0 ? 1 : 0, groupCodes: dtypes.map(() => new Int32Array(16)),
    slots: new Int32Array(dtypes.length > 1 ? 64 : 0), hashes: new Uint32Array(dtypes.length > 1 ? 32 : 0), dense: new Int32Array(0), denseWidths: new Int32Array(0),
  };
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// ---- growth --------------------------------------------------------------------------------

function grow<T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(a: T, size: number): T {
  if (a.length >= size) return a;
  const out = new (a.constructor as new (n: number) => T)(Math.max(size, a.length * 2, 16));
  out.set(a);
  return out;
}

/** Reserves code `f.size` (hash h) and rehashes when the table gets half full. */
function addCode(f: ColumnFactorizer, h: number, slot: number): number {
  const code = f.size++;
  f.slots[slot] = code + 1;
  f.hashes = grow(f.hashes, f.size);
  f.hashes[code] = h;
  if (f.size * 2 > f.slots.length) f.slots = rehash(f.hashes, f.size, f.slots.length * 2, f.nullCode);
  return code;
}

function rehash(hashes: Uint32Array, size: number, capacity: number, skip: number): Int32Array {
  const slots = new Int32Array(capacity);
  const mask = capacity - 1;
  for (let c = 0; c < size; c++) {
    if (c === skip) continue;
    let slot = hashes[c]! & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = c + 1;
  }
  return slots;
}

function nullCode(f: ColumnFactorizer): number {
  if (f.nullCode >= 0) return f.nullCode;
  // Null takes a code in first-seen order but no hash slot.
  const code = f.size++;
  f.hashes = grow(f.hashes, f.size);
  f.hashes[code] = NULL_HASH;
  ensureValueRoom(f, f.size);
  if (f.dtype === 'string' || f.dtype === 'category') f.offsets[code + 1] = f.offsets[code]!;
  f.nullCode = code;
  return code;
}

function ensureValueRoom(f: ColumnFactorizer, size: number): void {
  switch (f.dtype) {
    case 'float64':
      f.floats = grow(f.floats, size);
      break;
    case 'int32':
    case 'bool':
      f.ints = grow(f.ints, size);
      break;
    case 'int64':
      f.ints = grow(f.ints, 2 * size);
      break;
    default:
      f.offsets = grow(f.offsets, size + 1);
  }
}

// ---- factorizing one column ----------------------------------------------------------------

/** Codes of rows [0, n) of `col` into `out`. */
export function factorize(f: ColumnFactorizer, col: ColumnData, n: number, out: Int32Array): void {
  // Strings and categories share one code space (codes by the text's bytes): a join matches a string key with a category key.
  const text = (d: DType) => d === 'string' || d === 'category';
  if (col.dtype !== f.dtype && !(text(col.dtype) && text(f.dtype))) throw new Error(`group key dtype changed from ${f.dtype} to ${col.dtype}`);
  switch (col.dtype) {
    case 'float64':
      factorizeFloat64(f, col.values, col.validity, n, out);
      break;
    case 'int32':
      factorizeInt32(f, col.values, col.validity, n, out);
      break;
    case 'int64':
      factorizeInt64(f, col.values, col.validity, n, out);
      break;
    case 'bool':
      factorizeBool(f, col.values, col.validity, n, out);
      break;
    case 'string':
      factorizeString(f, col.data, col.offsets, col.validity, n, out);
      break;
    case 'category':
      factorizeCategory(f, col.indices, col.dictionary, col.validity, n, out);
      break;
  }
}

function factorizeFloat64(f: ColumnFactorizer, values: Float64Array, validity: Uint8Array | null, n: number, out: Int32Array): void {
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = 0; i < n; i++) {
    if (validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0) {
      out[i] = nullCode(f);
      continue;
    }
    let v = values[i]!;
    let h: number;
    if (v !== v) h = NAN_HASH;
    else if (v === 0) {
      v = 0;
      h = 0;
    } else h = mix(words[2 * i + HI]! ^ Math.imul(words[2 * i + LO]!, 0x9e3779b1));
    let slot = h & (f.slots.length - 1);
    for (;;) {
      const c1 = f.slots[slot]!;
      if (c1 === 0) {
        ensureValueRoom(f, f.size + 1);
        f.floats[f.size] = v;
        out[i] = addCode(f, h, slot);
        break;
      }
      const stored = f.floats[c1 - 1]!;
      if (f.hashes[c1 - 1] === h && (stored === v || (stored !== stored && v !== v))) {
        out[i] = c1 - 1;
        break;
      }
      slot = (slot + 1) & (f.slots.length - 1);
    }
  }
}

function factorizeInt32(f: ColumnFactorizer, values: Int32Array, validity: Uint8Array | null, n: number, out: Int32Array): void {
  for (let i = 0; i < n; i++) {
    if (validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0) {
      out[i] = nullCode(f);
      continue;
    }
    const v = values[i]!;
    const h = mix(v);
    const mask = f.slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const c1 = f.slots[slot]!;
      if (c1 === 0) {
        ensureValueRoom(f, f.size + 1);
        f.ints[f.size] = v;
        out[i] = addCode(f, h, slot);
        break;
      }
      if (f.ints[c1 - 1] === v && c1 - 1 !== f.nullCode) {
        out[i] = c1 - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
}

function factorizeInt64(f: ColumnFactorizer, values: BigInt64Array, validity: Uint8Array | null, n: number, out: Int32Array): void {
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = 0; i < n; i++) {
    if (validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0) {
      out[i] = nullCode(f);
      continue;
    }
    const lo = words[2 * i + LO]!;
    const hi = words[2 * i + HI]!;
    const h = mix(lo ^ Math.imul(hi, 0x9e3779b1));
    const mask = f.slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const c1 = f.slots[slot]!;
      if (c1 === 0) {
        ensureValueRoom(f, f.size + 1);
        f.ints[2 * f.size + LO] = lo;
        f.ints[2 * f.size + HI] = hi;
        out[i] = addCode(f, h, slot);
        break;
      }
      const c = c1 - 1;
      if (f.ints[2 * c + LO] === lo && f.ints[2 * c + HI] === hi) {
        out[i] = c;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
}

function factorizeBool(f: ColumnFactorizer, bits: Uint8Array, validity: Uint8Array | null, n: number, out: Int32Array): void {
  // Two values and null: a code per value without hashing.
  const codeOf = [-1, -1];
  for (let c = 0; c < f.size; c++) if (c !== f.nullCode) codeOf[f.ints[c]!] = c;
  for (let i = 0; i < n; i++) {
    if (validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0) {
      out[i] = nullCode(f);
      continue;
    }
    const v = (bits[i >> 3]! >> (i & 7)) & 1;
    let c = codeOf[v]!;
    if (c < 0) {
      ensureValueRoom(f, f.size + 1);
      f.ints[f.size] = v;
      c = codeOf[v] = f.size++;
      f.hashes = grow(f.hashes, f.size);
      f.hashes[c] = v;
    }
    out[i] = c;
  }
}

function hashBytes(data: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 ^ (end - start);
  for (let j = start; j < end; j++) h = Math.imul(h ^ data[j]!, 0x01000193);
  return mix(h);
}

/**
 * The code of the bytes data[start..end), added if new. Strings of up to 8 bytes (most keys:
 * codes, names) are packed into two ints, hashed and compared as such, without a byte loop.
 */
function stringCode(f: ColumnFactorizer, data: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len > 8) return longStringCode(f, data, start, end);
  let lo = 0;
  let hi = 0;
  const split = len < 4 ? len : 4;
  for (let j = 0; j < split; j++) lo |= data[start + j]! << (j << 3);
  for (let j = 4; j < len; j++) hi |= data[start + j]! << ((j - 4) << 3);
  const h = mix(Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi + len, 0x85ebca6b));
  const mask = f.slots.length - 1;
  let slot = h & mask;
  for (;;) {
    const c1 = f.slots[slot]!;
    if (c1 === 0) return addString(f, h, slot, data, start, end, lo, hi);
    const c = c1 - 1;
    if (f.hashes[c] === h && f.packed[2 * c] === lo && f.packed[2 * c + 1] === hi && f.offsets[c + 1]! - f.offsets[c]! === len) return c;
    slot = (slot + 1) & mask;
  }
}

function longStringCode(f: ColumnFactorizer, data: Uint8Array, start: number, end: number): number {
  const h = hashBytes(data, start, end);
  const len = end - start;
  const mask = f.slots.length - 1;
  let slot = h & mask;
  for (;;) {
    const c1 = f.slots[slot]!;
    if (c1 === 0) return addString(f, h, slot, data, start, end, 0, 0);
    const c = c1 - 1;
    if (f.hashes[c] === h) {
      const at = f.offsets[c]!;
      if (f.offsets[c + 1]! - at === len) {
        let j = 0;
        const bytes = f.bytes;
        while (j < len && bytes[at + j] === data[start + j]) j++;
        if (j === len) return c;
      }
    }
    slot = (slot + 1) & mask;
  }
}

function addString(f: ColumnFactorizer, h: number, slot: number, data: Uint8Array, start: number, end: number, lo: number, hi: number): number {
  const code = f.size;
  const len = end - start;
  ensureValueRoom(f, code + 1);
  const at = f.offsets[code]!;
  f.bytes = grow(f.bytes, at + len);
  f.bytes.set(data.subarray(start, end), at);
  f.offsets[code + 1] = at + len;
  f.packed = grow(f.packed, 2 * (code + 1));
  f.packed[2 * code] = lo;
  f.packed[2 * code + 1] = hi;
  return addCode(f, h, slot);
}

function factorizeString(f: ColumnFactorizer, data: Uint8Array, offsets: Int32Array, validity: Uint8Array | null, n: number, out: Int32Array): void {
  // The short-string probe of stringCode, inlined, with the table in locals (refreshed after any change).
  let slots = f.slots;
  let hashes = f.hashes;
  let packed = f.packed;
  let codeOffsets = f.offsets;
  for (let i = 0; i < n; i++) {
    if (validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0) {
      out[i] = nullCode(f);
      hashes = f.hashes;
      codeOffsets = f.offsets;
      continue;
    }
    const start = offsets[i]!;
    const len = offsets[i + 1]! - start;
    if (len > 8) {
      out[i] = longStringCode(f, data, start, start + len);
      slots = f.slots;
      hashes = f.hashes;
      codeOffsets = f.offsets;
    } else {
      let lo = 0;
      let hi = 0;
      const split = len < 4 ? len : 4;
      for (let j = 0; j < split; j++) lo |= data[start + j]! << (j << 3);
      for (let j = 4; j < len; j++) hi |= data[start + j]! << ((j - 4) << 3);
      const h = mix(Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi + len, 0x85ebca6b));
      const mask = slots.length - 1;
      let slot = h & mask;
      for (;;) {
        const c1 = slots[slot]!;
        if (c1 === 0) {
          out[i] = addString(f, h, slot, data, start, start + len, lo, hi);
          slots = f.slots;
          hashes = f.hashes;
          packed = f.packed;
          codeOffsets = f.offsets;
          break;
        }
        const c = c1 - 1;
        if (hashes[c] === h && packed[2 * c] === lo && packed[2 * c + 1] === hi && codeOffsets[c + 1]! - codeOffsets[c]! === len) {
          out[i] = c;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
  }
}

const encoder = new TextEncoder();

function factorizeCategory(f: ColumnFactorizer, indices: Int32Array, dictionary: readonly string[], validity: Uint8Array | null, n: number, out: Int32Array): void {
  const codeOfEntry = new Int32Array(dictionary.length).fill(-1);
  for (let i = 0; i < n; i++) {
    if (validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0) {
      out[i] = nullCode(f);
      continue;
    }
    const d = indices[i]!;
    let c = codeOfEntry[d]!;
    if (c < 0) {
      const bytes = encoder.encode(dictionary[d]!);
      c = codeOfEntry[d] = stringCode(f, bytes, 0, bytes.length);
    }
    out[i] = c;
  }
}

// ---- group ids -----------------------------------------------------------------------------

/**
 * Group ids of rows [0, rowCount) of the key columns (one per key of the table), adding new
 * groups in first-seen order. `out` may be passed to reuse memory.
 */
export function assignGroupIds(table: GroupTable, keys: readonly ColumnData[], rowCount: number, out?: Int32Array): Int32Array {
  const ids = out !== undefined && out.length >= rowCount ? out : new Int32Array(rowCount);
  if (keys.length !== table.keys.length) throw new Error(`assignGroupIds: ${keys.length} key columns for a table of ${table.keys.length}`);
  if (keys.length === 0) {
    ids.fill(0, 0, rowCount);
    return ids;
  }
  if (keys.length === 1) {
    factorize(table.keys[0]!, keys[0]!, rowCount, ids);
    table.groups = table.keys[0]!.size;
    return ids;
  }
  const codes = keys.map((col, k) => {
    const c = new Int32Array(rowCount);
    factorize(table.keys[k]!, col, rowCount, c);
    return c;
  });
  combineCodes(table, codes, rowCount, ids);
  return ids;
}

/** Key tuples whose codes fit in this many bits in all use a direct table instead of hashing. */
const DENSE_BITS = 20;

function tupleHash(codes: readonly Int32Array[], i: number): number {
  let h = Math.imul(codes[0]![i]!, 0x9e3779b1) ^ codes[1]![i]!;
  for (let k = 2; k < codes.length; k++) h = Math.imul(h, 0x85ebca6b) ^ codes[k]![i]!;
  return mix(h);
}

function newTupleGroup(table: GroupTable, codes: readonly Int32Array[], i: number): number {
  const g = table.groups++;
  for (let k = 0; k < codes.length; k++) {
    table.groupCodes[k] = grow(table.groupCodes[k]!, table.groups);
    table.groupCodes[k]![g] = codes[k]![i]!;
  }
  return g;
}

function combineCodes(table: GroupTable, codes: Int32Array[], rowCount: number, ids: Int32Array): void {
  // Bits per column for its codes so far; while their sum is small, tuple → group is a direct lookup.
  const widths = table.keys.map((f) => Math.max(1, 32 - Math.clz32(Math.max(f.size, 1) - 1)));
  const bits = widths.reduce((a, b) => a + b, 0);
  if (bits <= DENSE_BITS) {
    denseCombine(table, codes, widths, rowCount, ids);
    return;
  }
  if (table.dense.length > 0) {
    // Leaving the direct table: hash every group so far.
    table.dense = new Int32Array(0);
    const groupCodes = table.groupCodes.map((c) => c.subarray(0, table.groups));
    table.hashes = new Uint32Array(Math.max(16, table.groups * 2));
    for (let g = 0; g < table.groups; g++) table.hashes[g] = tupleHash(groupCodes, g);
    let capacity = 64;
    while (capacity < table.groups * 2) capacity *= 2;
    table.slots = rehash(table.hashes, table.groups, capacity, -1);
  }
  const width = codes.length;
  for (let i = 0; i < rowCount; i++) {
    const h = tupleHash(codes, i);
    const mask = table.slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const g1 = table.slots[slot]!;
      if (g1 === 0) {
        const g = newTupleGroup(table, codes, i);
        table.slots[slot] = g + 1;
        table.hashes = grow(table.hashes, table.groups);
        table.hashes[g] = h;
        if (table.groups * 2 > table.slots.length) table.slots = rehash(table.hashes, table.groups, table.slots.length * 2, -1);
        ids[i] = g;
        break;
      }
      const g = g1 - 1;
      if (table.hashes[g] === h) {
        let k = 0;
        while (k < width && table.groupCodes[k]![g] === codes[k]![i]) k++;
        if (k === width) {
          ids[i] = g;
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
  }
}

function denseCombine(table: GroupTable, codes: Int32Array[], widths: number[], rowCount: number, ids: Int32Array): void {
  const bits = widths.reduce((a, b) => a + b, 0);
  const same = table.denseWidths.length === widths.length && widths.every((w, k) => table.denseWidths[k] === w);
  if (!same) {
    // Codes grew past a power of two (or first use): rebuild the direct table from the groups.
    table.dense = new Int32Array(1 << bits);
    table.denseWidths = Int32Array.from(widths);
    for (let g = 0; g < table.groups; g++) {
      let index = 0;
      for (let k = 0; k < widths.length; k++) index = (index << widths[k]!) | table.groupCodes[k]![g]!;
      table.dense[index] = g + 1;
    }
  }
  const dense = table.dense;
  if (codes.length === 2) {
    const first = codes[0]!;
    const second = codes[1]!;
    const shift = widths[1]!;
    for (let i = 0; i < rowCount; i++) {
      const index = (first[i]! << shift) | second[i]!;
      const g1 = dense[index]!;
      if (g1 !== 0) {
        ids[i] = g1 - 1;
        continue;
      }
      const g = newTupleGroup(table, codes, i);
      dense[index] = g + 1;
      ids[i] = g;
    }
    return;
  }
  for (let i = 0; i < rowCount; i++) {
    let index = 0;
    for (let k = 0; k < widths.length; k++) index = (index << widths[k]!) | codes[k]![i]!;
    const g1 = dense[index]!;
    if (g1 !== 0) {
      ids[i] = g1 - 1;
      continue;
    }
    const g = newTupleGroup(table, codes, i);
    dense[index] = g + 1;
    ids[i] = g;
  }
}

// ---- the unique keys -----------------------------------------------------------------------

/** Each group's code in key column k. */
function codesOfKey(table: GroupTable, k: number): Int32Array | null {
  return table.keys.length === 1 ? null : table.groupCodes[k]!.subarray(0, table.groups);
}

/** The distinct values of a factorized column, taken in `order` (codes; null: all in code order). */
export function factorizerColumn(f: ColumnFactorizer, order: Int32Array | null): ColumnData {
  const n = order === null ? f.size : order.length;
  const codeAt = (i: number): number => (order === null ? i : order[i]!);
  let validity: Uint8Array | null = null;
  let nullCount = 0;
  if (f.nullCode >= 0) {
    validity = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) {
      if (codeAt(i) === f.nullCode) nullCount++;
      else validity[i >> 3]! |= 1 << (i & 7);
    }
    if (nullCount === 0) validity = null;
  }
  switch (f.dtype) {
    case 'float64': {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = codeAt(i) === f.nullCode ? 0 : f.floats[codeAt(i)]!;
      return { dtype: 'float64', length: n, nullCount, validity, values };
    }
    case 'int32': {
      const values = new Int32Array(n);
      for (let i = 0; i < n; i++) values[i] = codeAt(i) === f.nullCode ? 0 : f.ints[codeAt(i)]!;
      return { dtype: 'int32', length: n, nullCount, validity, values };
    }
    case 'int64': {
      const words = new Int32Array(2 * n);
      for (let i = 0; i < n; i++) {
        const c = codeAt(i);
        if (c === f.nullCode) continue;
        words[2 * i] = f.ints[2 * c]!;
        words[2 * i + 1] = f.ints[2 * c + 1]!;
      }
      return { dtype: 'int64', length: n, nullCount, validity, values: new BigInt64Array(words.buffer) };
    }
    case 'bool': {
      const values = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) if (codeAt(i) !== f.nullCode && f.ints[codeAt(i)] === 1) values[i >> 3]! |= 1 << (i & 7);
      return { dtype: 'bool', length: n, nullCount, validity, values };
    }
    case 'string':
    case 'category': {
      const offsets = new Int32Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const c = codeAt(i);
        total += f.offsets[c + 1]! - f.offsets[c]!;
        offsets[i + 1] = total;
      }
      const data = new Uint8Array(total);
      for (let i = 0; i < n; i++) {
        const c = codeAt(i);
        data.set(f.bytes.subarray(f.offsets[c]!, f.offsets[c + 1]!), offsets[i]!);
      }
      if (f.dtype === 'string') return { dtype: 'string', length: n, nullCount, validity, offsets, data };
      // A category column: its dictionary is the distinct non-null values, in this order.
      const decoder = new TextDecoder();
      const dictionary: string[] = [];
      const indices = new Int32Array(n);
      const entryOf = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const c = codeAt(i);
        if (c === f.nullCode) continue;
        let e = entryOf.get(c);
        if (e === undefined) {
          e = dictionary.push(decoder.decode(data.subarray(offsets[i]!, offsets[i + 1]!))) - 1;
          entryOf.set(c, e);
        }
        indices[i] = e;
      }
      return { dtype: 'category', length: n, nullCount, validity, indices, dictionary };
    }
  }
}

/** The unique keys, one row per group in group-id order. */
export function groupKeys(table: GroupTable, names: readonly string[]): ColumnBatch {
  return {
    length: table.groups,
    names: [...names],
    columns: table.keys.map((f, k) => factorizerColumn(f, codesOfKey(table, k))),
  };
}

/** Per key column, each group's code (for sorting groups by their keys without materializing). */
export function groupKeyCodes(table: GroupTable): Int32Array[] {
  return table.keys.map((f, k) => codesOfKey(table, k) ?? identity(f.size));
}

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
