import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { DType } from '../../core/dtypes.js';
import { DuskIoError } from '../../core/errors.js';
import type { JsonScalar } from '../../expr/ir.js';
import { CompactReader, type ThriftStruct, type ThriftValue } from './thrift-compact.js';
import { dictionaryColumns } from './arrow-schema.js';

/**
 * A Parquet file's footer (its FileMetaData, parquet.thrift), read with a few positioned reads:
 * the schema, the row groups with their sizes and per-column min/max statistics. What readParquet
 * plans with (dtypes, partitions, row-group skipping); the data itself is decoded by the
 * parquet-wasm adapter in the workers.
 */

/** Physical types (parquet.thrift `Type`). */
const PHYSICAL = ['BOOLEAN', 'INT32', 'INT64', 'INT96', 'FLOAT', 'DOUBLE', 'BYTE_ARRAY', 'FIXED_LEN_BYTE_ARRAY'] as const;
/** Converted types (parquet.thrift `ConvertedType`), by value. */
const CONVERTED = ['UTF8', 'MAP', 'MAP_KEY_VALUE', 'LIST', 'ENUM', 'DECIMAL', 'DATE', 'TIME_MILLIS', 'TIME_MICROS', 'TIMESTAMP_MILLIS', 'TIMESTAMP_MICROS', 'UINT_8', 'UINT_16', 'UINT_32', 'UINT_64', 'INT_8', 'INT_16', 'INT_32', 'INT_64', 'JSON', 'BSON', 'INTERVAL'] as const;
/** Logical types (the `LogicalType` union), by field id. */
const LOGICAL: Record<number, string> = { 1: 'STRING', 2: 'MAP', 3: 'LIST', 4: 'ENUM', 5: 'DECIMAL', 6: 'DATE', 7: 'TIME', 8: 'TIMESTAMP', 10: 'INTEGER', 11: 'UNKNOWN', 12: 'JSON', 13: 'BSON', 14: 'UUID', 15: 'FLOAT16', 16: 'VARIANT', 17: 'GEOMETRY', 18: 'GEOGRAPHY' };

export interface ParquetColumn {
  name: string;
  /** The Dusk dtype it is read as, or null when Dusk cannot read it (see `type`). */
  dtype: DType | null;
  /** The Parquet type in words, for errors: "INT64 (TIMESTAMP)", "group (LIST)". */
  type: string;
}

/** Min/max of one column chunk's non-null values (int64 as a decimal string), null when unknown. */
export interface ColumnStats {
  min: JsonScalar;
  max: JsonScalar;
  nullCount: number | null;
}

export interface RowGroupInfo {
  numRows: number;
  /** Compressed bytes of each top-level column's chunk. */
  bytes: Record<string, number>;
  stats: Record<string, ColumnStats>;
}

export interface ParquetFooter {
  numRows: number;
  columns: ParquetColumn[];
  rowGroups: RowGroupInfo[];
}

function field<V extends ThriftValue>(s: ThriftStruct, id: number): V | undefined {
  return s.get(id) as V | undefined;
}

function num(v: ThriftValue | undefined): number | undefined {
  return v === undefined ? undefined : Number(v as number | bigint);
}

const decoder = new TextDecoder();

interface TypeInfo {
  physical: number;
  converted: number | undefined;
  logical: string | undefined;
  /** INTEGER logical type's width and sign. */
  intBits: number | undefined;
  signed: boolean;
}

function dtypeOf(t: TypeInfo): DType | null {
  const c = t.converted === undefined ? undefined : CONVERTED[t.converted];
  const logical = t.logical;
  switch (PHYSICAL[t.physical]) {
    case 'BOOLEAN':
      return 'bool';
    case 'INT32':
      if (logical === 'INTEGER') return t.signed || t.intBits! <= 16 ? 'int32' : 'int64';
      if (logical !== undefined || (c !== undefined && !['INT_8', 'INT_16', 'INT_32', 'UINT_8', 'UINT_16', 'UINT_32'].includes(c))) return null;
      return c === 'UINT_32' ? 'int64' : 'int32';
    case 'INT64':
      if (logical === 'INTEGER') return t.signed ? 'int64' : null;
      return logical === undefined && (c === undefined || c === 'INT_64') ? 'int64' : null;
    case 'FLOAT':
    case 'DOUBLE':
      return logical === undefined ? 'float64' : null;
    case 'BYTE_ARRAY':
      return logical === 'STRING' || logical === 'ENUM' || logical === 'JSON' || c === 'UTF8' || c === 'ENUM' || c === 'JSON' ? 'string' : null;
    default:
      return null;
  }
}

