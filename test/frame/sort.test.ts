/**
 * The partitioned sort, top-k (sort().head(n), nlargest, nsmallest), dropDuplicates and sample
 * against DuckDB on the same rows: every row carries its input position `rn`, so a sort's exact
 * order (ties in input order) is DuckDB's ORDER BY keys, rn. Each query also runs on sync,
 * threads and processes (workers forced) and for 1, 3 and 7 partitions: the same rows in the
 * same order every time.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { errorOf, rng, tempDir } from '../helpers.js';

const { col } = ddf;
const ROWS = 2400;
const WORDS = ['b', 'a', 'Zulu', 'é', 'ab', 'a b', '', 'é2', 'zz'];

interface Data {
  rn: number[];
  i: (number | null)[];
  f: (number | null)[];
  s: (string | null)[];
}

function makeData(): Data {
  const random = rng(13);
  const data: Data = { rn: [], i: [], f: [], s: [] };
  for (let r = 0; r < ROWS; r++) {
    data.rn.push(r);
    data.i.push(random() < 0.05 ? null : Math.floor(random() * 12) - 4);
    const u = random();
    data.f.push(u < 0.04 ? null : u < 0.08 ? NaN : Math.round((random() - 0.5) * 40) / 2);
    data.s.push(random() < 0.06 ? null : WORDS[Math.floor(random() * WORDS.length)]!);
  }
  return data;
}

let data: Data;
let dir: string;
let remove: () => void;
let instance: DuckDBInstance;
let connection: Awaited<ReturnType<DuckDBInstance['connect']>>;

/** The rows as a frame of `parts` partitions (one in-memory frame per slice, concatenated); c is s as a category, its dictionary per partition. */
function frame(parts: number): ddf.DataFrame {
  const size = Math.ceil(ROWS / parts);
  const frames = Array.from({ length: parts }, (_, p) => {
    const slice = <T>(xs: T[]) => xs.slice(p * size, (p + 1) * size);
    return ddf.fromColumns({ rn: Int32Array.from(slice(data.rn)), i: slice(data.i), f: slice(data.f), s: slice(data.s) }, { npartitions: 1 });
  });
  return ddf.concat(frames).withColumns({ i: col('i').cast('int32'), c: col('s').cast('category') });
}

async function duck(sql: string): Promise<number[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS().map((r) => Number(r.rn));
}

function rnOf(table: { getChild(name: string): { toArray(): ArrayLike<unknown> } | null }): number[] {
  return Array.from(table.getChild('rn')!.toArray(), Number);
}

const RUNS = [
  { scheduler: 'sync' as const },
  { scheduler: 'threads' as const, numWorkers: 2, inlineBelowBytes: 0 },
  { scheduler: 'processes' as const, numWorkers: 2, inlineBelowBytes: 0 },
];
const PARTS = [1, 3, 7];

/**
 * Each query's rn column on every run and partitioning; all must be equal (as sets across
 * partitionings when `orderByPartitioning`: dropDuplicates' buckets depend on them). Returns
 * the first run's.
 */
async function everywhere(queries: ((df: ddf.DataFrame) => ddf.LazyTable)[], orderByPartitioning = false): Promise<number[][]> {
  let first: number[][] | null = null;
  const same = (rows: number[]) => (orderByPartitioning ? [...rows].sort((a, b) => a - b) : rows);
  for (const parts of PARTS) {
    const df = frame(parts);
    let partitioningFirst: number[][] | null = null;
    for (const run of RUNS) {
      const tables = (await ddf.compute(...queries.map((q) => q(df)), run)) as Parameters<typeof rnOf>[0][];
      const got = tables.map(rnOf);
      if (partitioningFirst === null) partitioningFirst = got;
      else got.forEach((rows, k) => expect(rows, `query ${k}, ${parts} partitions, ${JSON.stringify(run)}`).toEqual(partitioningFirst![k]));
      if (first === null) first = got;
      else got.forEach((rows, k) => expect(same(rows), `query ${k}, ${parts} partitions, ${JSON.stringify(run)}`).toEqual(same(first![k]!)));
    }
  }
  return first!;
}

beforeAll(async () => {
  data = makeData();
  ({ dir, remove } = tempDir());
  const text = (v: number | string | null) => (v === null ? 'NA' : typeof v === 'number' && Number.isNaN(v) ? 'nan' : typeof v === 'string' ? JSON.stringify(v) : String(v));
  const lines = ['rn,i,f,s', ...data.rn.map((_, r) => [data.rn[r]!, data.i[r]!, data.f[r]!, data.s[r]!].map(text).join(','))];
  writeFileSync(join(dir, 't.csv'), `${lines.join('\n')}\n`);
  instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  connection = await instance.connect();
  await connection.run(
    `CREATE TABLE t AS SELECT *, s AS c FROM read_csv('${join(dir, 't.csv')}', nullstr = 'NA', header = true, quote = '"',
       columns = {'rn': 'INTEGER', 'i': 'INTEGER', 'f': 'DOUBLE', 's': 'VARCHAR'})`,
  );
  // The oracle reads the same rows: NaN as NaN, NA as null, '' as an empty string.
  const [check] = (await connection.runAndReadAll(`SELECT count(*) FILTER (WHERE isnan(f)) AS nan, count(*) FILTER (WHERE f IS NULL) AS nul, count(*) FILTER (WHERE s = '') AS empty FROM t`)).getRowObjectsJS();
  expect(Number(check!.nan)).toBe(data.f.filter((x) => x !== null && Number.isNaN(x)).length);
  expect(Number(check!.nul)).toBe(data.f.filter((x) => x === null).length);
  expect(Number(check!.empty)).toBeGreaterThan(0);
}, 60_000);

