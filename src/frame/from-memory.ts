import { availableParallelism } from 'node:os';
import type { Table } from 'apache-arrow';
import type { ColumnData } from '../core/column-data.js';
import type { DType } from '../core/dtypes.js';
import { DuskSchemaError } from '../core/errors.js';
import { columnFromArrow, dtypesOfTable } from '../core/from-arrow.js';
import { isArrowTable } from '../core/to-arrow.js';
import { concatColumns } from '../kernels/concat.js';
import { MemoryTable } from '../sources/memory/memory-source.js';
import { DataFrame } from './data-frame.js';
import { toSharedMemory } from './shared.js';

export interface FromMemoryOptions {
  /** Row ranges to split the data into; default: one per core, at least 65,536 rows each. */
  npartitions?: number;
}

/** A column fromColumns accepts. */
export type ColumnInput = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint16Array | Uint8Array | BigInt64Array | readonly (number | null)[] | readonly (string | null)[] | readonly (boolean | null)[];

const MIN_ROWS_PER_PARTITION = 1 << 16;

function defaultPartitions(rows: number): number {
  return Math.max(1, Math.min(availableParallelism(), Math.ceil(rows / MIN_ROWS_PER_PARTITION)));
}

/** A column with its buffers in shared memory (copied once here, unless they already are). */
function shareColumn(col: ColumnData): ColumnData {
  const validity = col.validity === null ? null : toSharedMemory(col.validity);
  switch (col.dtype) {
    case 'float64':
      return { ...col, validity, values: toSharedMemory(col.values) };
    case 'int32':
      return { ...col, validity, values: toSharedMemory(col.values) };
    case 'int64':
      return { ...col, validity, values: toSharedMemory(col.values) };
    case 'bool':
      return { ...col, validity, values: toSharedMemory(col.values) };
    case 'string':
      return { ...col, validity, offsets: toSharedMemory(col.offsets), data: toSharedMemory(col.data) };
    case 'category':
      return { ...col, validity, indices: toSharedMemory(col.indices) };
  }
}

const encoder = new TextEncoder();

function emptyColumn(dtype: DType): ColumnData {
  const common = { length: 0, nullCount: 0, validity: null };
  switch (dtype) {
    case 'float64':
      return { dtype, ...common, values: new Float64Array(0) };
    case 'int32':
      return { dtype, ...common, values: new Int32Array(0) };
    case 'int64':
      return { dtype, ...common, values: new BigInt64Array(0) };
    case 'bool':
      return { dtype, ...common, values: new Uint8Array(0) };
    case 'string':
      return { dtype, ...common, offsets: new Int32Array(1), data: new Uint8Array(0) };
    case 'category':
      return { dtype, ...common, indices: new Int32Array(0), dictionary: [] };
  }
}

/** A JS array or typed array as a column; `name` for errors. */
function columnOf(name: string, input: unknown): ColumnData {
  if (input instanceof Float64Array) return { dtype: 'float64', length: input.length, nullCount: 0, validity: null, values: input };
  if (input instanceof Int32Array) return { dtype: 'int32', length: input.length, nullCount: 0, validity: null, values: input };
  if (input instanceof BigInt64Array) return { dtype: 'int64', length: input.length, nullCount: 0, validity: null, values: input };
  if (input instanceof Float32Array) return { dtype: 'float64', length: input.length, nullCount: 0, validity: null, values: Float64Array.from(input) };
  if (input instanceof Int8Array || input instanceof Int16Array || input instanceof Uint8Array || input instanceof Uint16Array) {
    return { dtype: 'int32', length: input.length, nullCount: 0, validity: null, values: Int32Array.from(input) };
  }
  if (!Array.isArray(input)) {
    const what = ArrayBuffer.isView(input) ? input.constructor.name : input === null ? 'null' : typeof input;
    throw new DuskSchemaError(`fromColumns: column '${name}' is ${what}; pass a Float64Array, Int32Array, BigInt64Array (or a narrower typed array), or an array of numbers, strings or booleans`);
  }
  const length = input.length;
  const kinds = new Set(input.filter((v) => v !== null && v !== undefined).map((v) => typeof v));
  if (kinds.size > 1) throw new DuskSchemaError(`fromColumns: column '${name}' mixes ${[...kinds].join(' and ')} values`);
  const kind = [...kinds][0] ?? 'number';
  const validity = new Uint8Array((length + 7) >> 3);
  let nullCount = 0;
  input.forEach((v, i) => {
    if (v === null || v === undefined) nullCount++;
    else validity[i >> 3]! |= 1 << (i & 7);
  });
  const common = { length, nullCount, validity: nullCount === 0 ? null : validity };
  if (kind === 'number') return { dtype: 'float64', ...common, values: Float64Array.from(input as (number | null)[], (v) => v ?? 0) };
  if (kind === 'boolean') {
    const values = new Uint8Array((length + 7) >> 3);
    (input as (boolean | null)[]).forEach((v, i) => {
      if (v === true) values[i >> 3]! |= 1 << (i & 7);
    });
    return { dtype: 'bool', ...common, values };
  }
  if (kind === 'string') {
    const encoded = (input as (string | null)[]).map((s) => (s === null || s === undefined ? new Uint8Array(0) : encoder.encode(s)));
    const offsets = new Int32Array(length + 1);
    encoded.forEach((e, i) => (offsets[i + 1] = offsets[i]! + e.length));
    const data = new Uint8Array(offsets[length]!);
    encoded.forEach((e, i) => data.set(e, offsets[i]!));
    return { dtype: 'string', ...common, offsets, data };
  }
  throw new DuskSchemaError(`fromColumns: column '${name}' holds ${kind} values; pass numbers, strings or booleans`);
}

/**
 * In-memory columns as a lazy DataFrame: ddf.fromColumns({ x: new Float64Array(n), s: ['a', …] }).
 * The data is copied once into shared memory (typed arrays already in a SharedArrayBuffer are
 * used as they are); worker threads then read that memory, nothing per task.
 */
export function fromColumns(columns: Readonly<Record<string, ColumnInput>>, options: FromMemoryOptions = {}): DataFrame {
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) throw new DuskSchemaError('fromColumns: pass an object of columns, { name: Float64Array | array, … }');
  const data: Record<string, ColumnData> = {};
  for (const [name, input] of Object.entries(columns)) data[name] = shareColumn(columnOf(name, input));
  const rows = Object.values(data)[0]?.length ?? 0;
  return DataFrame.fromSource(new MemoryTable(data, options.npartitions ?? defaultPartitions(rows), `fromColumns(${Object.keys(data).join(', ')})`));
}

/**
 * An Arrow table as a lazy DataFrame (ints, floats, bools, utf8 strings, utf8 dictionaries as
 * category). Its buffers are copied once into shared memory: one column per column, whatever
 * its chunks.
 */
export function fromArrow(table: Table, options: FromMemoryOptions = {}): DataFrame {
  if (!isArrowTable(table)) throw new DuskSchemaError('fromArrow: pass an apache-arrow Table');
  const dtypes = dtypesOfTable(table, 'fromArrow');
  const data: Record<string, ColumnData> = {};
  for (const field of table.schema.fields) {
    const vector = table.getChild(field.name)!;
    const parts = vector.data.map((chunk) => columnFromArrow(chunk, dtypes[field.name]!, `fromArrow, column '${field.name}'`));
    data[field.name] = shareColumn(parts.length === 0 ? emptyColumn(dtypes[field.name]!) : concatColumns(parts));
  }
  return DataFrame.fromSource(new MemoryTable(data, options.npartitions ?? defaultPartitions(table.numRows), `fromArrow(${table.numRows} rows)`));
}
