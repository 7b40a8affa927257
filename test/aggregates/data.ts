/**
 * Random tables for the aggregate tests, kept as plain JS arrays (null = missing), cut into
 * ColumnBatches of any size, and loaded into DuckDB with the same values.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnBatch, ColumnData } from '../../src/core/column-data.js';
import type { DType } from '../../src/core/dtypes.js';
import { rng } from '../helpers.js';

export type Cell = number | bigint | string | boolean | null;

export interface Table {
  names: string[];
  dtypes: DType[];
  rows: number;
  columns: Cell[][];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function validityOf(cells: Cell[]): { validity: Uint8Array | null; nullCount: number } {
  const validity = new Uint8Array((cells.length + 7) >> 3);
  let nullCount = 0;
  cells.forEach((c, i) => (c === null ? nullCount++ : (validity[i >> 3]! |= 1 << (i & 7))));
  return nullCount === 0 ? { validity: null, nullCount } : { validity, nullCount };
}

/** A column of cells; category columns get a dictionary of their own, in a shuffled order. */
export function columnOf(dtype: DType, cells: Cell[], shuffle: () => number = Math.random): ColumnData {
  const { validity, nullCount } = validityOf(cells);
  const n = cells.length;
  switch (dtype) {
    case 'float64':
      return { dtype, length: n, nullCount, validity, values: Float64Array.from(cells, (c) => (c === null ? 0 : (c as number))) };
    case 'int32':
      return { dtype, length: n, nullCount, validity, values: Int32Array.from(cells, (c) => (c === null ? 0 : (c as number))) };
    case 'int64':
      return { dtype, length: n, nullCount, validity, values: BigInt64Array.from(cells, (c) => (c === null ? 0n : (c as bigint))) };
    case 'bool': {
      const values = new Uint8Array((n + 7) >> 3);
      cells.forEach((c, i) => c === true && (values[i >> 3]! |= 1 << (i & 7)));
      return { dtype, length: n, nullCount, validity, values };
    }
    case 'string': {
      const parts = cells.map((c) => encoder.encode((c as string | null) ?? ''));
      const offsets = new Int32Array(n + 1);
      parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
      const data = new Uint8Array(offsets[n]!);
      parts.forEach((p, i) => data.set(p, offsets[i]!));
      return { dtype, length: n, nullCount, validity, offsets, data };
    }
    case 'category': {
      const distinct = [...new Set(cells.filter((c): c is string => c !== null))];
      for (let i = distinct.length - 1; i > 0; i--) {
        const j = Math.floor(shuffle() * (i + 1));
        [distinct[i], distinct[j]] = [distinct[j]!, distinct[i]!];
      }
      // An unused entry too: dictionaries may hold values no row has.
      const dictionary = [...distinct, 'unused-entry'];
      const index = new Map(dictionary.map((s, k) => [s, k]));
      return { dtype, length: n, nullCount, validity, indices: Int32Array.from(cells, (c) => (c === null ? 0 : index.get(c as string)!)), dictionary };
    }
  }
}

/** Rows [from, to) as a batch. */
export function batchOf(table: Table, from: number, to: number, shuffle: () => number = Math.random): ColumnBatch {
  return { length: to - from, names: table.names, columns: table.columns.map((cells, k) => columnOf(table.dtypes[k]!, cells.slice(from, to), shuffle)) };
}

/** Row r of an output column as a JS value (categories as their string). */
export function cellOf(col: ColumnData, r: number): Cell {
  if (col.validity !== null && (col.validity[r >> 3]! & (1 << (r & 7))) === 0) return null;
  switch (col.dtype) {
    case 'float64':
    case 'int32':
    case 'int64':
      return col.values[r]!;
    case 'bool':
      return ((col.values[r >> 3]! >> (r & 7)) & 1) === 1;
    case 'string':
      return decoder.decode(col.data.subarray(col.offsets[r]!, col.offsets[r + 1]!));
    case 'category':
      return col.dictionary[col.indices[r]!]!;
  }
}