afterAll(async () => {
  connection?.closeSync();
  instance?.closeSync();
  remove?.();
  await ddf.shutdown();
});

describe('sort equals DuckDB ORDER BY keys, rn (stable), on every schedule and partitioning', () => {
  const cases: { by: string[]; descending: boolean[]; nullsFirst?: boolean }[] = [
    { by: ['i'], descending: [false] },
    { by: ['f'], descending: [true] },
    { by: ['i', 'f'], descending: [false, true] },
    { by: ['s'], descending: [false] },
    { by: ['c', 'i'], descending: [true, false] },
    { by: ['f', 's'], descending: [false, false], nullsFirst: true },
    { by: ['s', 'f'], descending: [true, true], nullsFirst: true },
  ];
  it('multi-key, mixed directions, nulls, NaN, strings, categories, ties', async () => {
    const got = await everywhere(cases.map(({ by, descending, nullsFirst }) => (df) => df.sort(by, { descending, nullsFirst }).toArrow()));
    for (const [k, { by, descending, nullsFirst }] of cases.entries()) {
      const orderBy = by.map((c, j) => `${c} ${descending[j] ? 'DESC' : 'ASC'} NULLS ${nullsFirst ? 'FIRST' : 'LAST'}`).join(', ');
      expect(got[k], orderBy).toEqual(await duck(`SELECT rn FROM t ORDER BY ${orderBy}, rn`));
    }
  }, 120_000);

  it('has one partition per input partition, each a range of keys', async () => {
    const df = frame(3);
    const sorted = df.sort('i');
    expect(sorted.npartitions).toBe(3);
    expect(df.groupBy('s').agg({ n: ddf.len() }).sort('n').npartitions).toBe(1);
    // After a sort, a row-wise step works range by range and keeps the order.
    const got = rnOf(await sorted.withColumns({ j: col('i').mul(2) }).filter(col('j').gt(0)).toArrow());
    expect(got).toEqual(await duck(`SELECT rn FROM t WHERE i * 2 > 0 ORDER BY i, rn`));
  });
});

describe('top-k', () => {
  it('sort().head(n), nlargest and nsmallest equal DuckDB (ties by input order, missing keys dropped by n*)', async () => {
    const got = await everywhere([
      (df) => df.sort(['s', 'f'], { descending: [false, true] }).head(40),
      (df) => df.sort('f', { descending: true }).head(15),
      (df) => df.sort(['i'], { nullsFirst: true }).head(200),
      (df) => df.nlargest(30, 'f').toArrow(),
      (df) => df.nsmallest(30, ['i', 'f']).toArrow(),
      (df) => df.nlargest(5000, 'i').toArrow(),
    ]);
    expect(got[0]).toEqual(await duck(`SELECT rn FROM t ORDER BY s NULLS LAST, f DESC NULLS LAST, rn LIMIT 40`));
    expect(got[1]).toEqual(await duck(`SELECT rn FROM t ORDER BY f DESC NULLS LAST, rn LIMIT 15`));
    expect(got[2]).toEqual(await duck(`SELECT rn FROM t ORDER BY i NULLS FIRST, rn LIMIT 200`));
    expect(got[3]).toEqual(await duck(`SELECT rn FROM t WHERE f IS NOT NULL AND NOT isnan(f) ORDER BY f DESC, rn LIMIT 30`));
    expect(got[4]).toEqual(await duck(`SELECT rn FROM t WHERE i IS NOT NULL AND f IS NOT NULL AND NOT isnan(f) ORDER BY i, f, rn LIMIT 30`));
    expect(got[5]).toEqual(await duck(`SELECT rn FROM t WHERE i IS NOT NULL ORDER BY i DESC, rn LIMIT 5000`));
  }, 120_000);

  it('explain shows a TopK for sort().head(n), with no sort task in the graph', () => {
    const text = ddf.explain(frame(3).sort('f', { descending: true }).head(5));
    expect(text).toContain('TopK 5 by f desc');
    expect(text).not.toMatch(/^\s*Sort /m);
  });

  it('refuses text columns and a bad n, naming the verb', () => {
    expect(errorOf(() => frame(1).nlargest(3, 's')).message).toMatch(/nlargest: column 's' is string/);
    expect(errorOf(() => frame(1).nsmallest(-1, 'f')).message).toMatch(/nsmallest\(n, columns\): n must be/);
    expect(errorOf(() => frame(1).nlargest(3, 'nope')).message).toMatch(/nope/);
  });
});