function typeWords(t: TypeInfo): string {
  const extra = t.logical ?? (t.converted === undefined ? undefined : CONVERTED[t.converted]);
  return `${PHYSICAL[t.physical] ?? `type ${t.physical}`}${extra === undefined ? '' : ` (${extra})`}`;
}

/** A statistics value as plain data in the column's Dusk dtype; null when it cannot be used. */
function statValue(bytes: Uint8Array | undefined, t: TypeInfo, dtype: DType): JsonScalar {
  if (bytes === undefined) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (PHYSICAL[t.physical]) {
    case 'BOOLEAN':
      return bytes.length >= 1 ? bytes[0] !== 0 : null;
    case 'INT32':
      if (bytes.length < 4) return null;
      return t.signed || dtype === 'int32' ? view.getInt32(0, true) : String(view.getUint32(0, true));
    case 'INT64':
      return bytes.length < 8 ? null : String(view.getBigInt64(0, true));
    case 'FLOAT': {
      const v = bytes.length < 4 ? NaN : view.getFloat32(0, true);
      return Number.isFinite(v) ? v : null;
    }
    case 'DOUBLE': {
      const v = bytes.length < 8 ? NaN : view.getFloat64(0, true);
      return Number.isFinite(v) ? v : null;
    }
    case 'BYTE_ARRAY':
      return decoder.decode(bytes);
    default:
      return null;
  }
}

/** Parses the FileMetaData struct of `path`'s footer. */
export function parseFooter(meta: ThriftStruct, path: string): ParquetFooter {
  const schema = (field<ThriftStruct[]>(meta, 2) ?? []) as ThriftStruct[];
  const columns: ParquetColumn[] = [];
  const types = new Map<string, TypeInfo>();
  // schema[0] is the root; its children follow depth-first. Only top-level leaves are columns Dusk reads.
  for (let i = 1; i < schema.length; ) {
    const el = schema[i]!;
    const name = decoder.decode(field<Uint8Array>(el, 4) ?? new Uint8Array());
    const children = num(field(el, 5)) ?? 0;
    const logicalStruct = field<ThriftStruct>(el, 10);
    const logicalId = logicalStruct ? [...logicalStruct.keys()][0] : undefined;
    const logical = logicalId === undefined ? undefined : (LOGICAL[logicalId] ?? `logical type ${logicalId}`);
    const converted = num(field(el, 6));
    if (children > 0) {
      const what = logical ?? (converted === undefined ? undefined : CONVERTED[converted]);
      columns.push({ name, dtype: null, type: `group${what ? ` (${what})` : ''} of ${children} fields` });
      // Skip the whole subtree.
      let pending = children;
      i++;
      while (pending > 0 && i < schema.length) {
        pending += (num(field(schema[i]!, 5)) ?? 0) - 1;
        i++;
      }
      continue;
    }
    const intType = logicalId === 10 ? logicalStruct!.get(10) as ThriftStruct : undefined;
    const info: TypeInfo = {
      physical: num(field(el, 1)) ?? -1,
      converted,
      logical,
      intBits: intType ? num(field(intType, 1)) : undefined,
      signed: intType ? field<boolean>(intType, 2) !== false : converted === undefined || !CONVERTED[converted]!.startsWith('UINT'),
    };
    const repeated = num(field(el, 3)) === 2;
    columns.push({ name, dtype: repeated ? null : dtypeOf(info), type: repeated ? `repeated ${typeWords(info)}` : typeWords(info) });
    types.set(name, info);
    i++;
  }
  const rowGroups: RowGroupInfo[] = [];
  for (const rg of (field<ThriftStruct[]>(meta, 4) ?? []) as ThriftStruct[]) {
    const info: RowGroupInfo = { numRows: num(field(rg, 3)) ?? 0, bytes: {}, stats: {} };
    for (const chunk of (field<ThriftStruct[]>(rg, 1) ?? []) as ThriftStruct[]) {
      const md = field<ThriftStruct>(chunk, 3);
      if (!md) throw new DuskIoError(`${path}: a column chunk has no metadata (a file whose column chunks live in other files is not supported)`, { path });
      const pathInSchema = ((field<Uint8Array[]>(md, 3) ?? []) as Uint8Array[]).map((p) => decoder.decode(p));
      const top = pathInSchema[0] ?? '';
      info.bytes[top] = (info.bytes[top] ?? 0) + (num(field(md, 7)) ?? 0);
      const t = types.get(top);
      const dtype = columns.find((c) => c.name === top)?.dtype;
      const st = field<ThriftStruct>(md, 12);
      if (pathInSchema.length !== 1 || !t || !dtype || !st) continue;
      // min_value/max_value (5, 6) are ordered by the column's logical order; the deprecated
      // min/max (2, 1) are signed-byte ordered, usable only for numbers and bools.
      const numeric = PHYSICAL[t.physical] !== 'BYTE_ARRAY';
      const minBytes = field<Uint8Array>(st, 6) ?? (numeric ? field<Uint8Array>(st, 2) : undefined);
      const maxBytes = field<Uint8Array>(st, 5) ?? (numeric ? field<Uint8Array>(st, 1) : undefined);
      const nullCount = num(field(st, 3));
      info.stats[top] = { min: statValue(minBytes, t, dtype), max: statValue(maxBytes, t, dtype), nullCount: nullCount ?? null };
    }
    rowGroups.push(info);
  }
  // Text that was a dictionary (a category) in Arrow comes back as a category (FileMetaData.key_value_metadata, 5).
  for (const kv of (field<ThriftStruct[]>(meta, 5) ?? []) as ThriftStruct[]) {
    if (decoder.decode(field<Uint8Array>(kv, 1) ?? new Uint8Array()) !== 'ARROW:schema') continue;
    const dictionaries = dictionaryColumns(decoder.decode(field<Uint8Array>(kv, 2) ?? new Uint8Array()));
    for (const c of columns) if (c.dtype === 'string' && dictionaries.has(c.name)) c.dtype = 'category';
  }
  return { numRows: num(field(meta, 3)) ?? 0, columns, rowGroups };
}

