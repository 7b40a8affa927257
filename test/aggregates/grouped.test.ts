/**
 * Grouped aggregation against DuckDB on random data with nulls, for keys of every dtype and
 * every aggregate, and the same result to the bit for every chunking (partitions and batches).
 * DuckDB's float sums are not exact, so float sum/mean/var are held to the bit against an exact
 * oracle (Python Fraction, rounded once) and to DuckDB within a tolerance.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnBatch } from '../../src/core/column-data.js';
import type { Schema } from '../../src/core/schema.js';
import {
  accumulateBatch, type AggregateSpec, finalizeGrouped, type FinalizeOptions, type GroupedPartial, mergeGrouped, newGroupedAccumulator, partialOf,
} from '../../src/aggregates/grouped.js';
import {
  type AggregatePartial, interleaveLanes, isDeferred, mergeLane, mergeOrDefer, piecesOfLane, splitIntoLanes,
} from '../../src/aggregates/lanes.js';
import { rng } from '../helpers.js';
import { exactMoments } from '../kernels/oracle.js';
import { batchOf, type Cell, loadIntoDuckDB, randomTable, rowsOf, type Table } from './data.js';

const table = randomTable(6000, 21);
const schema: Schema = { columns: table.names, dtypes: Object.fromEntries(table.names.map((n, k) => [n, table.dtypes[k]!])) };

const NUMERIC = ['v_float', 'v_dec', 'v_int', 'v_big'];
const ALL_NUMERIC_AGGS = ['count', 'sum', 'mean', 'min', 'max', 'var', 'std', 'nunique', 'first', 'last', 'median', 'quantile'];
const SPECS: AggregateSpec[] = [
  { name: 'n', aggregate: 'len', column: null },
  ...NUMERIC.flatMap((c) => ALL_NUMERIC_AGGS.map((a): AggregateSpec => ({ name: `${a}_${c}`, aggregate: a, column: c, ...(a === 'quantile' ? { q: 0.9 } : {}) }))),
  ...['count', 'nunique', 'min', 'max', 'first', 'last'].map((a): AggregateSpec => ({ name: `${a}_v_str`, aggregate: a, column: 'v_str' })),
  ...['count', 'sum', 'mean', 'min', 'max', 'nunique', 'first', 'last'].map((a): AggregateSpec => ({ name: `${a}_v_bool`, aggregate: a, column: 'v_bool' })),
];

function duckExpression(spec: AggregateSpec): string {
  const c = spec.column!;
  const asNumber = table.dtypes[table.names.indexOf(c)] === 'bool' ? `${c}::INTEGER` : c;
  switch (spec.aggregate) {
    case 'len':
      return 'count(*)';
    case 'count':
      return `count(${c})`;
    case 'sum':
      return `sum(${asNumber})`;
    case 'mean':
      return `avg(${asNumber})`;
    case 'var':
      return `var_samp(${c})`;
    case 'std':
      return `stddev_samp(${c})`;
    case 'nunique':
      return `count(DISTINCT ${c})`;
    case 'first':
      return `first(${c} ORDER BY rn) FILTER (WHERE ${c} IS NOT NULL)`;
    case 'last':
      return `last(${c} ORDER BY rn) FILTER (WHERE ${c} IS NOT NULL)`;
    case 'median':
      return `quantile_cont(${c}, 0.5)`;
    case 'quantile':
      return `quantile_cont(${c}, ${spec.q})`;
    default:
      return `${spec.aggregate}(${c})`;
  }
}

/** Partition sizes and batch sizes; every chunking must give the same bits. */
const CHUNKINGS: { name: string; partitions: number[]; batches: number[] }[] = [
  { name: 'one partition, one batch', partitions: [table.rows], batches: [table.rows] },
  { name: 'partitions of 1000, batches of 97', partitions: [1000], batches: [97] },
  { name: 'uneven partitions and batches', partitions: [1, 2999, 7, 500, 13, 2480], batches: [1, 4096, 33, 2] },
  { name: 'partitions of 61 rows', partitions: [61], batches: [5, 8] },
];

/** How partials are merged: all at once, in a tree of two, or in `n` hash lanes (split_out). */
type Merge = 'flat' | 'tree' | { lanes: number };

function runOurs(keys: string[], chunking: (typeof CHUNKINGS)[number], options: FinalizeOptions, merge: Merge = 'flat'): ColumnBatch {
  const shuffle = rng(99);
  const partials = [];
  for (let start = 0, p = 0; start < table.rows; p++) {
    const end = Math.min(table.rows, start + chunking.partitions[p % chunking.partitions.length]!);
    const acc = newGroupedAccumulator(keys, SPECS, schema);
    for (let b = start, k = 0; b < end; k++) {
      const stop = Math.min(end, b + chunking.batches[k % chunking.batches.length]!);
      accumulateBatch(acc, batchOf(table, b, stop, shuffle));
      b = stop;
    }
    // Partials cross worker threads by structured clone.
    partials.push(structuredClone(partialOf(acc)));
    start = end;
  }
  if (typeof merge === 'object') return runInLanes(keys, partials, options, merge.lanes);
  const half = Math.ceil(partials.length / 2);
  const merged = merge === 'tree' ? mergeGrouped([mergeGrouped(partials.slice(0, half)), mergeGrouped(partials.slice(half))]) : mergeGrouped(partials);
  return finalizeGrouped(structuredClone(merged), options);
}