describe('dropDuplicates', () => {
  it('keeps the first or last occurrence of each subset value (nulls equal, NaN equal), as DuckDB min/max(rn) per group', async () => {
    const got = await everywhere([
      (df) => df.dropDuplicates(['s', 'i']).toArrow(),
      (df) => df.dropDuplicates(['s', 'i'], { keep: 'last' }).toArrow(),
      (df) => df.dropDuplicates('f').toArrow(),
      (df) => df.dropDuplicates(['c'], { keep: 'last' }).toArrow(),
      (df) => df.select('i', 's', 'rn').dropDuplicates(['i', 's']).select('rn').toArrow(),
    ], true);
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    expect(sorted(got[0]!)).toEqual(await duck(`SELECT min(rn) AS rn FROM t GROUP BY s, i ORDER BY rn`));
    expect(sorted(got[1]!)).toEqual(await duck(`SELECT max(rn) AS rn FROM t GROUP BY s, i ORDER BY rn`));
    expect(sorted(got[2]!)).toEqual(await duck(`SELECT min(rn) AS rn FROM t GROUP BY f ORDER BY rn`));
    expect(sorted(got[3]!)).toEqual(await duck(`SELECT max(rn) AS rn FROM t GROUP BY c ORDER BY rn`));
    expect(got[4]).toEqual(got[0]);
  }, 120_000);

  it('spreads rows by the hash of the subset, each partition in input order; no second shuffle for a frame shuffled by it', async () => {
    const df = frame(7);
    const deduped = df.dropDuplicates(['s', 'i']);
    expect(deduped.npartitions).toBe(7);
    const rows = rnOf(await deduped.toArrow());
    const runs = rows.filter((r, k) => k > 0 && r < rows[k - 1]!).length + 1;
    expect(runs).toBeLessThanOrEqual(7);
    const shuffles = (text: string) => (text.match(/shuffle-split/g) ?? []).length;
    const graphOf = (frameToRun: ddf.DataFrame) => ddf.explain(frameToRun.toArrow());
    expect(graphOf(deduped)).toContain('DropDuplicates on [s, i] keep first');
    // The shuffled input passes through: dedupe once per partition, no exchange in the lowering.
    const pre = df.shuffle(['s', 'i']);
    const once = await pre.dropDuplicates(['s', 'i']).toArrow();
    expect(rnOf(once).sort((a, b) => a - b)).toEqual([...rows].sort((a, b) => a - b));
    expect(shuffles(graphOf(pre.dropDuplicates(['s', 'i'])))).toBe(shuffles(graphOf(pre)));
  });

  it('refuses keep: false and unknown columns', () => {
    expect(errorOf(() => frame(1).dropDuplicates('s', { keep: false as never })).message).toMatch(/keep=False.*not supported/);
    expect(errorOf(() => frame(1).dropDuplicates('nope')).message).toMatch(/nope/);
  });
});

describe('sample', () => {
  it('draws round(frac × rows) per partition, in input order, the same on every schedule', async () => {
    const got = await everywhereSample();
    const [half, again, other, replaced] = got;
    expect(half).toEqual(again);
    expect(half).not.toEqual(other);
    expect(half!.length).toBe(Math.round(ROWS / 2));
    for (const rows of [half!, other!]) {
      expect(new Set(rows).size).toBe(rows.length);
      expect(rows).toEqual([...rows].sort((a, b) => a - b));
    }
    expect(replaced!.length).toBe(Math.round(ROWS * 1.5));
    expect(new Set(replaced).size).toBeLessThan(replaced!.length);
  }, 120_000);

  it('refuses n (as Dask) and a frac out of range', () => {
    expect(errorOf(() => frame(1).sample({ n: 5 } as never)).message).toMatch(/n \(a number of rows\) is not supported, as in Dask/);
    expect(errorOf(() => frame(1).sample({ frac: 1.5 })).message).toMatch(/above 1 only with replace: true/);
    expect(errorOf(() => frame(1).sample({ frac: 0.1, seeed: 1 } as never)).message).toMatch(/Did you mean 'seed'/);
  });
});

/** Samples of one partitioning (a sample depends on it) on every scheduler: equal everywhere. */
async function everywhereSample(): Promise<number[][]> {
  const df = frame(3);
  const queries = [
    df.sample({ frac: 0.5, seed: 1 }),
    df.sample({ frac: 0.5, seed: 1 }),
    df.sample({ frac: 0.5, seed: 2 }),
    df.sample({ frac: 1.5, seed: 3, replace: true }),
  ].map((q) => q.toArrow());
  let first: number[][] | null = null;
  for (const run of RUNS) {
    const got = ((await ddf.compute(...queries, run)) as Parameters<typeof rnOf>[0][]).map(rnOf);
    if (first === null) first = got;
    else expect(got).toEqual(first);
  }
  return first!;
}
