/**
 * Differential suite: seeded random queries (filters with nulls, derived columns, groupBys on
 * 0–2 keys, every aggregate) over generated airline-like shards; Dusk's answers must equal
 * DuckDB's, on sync and threads with 1 and 2 workers, for two partitionings.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { rng, tempDir } from '../helpers.js';

const { col, lit } = ddf;
const CARRIERS = ['AA', 'UA', 'DL', 'WN', 'B6', 'AS', 'NW', 'CO'];
const AIRPORTS = ['SFO', 'LAX', 'ORD', 'ATL', 'JFK', 'SEA', 'DEN', 'BOS', 'MSP', 'DFW', 'PHX', 'IAH'];
const SHARDS = 3;
const ROWS = 3000;

let dir: string;
let remove: () => void;
let connection: Awaited<ReturnType<DuckDBInstance['connect']>>;
let instance: DuckDBInstance;

function writeShards(): void {
  const random = rng(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const maybe = (p: number, v: string) => (random() < p ? 'NA' : v);
  for (let s = 0; s < SHARDS; s++) {
    const lines = ['carrier,origin,dest,dep,arr,dist,cancelled'];
    for (let r = 0; r < ROWS; r++) {
      const dep = Math.round((random() - 0.3) * 200);
      const arr = (dep + (random() - 0.5) * 40).toFixed(2);
      lines.push([maybe(0.02, pick(CARRIERS)), pick(AIRPORTS), pick(AIRPORTS), maybe(0.05, String(dep)), maybe(0.07, arr), String(100 + Math.floor(random() * 2500)), random() < 0.03 ? 'true' : 'false'].join(','));
    }
    writeFileSync(join(dir, `part-${s}.csv`), `${lines.join('\n')}\n`);
  }
}

/** One query in both languages. */
interface Query {
  text: string;
  frame: (df: ddf.DataFrame, splitOut?: number | 'auto') => ddf.DataFrame;
  sql: string;
  keys: string[];
}

const AGGS: { name: string; dusk: (c: string) => ddf.Expr; sql: (c: string) => string; numeric: boolean }[] = [
  { name: 'count', dusk: (c) => col(c).count(), sql: (c) => `count(${c})`, numeric: false },
  { name: 'sum', dusk: (c) => col(c).sum(), sql: (c) => `coalesce(sum(${c}), 0)`, numeric: true },
  { name: 'mean', dusk: (c) => col(c).mean(), sql: (c) => `avg(${c})`, numeric: true },
  { name: 'min', dusk: (c) => col(c).min(), sql: (c) => `min(${c})`, numeric: true },
  { name: 'max', dusk: (c) => col(c).max(), sql: (c) => `max(${c})`, numeric: true },
  { name: 'var', dusk: (c) => col(c).var(), sql: (c) => `var_samp(${c})`, numeric: true },
  { name: 'std', dusk: (c) => col(c).std(), sql: (c) => `stddev_samp(${c})`, numeric: true },
  { name: 'nunique', dusk: (c) => col(c).nunique(), sql: (c) => `count(DISTINCT ${c})`, numeric: false },
  { name: 'median', dusk: (c) => col(c).median(), sql: (c) => `median(${c})`, numeric: true },
  { name: 'q90', dusk: (c) => col(c).quantile(0.9), sql: (c) => `quantile_cont(${c}, 0.9)`, numeric: true },
];

