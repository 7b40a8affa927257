import type { Data, Table } from 'apache-arrow';
import type { ColumnData } from './column-data.js';
import type { DType } from './dtypes.js';
import { DuskSchemaError } from './errors.js';
import { arrowModule } from './to-arrow.js';

/**
 * Arrow columns as Dusk's ColumnData (the reverse of to-arrow.ts): the Parquet reader's decoded
 * row groups and ddf.fromArrow's tables. Buffers are used as they are where the layouts agree
 * (float64, int32, int64, bool, utf8 at offset 0); other widths are widened with one copy.
 * Works on arrow's Type ids; arrow itself is used only for types without a fast path.
 */

// apache-arrow's Type enum values (stable across its releases; the module is not loaded here).
const TYPE = { Int: 2, Float: 3, Binary: 4, Utf8: 5, Bool: 6, LargeUtf8: 20, Dictionary: -1 } as const;

/** An Arrow type Dusk reads as `dtype`, or null when it has no Dusk dtype. */
export function dtypeOfArrowType(type: { typeId: number; bitWidth?: number; isSigned?: boolean; precision?: number; dictionary?: { typeId: number } }): DType | null {
  switch (type.typeId) {
    case TYPE.Int:
      if (type.isSigned) return type.bitWidth === 64 ? 'int64' : 'int32';
      return type.bitWidth! <= 16 ? 'int32' : type.bitWidth === 32 ? 'int64' : null;
    case TYPE.Float:
      return 'float64';
    case TYPE.Bool:
      return 'bool';
    case TYPE.Utf8:
    case TYPE.LargeUtf8:
      return 'string';
    case TYPE.Dictionary:
      return type.dictionary && (type.dictionary.typeId === TYPE.Utf8 || type.dictionary.typeId === TYPE.LargeUtf8) ? 'category' : null;
    default:
      return null;
  }
}

/** The validity bits of rows [offset, offset+length) starting at bit 0 (a view when byte aligned). */
function validityOf(data: Data): Uint8Array | null {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return null;
  return bitsFrom(data.nullBitmap, data.offset, data.length);
}

