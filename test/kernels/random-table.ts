import type { DType } from '../../src/core/dtypes.js';
import { schemaOf, type Schema } from '../../src/core/schema.js';
import type { Scalar } from '../../src/expr/index.js';
import { rng } from '../helpers.js';
import { batchOf } from './columns.js';

/**
 * A random table with nulls in most columns, the same data as a ColumnBatch and as a DuckDB
 * table: ints with zeros (division, mod), int64 beyond 2^53, floats on a binary grid (exact
 * halves for rounding), bools, strings with quotes, backslashes, newlines and non-ASCII, a
 * category column, and columns without nulls (no validity bitmap).
 */

export const STRINGS = ['', 'a', 'abc', 'abcabc', 'ABC', 'SFO', 'LAX', 'héllo', 'Ünïcödé', 'x"y', "it's", 'back\\slash', 'new\nline', 'emoji😀', 'Straw', '42', '-7'];
export const CATEGORIES = ['SFO', 'LAX', 'JFK', 'ORD', 'héllo'];

const COLUMNS: { name: string; dtype: DType; sql: string; nullRate: number; make: (r: () => number) => Scalar }[] = [
  { name: 'i', dtype: 'int32', sql: 'INTEGER', nullRate: 0.15, make: (r) => Math.floor(r() * 101) - 50 },
  { name: 'j', dtype: 'int32', sql: 'INTEGER', nullRate: 0.15, make: (r) => Math.floor(r() * 11) - 5 },
  { name: 'k', dtype: 'int32', sql: 'INTEGER', nullRate: 0, make: (r) => Math.floor(r() * 2001) - 1000 },
  {
    name: 'big',
    dtype: 'int64',
    sql: 'BIGINT',
    nullRate: 0.15,
    make: (r) => (r() < 0.2 ? 9007199254740993n + BigInt(Math.floor(r() * 5)) : BigInt(Math.floor((r() - 0.5) * 2 ** 41))),
  },
  { name: 'x', dtype: 'float64', sql: 'DOUBLE', nullRate: 0.15, make: (r) => Math.floor((r() - 0.5) * 320) / 8 },
  { name: 'y', dtype: 'float64', sql: 'DOUBLE', nullRate: 0.15, make: (r) => Math.floor((r() - 0.5) * 24) / 4 },
  { name: 'b', dtype: 'bool', sql: 'BOOLEAN', nullRate: 0.2, make: (r) => r() < 0.5 },
  { name: 'c', dtype: 'bool', sql: 'BOOLEAN', nullRate: 0.2, make: (r) => r() < 0.5 },
  { name: 's', dtype: 'string', sql: 'VARCHAR', nullRate: 0.15, make: (r) => STRINGS[Math.floor(r() * STRINGS.length)]! },
  { name: 't', dtype: 'string', sql: 'VARCHAR', nullRate: 0, make: (r) => STRINGS[Math.floor(r() * STRINGS.length)]! },
  { name: 'cat', dtype: 'category', sql: 'VARCHAR', nullRate: 0.15, make: (r) => CATEGORIES[Math.floor(r() * CATEGORIES.length)]! },
];

export interface RandomTable {
  schema: Schema;
  columns: Record<string, { dtype: DType; values: Scalar[] }>;
  /** SQL that creates and fills table t (with an id column 0..n-1). */
  sql: string;
}

export function randomTable(rows: number, seed: number): RandomTable {
  const r = rng(seed);
  const columns: RandomTable['columns'] = { id: { dtype: 'int32', values: Array.from({ length: rows }, (_, i) => i) } };
  for (const c of COLUMNS) columns[c.name] = { dtype: c.dtype, values: Array.from({ length: rows }, () => (r() < c.nullRate ? null : c.make(r))) };
  const names = Object.keys(columns);
  const create = `CREATE TABLE t (id INTEGER, ${COLUMNS.map((c) => `${c.name} ${c.sql}`).join(', ')});`;
  const tuples = Array.from({ length: rows }, (_, i) => `(${names.map((n) => sqlLiteral(columns[n]!.values[i]!)).join(', ')})`);
  return {
    schema: schemaOf(names, Object.fromEntries(names.map((n) => [n, columns[n]!.dtype]))),
    columns,
    sql: `${create}\nINSERT INTO t VALUES ${tuples.join(',\n')};`,
  };
}

export function tableBatch(table: RandomTable) {
  return batchOf(table.columns);
}

export function sqlLiteral(v: Scalar): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return `'${v.replaceAll("'", "''")}'`;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : `${v}::DOUBLE`;
  return String(v);
}