/**
 * The split_out path as the graph runs it: every other partial cut into lanes where it was
 * made, merge steps of three that defer to the lanes, each lane's pieces merged and finished
 * apart (crossing threads), then interleaved.
 */
function runInLanes(keys: string[], partials: GroupedPartial[], options: FinalizeOptions, lanes: number): ColumnBatch {
  const sealed: AggregatePartial[] = partials.map((p, i) => (i % 2 === 0 ? structuredClone(splitIntoLanes(p, lanes)) : p));
  const steps: AggregatePartial[] = [];
  for (let i = 0; i < sealed.length; i += 3) steps.push(mergeOrDefer(sealed.slice(i, i + 3), i === 0 ? 0 : Infinity));
  const root = mergeOrDefer(steps, Infinity);
  if (!isDeferred(root)) throw new Error('expected the merge to be deferred to the lanes');
  const results = Array.from({ length: lanes }, (_, lane) => structuredClone(mergeLane(structuredClone(piecesOfLane(root, lane, lanes)), options)));
  return interleaveLanes(results, keys.length, options.sort ?? true);
}

/** Exact text of every cell (doubles print round-trip, −0 and NaN distinct). */
function fingerprint(batch: ColumnBatch): string {
  return JSON.stringify(rowsOf(batch).map((row) => row.map((c) => (typeof c === 'number' ? (Object.is(c, -0) ? '-0' : String(c)) : typeof c === 'bigint' ? `${c}n` : c))));
}

/** The reference grouping in plain JS: key text → row numbers, in first-seen order. */
function referenceGroups(keys: string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  const keyColumns = keys.map((k) => table.columns[table.names.indexOf(k)]!);
  for (let r = 0; r < table.rows; r++) {
    const text = JSON.stringify(keyColumns.map((col) => {
      const c = col[r]!;
      return typeof c === 'number' ? (Number.isNaN(c) ? 'NaN' : String(c === 0 ? 0 : c)) : c;
    }));
    const rows = groups.get(text);
    if (rows) rows.push(r);
    else groups.set(text, [r]);
  }
  return groups;
}

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  connection = await instance.connect();
  await loadIntoDuckDB(connection, 't', table);
});

afterAll(() => {
  connection?.closeSync();
  instance?.closeSync();
});

async function duck(keys: string[], dropna: boolean, firstSeenOrder = false): Promise<Cell[][]> {
  const where = dropna && keys.length > 0 ? `WHERE ${keys.map((k) => `${k} IS NOT NULL`).join(' AND ')}` : '';
  const groupBy = keys.length > 0 ? `GROUP BY ${keys.join(', ')}` : '';
  const orderBy = keys.length === 0 ? '' : firstSeenOrder ? 'ORDER BY min(rn)' : `ORDER BY ${keys.map((k) => `${k} NULLS LAST`).join(', ')}`;
  const sql = `SELECT ${[...keys, ...SPECS.map(duckExpression)].join(', ')} FROM t ${where} ${groupBy} ${orderBy}`;
  const reader = await connection.runAndReadAll(sql);
  return reader.getRows() as Cell[][];
}

const GROUPINGS: string[][] = [['k_int'], ['k_str'], ['k_cat'], ['k_float'], ['k_str', 'k_int'], ['k_cat', 'k_float', 'k_int'], []];

function close(a: Cell, b: Cell, tolerance: number, scale: number): boolean {
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b), scale);
}

describe('grouped aggregates: every chunking gives the same bits', () => {
  for (const keys of GROUPINGS) {
    it(`groupBy(${keys.join(', ') || 'nothing'}) with sort and dropna both ways`, () => {
      for (const options of [{ sort: true, dropna: true }, { sort: false, dropna: false }]) {
        const want = fingerprint(runOurs(keys, CHUNKINGS[0]!, options));
        for (const chunking of CHUNKINGS.slice(1)) expect(fingerprint(runOurs(keys, chunking, options)), chunking.name).toBe(want);
        expect(fingerprint(runOurs(keys, CHUNKINGS[2]!, options, 'tree')), 'tree merge').toBe(want);
        if (keys.length === 0) continue;
        for (const lanes of [1, 3, 8]) expect(fingerprint(runOurs(keys, CHUNKINGS[1]!, options, { lanes })), `${lanes} lanes`).toBe(want);
      }
    });
  }
});