function bitsFrom(bits: Uint8Array, offset: number, length: number): Uint8Array {
  if ((offset & 7) === 0) return bits.subarray(offset >> 3, (offset + length + 7) >> 3);
  const out = new Uint8Array((length + 7) >> 3);
  for (let i = 0; i < length; i++) {
    const j = offset + i;
    if (bits[j >> 3]! & (1 << (j & 7))) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

const encoder = new TextEncoder();

/** A column of strings from any Arrow vector (utf8 fast path; else value by value). */
function stringColumn(chunk: Data, validity: Uint8Array | null): Extract<ColumnData, { dtype: 'string' }> {
  const { length, offset } = chunk;
  if (chunk.typeId === TYPE.Utf8) {
    const offsets = (chunk.valueOffsets as Int32Array).subarray(offset, offset + length + 1);
    const base = offsets[0]!;
    const rebased = base === 0 ? offsets : offsets.map((o) => o - base);
    const data = (chunk.values as Uint8Array).subarray(base, offsets[length]!);
    return { dtype: 'string', length, nullCount: validity === null ? 0 : chunk.nullCount, validity, offsets: rebased, data };
  }
  const parts: Uint8Array[] = [];
  const offsets = new Int32Array(length + 1);
  let bytes = 0;
  for (let i = 0; i < length; i++) {
    const value = chunk.nullCount > 0 && validity !== null && !(validity[i >> 3]! & (1 << (i & 7))) ? null : (chunkValue(chunk, i) as string | null);
    if (value !== null) {
      const encoded = encoder.encode(value);
      parts.push(encoded);
      bytes += encoded.length;
    }
    offsets[i + 1] = bytes;
  }
  const data = new Uint8Array(bytes);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return { dtype: 'string', length, nullCount: validity === null ? 0 : chunk.nullCount, validity, offsets, data };
}

/** One value of a chunk (the slow path), through arrow's own getters. */
function chunkValue(chunk: Data, i: number): unknown {
  return arrowModule().makeVector(chunk).get(i);
}

/**
 * One Arrow chunk as a column of `dtype`. `where` names the column (and file) for errors.
 * Category dictionaries are the chunk's own (callers that need one dictionary across chunks
 * remap; see categoryColumns).
 */
export function columnFromArrow(chunk: Data, dtype: DType, where: string): ColumnData {
  const validity = validityOf(chunk);
  const nullCount = validity === null ? 0 : chunk.nullCount;
  const { length, offset } = chunk;
  const type = chunk.type as unknown as { typeId: number; bitWidth?: number; isSigned?: boolean };
  const values = chunk.values as ArrayLike<number | bigint> & { subarray(a: number, b: number): never };
  switch (dtype) {
    case 'float64':
      if (type.typeId === TYPE.Float && values instanceof Float64Array) return { dtype, length, nullCount, validity, values: values.subarray(offset, offset + length) };
      if (type.typeId === TYPE.Float || type.typeId === TYPE.Int) {
        const out = new Float64Array(length);
        for (let i = 0; i < length; i++) out[i] = Number(values[offset + i]!);
        return { dtype, length, nullCount, validity, values: out };
      }
      break;
    case 'int32':
      if (type.typeId === TYPE.Int && values instanceof Int32Array) return { dtype, length, nullCount, validity, values: values.subarray(offset, offset + length) };
      if (type.typeId === TYPE.Int && (type.bitWidth ?? 64) <= 16) {
        const out = new Int32Array(length);
        for (let i = 0; i < length; i++) out[i] = Number(values[offset + i]!);
        return { dtype, length, nullCount, validity, values: out };
      }
      break;
    case 'int64':
      if (type.typeId === TYPE.Int && values instanceof BigInt64Array) return { dtype, length, nullCount, validity, values: values.subarray(offset, offset + length) };
      if (type.typeId === TYPE.Int && (type.bitWidth ?? 64) <= 32) {
        const out = new BigInt64Array(length);
        for (let i = 0; i < length; i++) out[i] = BigInt(values[offset + i]!);
        return { dtype, length, nullCount, validity, values: out };
      }
      break;
    case 'bool':
      if (type.typeId === TYPE.Bool) return { dtype, length, nullCount, validity, values: bitsFrom(chunk.values as Uint8Array, offset, length) };
      break;
    case 'string':
      return stringColumn(chunk, validity);
    case 'category':
      if (chunk.dictionary !== undefined && chunk.dictionary.data.length === 1) {
        const decoded = utf8Strings(stringColumn(chunk.dictionary.data[0]!, null));
        const raw = chunk.values as ArrayLike<number>;
        const indices = raw instanceof Int32Array ? raw.subarray(offset, offset + length) : Int32Array.from({ length }, (_, i) => Number(raw[offset + i]!));
        return { dtype, length, nullCount, validity, indices, dictionary: decoded };
      }
      return toCategory(stringColumn(chunk, validity));
  }
  throw new DuskSchemaError(`${where}: Arrow type ${String(chunk.type)} cannot be read as ${dtype}`);
}

const decoder = new TextDecoder();

function utf8Strings(col: Extract<ColumnData, { dtype: 'string' }>): string[] {
  const out: string[] = [];
  for (let i = 0; i < col.length; i++) out.push(decoder.decode(col.data.subarray(col.offsets[i]!, col.offsets[i + 1]!)));
  return out;
}

/** A string column as a category column (dictionary in first-seen order). */
export function toCategory(col: Extract<ColumnData, { dtype: 'string' }>): Extract<ColumnData, { dtype: 'category' }> {
  const codes = new Map<string, number>();
  const dictionary: string[] = [];
  const indices = new Int32Array(col.length);
  for (let i = 0; i < col.length; i++) {
    if (col.validity !== null && !(col.validity[i >> 3]! & (1 << (i & 7)))) continue;
    const s = decoder.decode(col.data.subarray(col.offsets[i]!, col.offsets[i + 1]!));
    let code = codes.get(s);
    if (code === undefined) {
      code = dictionary.push(s) - 1;
      codes.set(s, code);
    }
    indices[i] = code;
  }
  return { dtype: 'category', length: col.length, nullCount: col.nullCount, validity: col.validity, indices, dictionary };
}

/** The columns of a table's chunks, with each column's Dusk dtype; an unsupported type is named. */
export function dtypesOfTable(table: Table, where: string): Record<string, DType> {
  const dtypes: Record<string, DType> = {};
  for (const field of table.schema.fields) {
    const dtype = dtypeOfArrowType(field.type as never);
    if (dtype === null) throw new DuskSchemaError(`${where}: column '${field.name}' has Arrow type ${String(field.type)}, which Dusk does not support (it reads ints, floats, bools, utf8 strings and utf8 dictionaries)`);
    dtypes[field.name] = dtype;
  }
  return dtypes;
}