function randomQuery(seed: number): Query {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const k = Math.round((random() - 0.3) * 100);
  const filters: [string, ddf.Expr, string][] = [
    [`dep > ${k}`, col('dep').gt(k), `dep > ${k}`],
    [`arr <= ${k} or dep is null`, col('arr').le(k).or(col('dep').isNull()), `(arr <= ${k} OR dep IS NULL)`],
    [`carrier in AA,UA and not cancelled`, col('carrier').isIn(['AA', 'UA']).and(col('cancelled').not()), `(carrier IN ('AA', 'UA') AND NOT cancelled)`],
    [`dist between 500 and 1500`, col('dist').between(500, 1500), `dist BETWEEN 500 AND 1500`],
    [`origin starts with S or dest = ORD`, col('origin').str.startsWith('S').or(col('dest').eq('ORD')), `(starts_with(origin, 'S') OR dest = 'ORD')`],
  ];
  const filter = random() < 0.7 ? pick(filters) : null;
  const derive = random() < 0.5;
  const keys = pick([[], ['carrier'], ['origin'], ['carrier', 'origin'], ['origin', 'dest']] as string[][]);
  const value = pick(derive ? ['gain', 'dep', 'arr', 'dist'] : ['dep', 'arr', 'dist']);
  const aggs = AGGS.filter(() => random() < 0.5);
  if (aggs.length === 0) aggs.push(AGGS[2]!);
  const selectSql = [...keys, 'count(*) AS n', ...aggs.map((a) => `${a.sql(value)} AS ${a.name}`)].join(', ');
  const where = filter ? `WHERE ${filter[2]}` : '';
  const from = derive ? `(SELECT *, (arr - dep) * 2.5 / 3 AS gain FROM t)` : 't';
  const group = keys.length ? `GROUP BY ${keys.join(', ')} HAVING ${keys.map((key) => `${key} IS NOT NULL`).join(' AND ')}` : '';
  return {
    text: `${filter?.[0] ?? 'all'}${derive ? ' +gain' : ''} by [${keys}] ${aggs.map((a) => a.name)}(${value})`,
    keys,
    frame: (df, splitOut = 'auto') => {
      let q = df;
      if (derive) q = q.withColumns({ gain: col('arr').sub(col('dep')).mul(lit(2.5)).div(3) });
      if (filter) q = q.filter(filter[1]);
      const named = { n: ddf.len(), ...Object.fromEntries(aggs.map((a) => [a.name, a.dusk(value)])) };
      return keys.length ? q.groupBy(keys, { splitOut }).agg(named) : q.select(named);
    },
    sql: `SELECT ${selectSql} FROM ${from} ${where} ${group} ${keys.length ? `ORDER BY ${keys.join(', ')}` : ''}`,
  };
}

function rowsOf(table: { toArray(): unknown[] }): Record<string, unknown>[] {
  return table.toArray().map((r) => ({ ...(r as { toJSON(): Record<string, unknown> }).toJSON() }));
}

