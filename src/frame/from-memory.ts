import { availableParallelism } from 'node:os';
import type { Table } from 'apache-arrow';
import type { ColumnData } from '../core/column-data.js';
import { DuskSchemaError } from '../core/errors.js';
import { columnFromArrow, dtypesOfTable } from '../core/from-arrow.js';
import { columnFromValues, emptyColumn, type ColumnInput } from '../core/column-from-values.js';
import { isArrowTable } from '../core/to-arrow.js';
import { concatColumns } from '../kernels/concat.js';
import { MemoryTable } from '../sources/memory/memory-source.js';
import { DataFrame } from './data-frame.js';
import { forgetWhenCollected } from './memory-lifetime.js';
import { toSharedMemory } from './shared.js';

export type { ColumnInput } from '../core/column-from-values.js';

export interface FromMemoryOptions {
  /** Row ranges to split the data into; default: one per core, at least 65,536 rows each. */
  npartitions?: number;
}

const MIN_ROWS_PER_PARTITION = 1 << 16;

function defaultPartitions(rows: number): number {
  return Math.max(1, Math.min(availableParallelism(), Math.ceil(rows / MIN_ROWS_PER_PARTITION)));
}

/** A column with its buffers in shared memory (copied once here, unless they already are). */
export function shareColumn(col: ColumnData): ColumnData {
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

/**
 * In-memory columns as a lazy DataFrame: ddf.fromColumns({ x: new Float64Array(n), s: ['a', …] }).
 * The data is copied once into shared memory (typed arrays already in a SharedArrayBuffer are
 * used as they are); worker threads then read that memory, nothing per task.
 */
export function fromColumns(columns: Readonly<Record<string, ColumnInput>>, options: FromMemoryOptions = {}): DataFrame {
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) throw new DuskSchemaError('fromColumns: pass an object of columns, { name: Float64Array | array, … }');
  const data: Record<string, ColumnData> = {};
  for (const [name, input] of Object.entries(columns)) data[name] = shareColumn(columnFromValues(input, `fromColumns: column '${name}'`));
  const rows = Object.values(data)[0]?.length ?? 0;
  return DataFrame.fromSource(forgetWhenCollected(new MemoryTable(data, options.npartitions ?? defaultPartitions(rows), `fromColumns(${Object.keys(data).join(', ')})`)));
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
  return DataFrame.fromSource(forgetWhenCollected(new MemoryTable(data, options.npartitions ?? defaultPartitions(table.numRows), `fromArrow(${table.numRows} rows)`)));
}