describe('grouped aggregates equal DuckDB and the exact oracle', () => {
  for (const keys of GROUPINGS) {
    for (const dropna of [true, false]) {
      it(`groupBy(${keys.join(', ') || 'nothing'}), sorted, dropna ${dropna}`, async () => {
        const ours = rowsOf(runOurs(keys, CHUNKINGS[2]!, { sort: true, dropna }));
        const theirs = await duck(keys, dropna);
        expect(ours.length).toBe(theirs.length);
        // Exact oracle per group for the float moments: (group, column) → values.
        const groups = referenceGroups(keys);
        const keyOf = (row: Cell[]): string => JSON.stringify(row.slice(0, keys.length).map((c) => (typeof c === 'number' ? (Number.isNaN(c) ? 'NaN' : String(c === 0 ? 0 : c)) : c)));
        const sets: number[][] = [];
        const scales: number[] = [];
        for (const row of ours) {
          const rows = groups.get(keyOf(row))!;
          for (const c of NUMERIC) {
            const col = table.columns[table.names.indexOf(c)]!;
            const values = rows.map((r) => col[r]).filter((v): v is number | bigint => v !== null).map(Number);
            sets.push(values);
            scales.push(values.reduce((s, v) => s + Math.abs(v), 0));
          }
        }
        const exact = exactMoments(sets);
        ours.forEach((row, r) => {
          theirs[r]!.slice(0, keys.length).forEach((key, k) => expect(Object.is(row[k], key) || (row[k] === 0 && key === 0), `key ${keys[k]} of row ${r}`).toBe(true));
          SPECS.forEach((spec, s) => {
            const got = row[keys.length + s]!;
            let want = theirs[r]![keys.length + s]!;
            const where = `${spec.name} of group ${JSON.stringify(row.slice(0, keys.length))}`;
            const numeric = NUMERIC.indexOf(spec.column ?? '');
            const oracle = numeric >= 0 ? exact[r * NUMERIC.length + numeric]! : null;
            const scale = numeric >= 0 ? scales[r * NUMERIC.length + numeric]! : 0;
            if (spec.aggregate === 'sum' && want === null) want = typeof got === 'bigint' ? 0n : 0;
            if (typeof want === 'bigint' && typeof got === 'number') want = Number(want);
            if (oracle !== null && typeof got === 'number' && ['sum', 'mean', 'var', 'std'].includes(spec.aggregate) && got !== null) {
              const bits = spec.aggregate === 'sum' ? oracle.sum : spec.aggregate === 'mean' ? oracle.mean : spec.aggregate === 'var' ? oracle.var : Math.sqrt(oracle.var);
              expect(Object.is(got, bits), `${where}: ${got} vs exact ${bits}`).toBe(true);
            }
            if (typeof got === 'number' && typeof want === 'number' && !Object.is(got, want)) {
              const tolerance = spec.aggregate === 'var' || spec.aggregate === 'std' ? 1e-9 : 1e-12;
              expect(close(got, want, tolerance, spec.aggregate === 'sum' || spec.aggregate === 'mean' ? scale / Math.max(1, spec.aggregate === 'mean' ? Number(row[keys.length + SPECS.findIndex((x) => x.aggregate === 'count' && x.column === spec.column)]) : 1) : 0), `${where}: ${got} vs DuckDB ${want}`).toBe(true);
            } else {
              expect(got, where).toEqual(want);
            }
          });
        });
      });
    }
  }

  it('sort=false keeps first-seen order (DuckDB ordered by each group’s first row)', async () => {
    for (const keys of [['k_str'], ['k_cat', 'k_float', 'k_int']]) {
      const ours = rowsOf(runOurs(keys, CHUNKINGS[1]!, { sort: false, dropna: false }));
      // DuckDB shows a group's first key as seen (−0); Dusk shows its canonical value (0).
      const theirs = (await duck(keys, false, true)).map((row) => row.map((c) => (Object.is(c, -0) ? 0 : c)));
      expect(ours.map((row) => row.slice(0, keys.length + 2))).toEqual(theirs.map((row) => row.slice(0, keys.length + 2)));
    }
  });
});

describe('errors', () => {
  it('an aggregate that does not apply names the column, its dtype and what it needs', () => {
    expect(() => newGroupedAccumulator(['k_int'], [{ name: 'm', aggregate: 'mean', column: 'v_str' }], schema)).toThrow(
      "mean(v_str): column 'v_str' is string; mean needs a numeric or bool column (float64, int32, int64, bool)",
    );
    expect(() => newGroupedAccumulator(['k_int'], [{ name: 'q', aggregate: 'quantile', column: 'v_float', q: 1.5 }], schema)).toThrow(/q must be a number in \[0, 1\]; got 1.5/);
    expect(() => newGroupedAccumulator(['k_nope'], [], schema)).toThrow(/Unknown column 'k_nope' in groupBy\(\)/);
    expect(() => newGroupedAccumulator([], [{ name: 'x', aggregate: 'mode', column: 'v_int' }], schema)).toThrow(/unknown aggregate 'mode'; known: count, len, sum/);
    expect(() => newGroupedAccumulator(['k_int'], [{ name: 'k_int', aggregate: 'sum', column: 'v_int' }], schema)).toThrow(/output column 'k_int' appears twice/);
  });
});

export type { Table };
