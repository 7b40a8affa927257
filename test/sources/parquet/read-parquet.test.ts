/**
 * readParquet on files DuckDB writes (several row groups, nulls, snappy and zstd; int32, int64,
 * double, bool and varchar columns): Dusk's aggregates and group-bys equal DuckDB's over the same
 * files, on sync and threads; row groups excluded by a filter's min/max are not read (fewer
 * bytes, same answers); only used columns are read; bad inputs are named.
 */
import { copyFileSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../../src/index.js';
import { DuskIoError, DuskSchemaError } from '../../../src/core/errors.js';
import { tempDir } from '../../helpers.js';

const { col } = ddf;
let dir: string;
let remove: () => void;
let instance: DuckDBInstance;
let db: DuckDBConnection;

const ROWS = 20_000;
/** Rows per row group (a multiple of DuckDB's 2048-row vectors, so the groups are exactly this). */
const GROUP = 2048;

async function sql(query: string): Promise<Record<string, unknown>[]> {
  const reader = await db.runAndReadAll(query);
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

beforeAll(async () => {
  ({ dir, remove } = tempDir('dusk-parquet-'));
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
  const select = (from: number) => `
    SELECT (i + ${from})::INTEGER AS id,
      CASE WHEN hash(i + ${from}) % 11 = 0 THEN NULL ELSE ((hash(i + ${from}) % 2001)::INTEGER - 1000) END AS i32,
      ((hash(i + ${from} + 7) % 1000000007)::BIGINT * 1000 - 500000000000) AS i64,
      CASE WHEN hash(i + ${from} + 1) % 13 = 0 THEN NULL ELSE (hash(i + ${from} + 2) % 100000) / 37.0 END::DOUBLE AS x,
      CASE WHEN hash(i + ${from} + 3) % 17 = 0 THEN NULL ELSE hash(i + ${from} + 4) % 3 = 0 END AS flag,
      CASE WHEN hash(i + ${from} + 5) % 19 = 0 THEN NULL ELSE 'k' || (hash(i + ${from} + 6) % 7)::VARCHAR END AS s
    FROM range(${ROWS}) r(i)`;
  await db.run(`COPY (${select(0)}) TO '${join(dir, 'a.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE ${GROUP}, COMPRESSION snappy)`);
  await db.run(`COPY (${select(ROWS)}) TO '${join(dir, 'b.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE ${GROUP}, COMPRESSION zstd)`);
});

afterAll(async () => {
  db?.closeSync();
  await ddf.shutdown();
  remove?.();
});

const SCHEDULES = [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, numWorkers: 2 }];
const files = () => join(dir, '*.parquet');

describe('readParquet', () => {
  it('maps Parquet types to Dusk dtypes and plans row groups as partitions', () => {
    const df = ddf.readParquet(files(), { blocksize: 1 });
    expect(df.dtypes).toEqual({ id: 'int32', i32: 'int32', i64: 'int64', x: 'float64', flag: 'bool', s: 'string' });
    // blocksize 1 byte: one partition per row group; 20,000 rows in groups of 2048 → 10 per file.
    expect(df.npartitions).toBe(20);
    expect(ddf.readParquet(files()).npartitions).toBe(2);
    expect(ddf.explain(df.col('x').sum())).toMatch(/parquet .*2 files.*20 partitions of 20 row groups/);
  });

  it.each(SCHEDULES)('aggregates equal DuckDB on the same files ($scheduler)', async (options) => {
    const df = ddf.readParquet(files(), { blocksize: 64 << 10 });
    const [want] = await sql(`SELECT count(*) n, count(i32) c32, sum(i32) s32, sum(i64) s64, min(i64) mn64, max(i64) mx64, avg(x) mx, min(x) nx, max(x) xx,
      count(flag) cf, sum(flag::INT) tf, count(s) cs, min(s) ms, max(s) xs, count(DISTINCT s) us FROM read_parquet('${files()}')`);
    const got = await ddf.compute(
      df.col('id').count(), df.col('i32').count(), df.col('i32').sum(), df.col('i64').sum(), df.col('i64').min(), df.col('i64').max(),
      df.col('x').mean(), df.col('x').min(), df.col('x').max(), df.col('flag').count(), df.filter(col('flag')).col('id').count(), df.col('s').count(), df.col('s').nunique(),
      options,
    );
    const [n, c32, s32, s64, mn64, mx64, mx, nx, xx, cf, tf, cs, us] = got.map((v) => (typeof v === 'bigint' ? Number(v) : v)) as number[];
    expect([n, c32, s32, s64, mn64, mx64, nx, xx, cf, tf, cs, us]).toEqual([want!.n, want!.c32, want!.s32, want!.s64, want!.mn64, want!.mx64, want!.nx, want!.xx, want!.cf, want!.tf, want!.cs, want!.us].map(num));
    expect(mx).toBeCloseTo(want!.mx as number, 9);
  });

  it.each(SCHEDULES)('group-bys equal DuckDB ($scheduler)', async (options) => {
    const df = ddf.readParquet(files(), { blocksize: 64 << 10 });
    const got = await df
      .groupBy('s', { dropna: false })
      .agg({ n: ddf.len(), c: col('i32').count(), t: col('i32').sum(), m: col('x').mean(), lo: col('i64').min(), f: col('flag').sum() })
      .toArrow().compute(options);
    const want = await sql(`SELECT s, count(*) n, count(i32) c, coalesce(sum(i32), 0) t, avg(x) m, min(i64) lo, coalesce(sum(flag::INT), 0) f FROM read_parquet('${files()}') GROUP BY s ORDER BY s NULLS LAST`);
    const rows = got.toArray().map((r) => ({ s: r.s, n: num(r.n), c: num(r.c), t: num(r.t), m: r.m as number, lo: num(r.lo), f: num(r.f) }));
    rows.sort((a, b) => (a.s === null ? 1 : b.s === null ? -1 : a.s < b.s ? -1 : 1));
    expect(rows.map(({ m: _m, ...r }) => r)).toEqual(want.map((r) => ({ s: r.s, n: num(r.n), c: num(r.c), t: num(r.t), lo: num(r.lo), f: num(r.f) })));
    rows.forEach((r, i) => expect(r.m).toBeCloseTo(want[i]!.m as number, 9));
  });

  it.each(SCHEDULES)('skips row groups whose min/max exclude the filter, with the same results ($scheduler)', async (options) => {
    const df = ddf.readParquet(files(), { blocksize: 1 });
    await ddf.compute(df.col('x').sum(), options);
    const all = ddf.lastComputeReport()!.bytesRead;
    // ids 0–39,999 ascending: id >= 36,000 lies in the last 2 of b.parquet's 10 row groups.
    const late = df.filter(col('id').ge(36_000));
    const got = await ddf.compute(late.col('x').sum(), late.col('id').count(), options);
    const some = ddf.lastComputeReport()!.bytesRead;
    const [want] = await sql(`SELECT sum(x) sx, count(*) n FROM read_parquet('${files()}') WHERE id >= 36000`);
    expect(got[0]).toBeCloseTo(want!.sx as number, 6);
    expect(Number(got[1])).toBe(Number(want!.n));
    expect(some).toBeGreaterThan(0);
    expect(some).toBeLessThan(all / 5);
    // With a consumer that has no filter, every row group is read (the same bytes as an
    // unfiltered read of the same columns).
    await ddf.compute(df.col('x').sum(), df.col('id').max(), options);
    const idAndX = ddf.lastComputeReport()!.bytesRead;
    const both = await ddf.compute(late.col('x').sum(), df.col('x').sum(), options);
    expect(ddf.lastComputeReport()!.bytesRead).toBe(idAndX);
    expect(both[0]).toBeCloseTo(want!.sx as number, 6);
    // and / or / isIn / equality and null tests all prune conservatively: answers stay DuckDB's.
    const cases: [ddf.Expr, string][] = [
      [col('id').lt(1000).or(col('id').gt(39_000)), 'id < 1000 OR id > 39000'],
      [col('id').eq(20_500).and(col('x').isNotNull()), 'id = 20500 AND x IS NOT NULL'],
      [col('id').isIn([5, 30_000, 39_999]), 'id IN (5, 30000, 39999)'],
      [col('s').eq('k3').and(col('id').ge(30_000)), "s = 'k3' AND id >= 30000"],
      [col('i64').lt(-499_000_000_000n), 'i64 < -499000000000'],
      [col('x').gt(2701), 'x > 2701'],
    ];
    for (const [filter, where] of cases) {
      const f = df.filter(filter);
      const [n] = await ddf.compute(f.col('id').count(), options);
      const [w] = await sql(`SELECT count(*) n FROM read_parquet('${files()}') WHERE ${where}`);
      expect(Number(n), where).toBe(Number(w!.n));
    }
  });

  it('decodes only the columns used (projection pushdown)', async () => {
    const df = ddf.readParquet(files());
    await df.col('x').sum().compute({ scheduler: 'sync' });
    const one = ddf.lastComputeReport()!.bytesRead;
    await ddf.compute(df.col('x').sum(), df.col('s').count(), df.col('i64').max(), { scheduler: 'sync' });
    const three = ddf.lastComputeReport()!.bytesRead;
    expect(one).toBeGreaterThan(0);
    expect(three).toBeGreaterThan(one * 1.5);
    const narrow = ddf.readParquet(files(), { columns: ['s', 'x'] });
    expect(narrow.columns).toEqual(['s', 'x']);
    expect(Number(await narrow.col('x').count().compute())).toBe(Number((await sql(`SELECT count(x) n FROM read_parquet('${files()}')`))[0]!.n));
  });

  it('head, describe, sort and valueCounts work unchanged', async () => {
    const df = ddf.readParquet(files());
    const head = (await df.head(3)).toArray();
    expect(head.map((r) => r.id)).toEqual([0, 1, 2]);
    const top = (await df.sort('i64', { descending: true }).head(2)).toArray();
    const want = await sql(`SELECT i64 FROM read_parquet('${files()}') ORDER BY i64 DESC LIMIT 2`);
    expect(top.map((r) => Number(r.i64))).toEqual(want.map((r) => Number(r.i64)));
    const counts = (await df.col('s').valueCounts().toArrow()).toArray();
    const wantCounts = await sql(`SELECT s, count(*) n FROM read_parquet('${files()}') WHERE s IS NOT NULL GROUP BY s`);
    expect(Object.fromEntries(counts.map((r) => [r.s, Number(r.count)]))).toEqual(Object.fromEntries(wantCounts.map((r) => [r.s, Number(r.n)])));
    const described = (await df.describe().toArrow()).toArray();
    expect(described.find((r) => r.statistic === 'count')?.x).toBe(Number((await sql(`SELECT count(x) n FROM read_parquet('${files()}')`))[0]!.n));
  });
});

describe('readParquet errors name the file', () => {
  it('a missing file or pattern', () => {
    expect(() => ddf.readParquet(join(dir, 'nope.parquet'))).toThrow(DuskIoError);
    expect(() => ddf.readParquet(join(dir, 'nope.parquet'))).toThrow(/readParquet: file not found: '.*nope\.parquet'/);
    expect(() => ddf.readParquet(join(dir, 'none-*.parquet'))).toThrow(/matched no files/);
  });

  it('a file that is not Parquet, or whose footer is corrupt', () => {
    const text = join(dir, 'text.parquet');
    writeFileSync(text, 'id,x\n1,2\n3,4\n');
    expect(() => ddf.readParquet(text)).toThrow(new RegExp(`${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a Parquet file \\(no PAR1 magic`));
    const bytes = readFileSync(join(dir, 'a.parquet'));
    const corrupt = join(dir, 'corrupt.parquet');
    const broken = Buffer.from(bytes);
    const footerLength = broken.readUInt32LE(broken.length - 8);
    broken.fill(0xff, broken.length - 8 - footerLength, broken.length - 8);
    writeFileSync(corrupt, broken);
    expect(() => ddf.readParquet(corrupt)).toThrow(DuskIoError);
    expect(() => ddf.readParquet(corrupt)).toThrow(/corrupt\.parquet: corrupt Parquet footer/);
  });

  it('an unsupported column type names the file, column and type', async () => {
    const path = join(dir, 'dates.parquet');
    await db.run(`COPY (SELECT 1::INTEGER AS id, DATE '2024-01-02' AS day) TO '${path}' (FORMAT parquet)`);
    expect(() => ddf.readParquet(path)).toThrow(DuskSchemaError);
    expect(() => ddf.readParquet(path)).toThrow(/dates\.parquet: column 'day' has Parquet type INT32 \(DATE\).*columns: \["id"\]/);
    expect(await ddf.readParquet(path, { columns: ['id'] }).col('id').sum().compute()).toBe(1);
  });

  it('a file changed after readParquet fails the read, as readCsv does', async () => {
    const path = join(dir, 'changing.parquet');
    copyFileSync(join(dir, 'a.parquet'), path);
    const df = ddf.readParquet(path);
    copyFileSync(join(dir, 'b.parquet'), path);
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    await expect(df.col('x').sum().compute({ scheduler: 'sync' })).rejects.toThrow(/changing\.parquet: the file changed since readParquet listed it/);
  });
});