/** Footers are at most this large here (a footer of many thousand columns × row groups). */
const MAX_FOOTER_BYTES = 256 << 20;

/** Reads and parses `path`'s footer; a missing, short or non-Parquet file is a DuskIoError naming it. */
export function readFooter(path: string): { footer: ParquetFooter; size: number; mtimeMs: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    throw new DuskIoError(`readParquet: cannot open '${path}': ${(cause as Error).message}`, { path }, { cause });
  }
  try {
    const stat = fstatSync(fd);
    const notParquet = (why: string): DuskIoError => new DuskIoError(`${path}: not a Parquet file (${why})`, { path });
    if (stat.size < 12) throw notParquet(`${stat.size} bytes, too short`);
    const tail = new Uint8Array(8);
    readSync(fd, tail, 0, 8, stat.size - 8);
    const magic = decoder.decode(tail.subarray(4));
    if (magic !== 'PAR1') throw notParquet(magic === 'PARE' ? 'its footer is encrypted' : 'no PAR1 magic at its end');
    const length = new DataView(tail.buffer).getUint32(0, true);
    if (length > stat.size - 12 || length > MAX_FOOTER_BYTES) throw notParquet(`its footer length ${length} does not fit the file's ${stat.size} bytes`);
    const bytes = new Uint8Array(length);
    readSync(fd, bytes, 0, length, stat.size - 8 - length);
    let footer: ParquetFooter;
    try {
      footer = parseFooter(new CompactReader(bytes).struct(), path);
    } catch (cause) {
      if (cause instanceof DuskIoError) throw cause;
      throw new DuskIoError(`${path}: corrupt Parquet footer: ${(cause as Error).message}`, { path, offset: stat.size - 8 - length }, { cause });
    }
    return { footer, size: stat.size, mtimeMs: stat.mtimeMs };
  } finally {
    closeSync(fd);
  }
}