function close(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (typeof a === 'string' || typeof b === 'string') return String(a) === String(b);
  return x === y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

beforeAll(async () => {
  ({ dir, remove } = tempDir());
  writeShards();
  instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  connection = await instance.connect();
  await connection.run(
    `CREATE TABLE t AS SELECT * FROM read_csv('${join(dir, '*.csv')}', nullstr = 'NA', header = true,
       columns = {'carrier': 'VARCHAR', 'origin': 'VARCHAR', 'dest': 'VARCHAR', 'dep': 'INTEGER', 'arr': 'DOUBLE', 'dist': 'INTEGER', 'cancelled': 'BOOLEAN'})`,
  );
});

afterAll(async () => {
  connection?.closeSync();
  instance?.closeSync();
  remove?.();
  await ddf.shutdown();
});

describe('random queries equal DuckDB', () => {
  const queries = Array.from({ length: 24 }, (_, i) => randomQuery(1000 + i));
  // The split runs use workers; the whole-file run on threads is small enough to run inline.
  const runs = [
    { scheduler: 'sync' as const, numWorkers: 1, blocksize: null, inlineBelowBytes: 0 },
    { scheduler: 'threads' as const, numWorkers: 1, blocksize: 60_000, inlineBelowBytes: 0 },
    { scheduler: 'threads' as const, numWorkers: 2, blocksize: null, inlineBelowBytes: undefined },
    { scheduler: 'threads' as const, numWorkers: 2, blocksize: 60_000, inlineBelowBytes: 0 },
    // The final merge in hash lanes on the workers (split_out), forced: the data has few groups.
    { scheduler: 'threads' as const, numWorkers: 2, blocksize: 60_000, inlineBelowBytes: 0, splitOut: 3 },
  ];
  for (const [i, q] of queries.entries()) {
    it(`#${i}: ${q.text}`, async () => {
      const want = (await connection.runAndReadAll(q.sql)).getRowObjectsJS() as Record<string, unknown>[];
      let first: Record<string, unknown>[] | null = null;
      for (const run of runs) {
        const df = ddf.readCsv(join(dir, '*.csv'), { blocksize: run.blocksize, dtype: { dep: 'int32', arr: 'float64', dist: 'int32' } });
        const got = rowsOf(await q.frame(df, 'splitOut' in run ? run.splitOut : 'auto').toArrow().compute({ scheduler: run.scheduler, numWorkers: run.numWorkers, inlineBelowBytes: run.inlineBelowBytes }));
        expect(got.length, `${q.sql}`).toBe(want.length);
        got.forEach((row, r) => {
          for (const [name, value] of Object.entries(want[r]!)) expect(close(row[name], value), `${name} row ${r}: ${String(row[name])} vs ${String(value)} (${JSON.stringify(run)})\n${q.sql}`).toBe(true);
        });
        // The same bits on every schedule and partitioning.
        if (first === null) first = got;
        else expect(got).toEqual(first);
      }
    });
  }
});

describe('valueCounts, nunique, describe and sort equal DuckDB', () => {
  const read = () => ddf.readCsv(join(dir, '*.csv'), { blocksize: 60_000, dtype: { dep: 'int32', arr: 'float64', dist: 'int32' } });

  it('valueCounts: by count descending, then by value; nulls not counted', async () => {
    const want = (await connection.runAndReadAll(`SELECT carrier, count(*) AS count FROM t WHERE carrier IS NOT NULL GROUP BY carrier ORDER BY count DESC, carrier`)).getRowObjectsJS();
    const got = rowsOf(await read().col('carrier').valueCounts().toArrow());
    expect(got.map((r) => [r.carrier, Number(r.count)])).toEqual(want.map((r) => [r.carrier, Number(r.count)]));
  });

  it('nunique, median and quantile of a column', async () => {
    const [row] = (await connection.runAndReadAll(`SELECT count(DISTINCT origin) AS u, median(arr) AS m, quantile_cont(dep, 0.1) AS q FROM t`)).getRowObjectsJS();
    const df = read();
    const [u, m, q] = await ddf.compute(df.col('origin').nunique(), df.col('arr').median(), df.col('dep').quantile(0.1));
    expect(u).toBe(Number(row!.u));
    expect(close(m, row!.m)).toBe(true);
    expect(close(q, row!.q)).toBe(true);
  });

  it('describe: count, null_count, mean, std, min, exact percentiles, max of each numeric column', async () => {
    const got = rowsOf(await read().describe().toArrow());
    expect(got.map((r) => r.statistic)).toEqual(['count', 'null_count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max']);
    for (const c of ['dep', 'arr', 'dist']) {
      const [w] = (await connection.runAndReadAll(
        `SELECT count(${c}) AS count, count(*) - count(${c}) AS null_count, avg(${c}) AS mean, stddev_samp(${c}) AS std, min(${c}) AS min,
                quantile_cont(${c}, 0.25) AS p25, median(${c}) AS p50, quantile_cont(${c}, 0.75) AS p75, max(${c}) AS max FROM t`,
      )).getRowObjectsJS();
      const want = [w!.count, w!.null_count, w!.mean, w!.std, w!.min, w!.p25, w!.p50, w!.p75, w!.max];
      got.forEach((r, i) => expect(close(r[c], want[i]), `${c} ${String(r.statistic)}: ${String(r[c])} vs ${String(want[i])}`).toBe(true));
    }
  });

  it('sort by several columns, descending and ascending, nulls last', async () => {
    const want = (await connection.runAndReadAll(`SELECT carrier, origin, n FROM (SELECT carrier, origin, count(*) AS n FROM t GROUP BY ALL) ORDER BY n DESC, carrier ASC NULLS LAST, origin`)).getRowObjectsJS();
    const grouped = read().groupBy(['carrier', 'origin'], { dropna: false }).agg({ n: ddf.len() });
    const got = rowsOf(await grouped.sort(['n', 'carrier', 'origin'], { descending: [true, false, false] }).toArrow());
    expect(got.map((r) => [r.carrier, r.origin, Number(r.n)])).toEqual(want.map((r) => [r.carrier, r.origin, Number(r.n)]));
  });
});