export function rowsOf(batch: ColumnBatch): Cell[][] {
  return Array.from({ length: batch.length }, (_, r) => batch.columns.map((c) => cellOf(c, r)));
}

const STRINGS = ['', 'a', 'ab', 'abc', 'b', 'B', 'Z', 'é', 'e', 'ée', '日本', '日', 'z\u{1F600}', '\u{FFFD}', 'SFO', 'LAX', 'ORD', 'JFK', 'ATL', 'DEN', 'aa', 'a a', 'a\tb', 'zz', 'Ω'];
const CATEGORIES = ['AA', 'UA', 'DL', 'WN', 'US', 'NW', 'CO', 'HP'];
const FLOAT_KEYS = [1.5, -0, 0, Number.NaN, 2.25, -1e300, 3, 1e-300, -2.5];

/** The test table: keys of every dtype with nulls, numeric/string/bool values with nulls. */
export function randomTable(rows: number, seed: number): Table {
  const r = rng(seed);
  const pick = <T>(pool: readonly T[]): T => pool[Math.floor(r() * pool.length)]!;
  const maybe = (rate: number, make: () => Cell): Cell => (r() < rate ? null : make());
  const spec: [string, DType, () => Cell][] = [
    ['rn', 'int32', () => 0],
    ['k_int', 'int32', () => maybe(0.05, () => Math.floor(r() * 30) - 5)],
    ['k_str', 'string', () => maybe(0.05, () => pick(STRINGS))],
    ['k_cat', 'category', () => maybe(0.05, () => pick(CATEGORIES))],
    ['k_float', 'float64', () => maybe(0.05, () => pick(FLOAT_KEYS))],
    ['v_float', 'float64', () => maybe(0.1, () => (r() < 0.5 ? -1 : 1) * (1 + r()) * 2 ** (Math.floor(r() * 40) - 12))],
    ['v_dec', 'float64', () => maybe(0.1, () => Math.round((r() - 0.4) * 1e6) / 100)],
    ['v_int', 'int32', () => maybe(0.1, () => Math.floor((r() - 0.5) * 2e6))],
    ['v_big', 'int64', () => maybe(0.1, () => BigInt(Math.floor((r() - 0.5) * 2 ** 46)) * 7n)],
    ['v_str', 'string', () => maybe(0.1, () => pick(STRINGS))],
    ['v_bool', 'bool', () => maybe(0.1, () => r() < 0.3)],
  ];
  const columns = spec.map(([, , make]) => Array.from({ length: rows }, make));
  columns[0] = Array.from({ length: rows }, (_, i) => i);
  // Some values cancel others exactly (sums far smaller than their terms).
  const vf = columns[5]!;
  for (let i = 7; i < rows; i += 11) if (vf[i - 7] !== null) vf[i] = -(vf[i - 7] as number);
  return { names: spec.map(([n]) => n), dtypes: spec.map(([, d]) => d), rows, columns };
}

const DUCK_TYPE: Record<DType, string> = { float64: 'DOUBLE', int32: 'INTEGER', int64: 'BIGINT', bool: 'BOOLEAN', string: 'VARCHAR', category: 'VARCHAR' };

/** Creates table `name` in DuckDB with the same rows. */
export async function loadIntoDuckDB(connection: DuckDBConnection, name: string, table: Table): Promise<void> {
  await connection.run(`CREATE OR REPLACE TABLE ${name} (${table.names.map((n, k) => `${n} ${DUCK_TYPE[table.dtypes[k]!]}`).join(', ')})`);
  const appender = await connection.createAppender(name);
  for (let r = 0; r < table.rows; r++) {
    table.columns.forEach((cells, k) => {
      const c = cells[r]!;
      if (c === null) return appender.appendNull();
      switch (table.dtypes[k]) {
        case 'float64':
          return appender.appendDouble(c as number);
        case 'int32':
          return appender.appendInteger(c as number);
        case 'int64':
          return appender.appendBigInt(c as bigint);
        case 'bool':
          return appender.appendBoolean(c as boolean);
        default:
          return appender.appendVarchar(c as string);
      }
    });
    appender.endRow();
  }
  appender.closeSync();
}
