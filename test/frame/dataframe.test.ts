import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { FIXTURES } from '../helpers.js';

const { col } = ddf;
const expected = JSON.parse(readFileSync(join(FIXTURES, 'airline', 'expected.json'), 'utf8')) as { rows: number };

function air(extra: ddf.ReadCsvOptions = {}) {
  return ddf.readCsv(join(FIXTURES, 'airline/bz2/*.csv.bz2'), { encoding: 'latin1', dtype: { TailNum: 'string', CancellationCode: 'string' }, ...extra });
}

afterAll(() => ddf.shutdown());

describe('the issue snippet', () => {
  it('runs verbatim: filter, withColumns, groupBy-agg, select, drop, rename, dropNulls, head', async () => {
    const air_ = air();
    const late = air_.filter(col('DepDelay').gt(60).and(col('Origin').isIn(['SFO', 'LAX'])));
    const fast = air_.withColumns({ speed: col('Distance').div(col('AirTime').div(60)) });
    const byCarrier = air_.groupBy('UniqueCarrier').agg({
      n: ddf.len(), meanDep: col('DepDelay').mean(), maxArr: col('ArrDelay').max(), sdDist: col('Distance').std(),
    });
    const table = await byCarrier.toArrow();
    expect(table.schema.fields.map((f) => f.name)).toEqual(['UniqueCarrier', 'n', 'meanDep', 'maxArr', 'sdDist']);
    const carriers = table.getChild('UniqueCarrier')!.toArray() as string[];
    expect([...carriers]).toEqual([...carriers].sort());
    const n = [...table.getChild('n')!.toArray()].map(Number).reduce((a, b) => a + b, 0);
    expect(n).toBe(expected.rows);

    expect(fast.columns.at(-1)).toBe('speed');
    expect(air_.select('Origin', 'DepDelay').columns).toEqual(['Origin', 'DepDelay']);
    expect(air_.select({ dep: col('DepDelay').mul(60) }).columns).toEqual(['dep']);
    expect(air_.drop('TailNum').columns).not.toContain('TailNum');
    expect(air_.rename({ DepDelay: 'dep' }).columns).toContain('dep');
    const head = await late.head(5);
    expect(head.numRows).toBe(5);
    for (const row of head.toArray()) {
      const r = row as { DepDelay: number; Origin: string };
      expect(r.DepDelay).toBeGreaterThan(60);
      expect(['SFO', 'LAX']).toContain(r.Origin);
    }
    const noNulls = await air_.dropNulls(['DepDelay']).select({ c: col('DepDelay').count(), n: ddf.len() }).toArrow();
    const row = noNulls.toArray()[0] as { c: number; n: number };
    expect(Number(row.c)).toBe(Number(row.n));
  });
});

describe('results of results', () => {
  it('head, filter and derived columns over a group-by and a sort', async () => {
    const df = air();
    const byOrigin = df.groupBy('Origin').agg({ n: ddf.len(), dep: col('DepDelay').mean() });
    const all = (await byOrigin.toArrow()).toArray().map((r) => ({ ...(r as { toJSON(): { Origin: string; n: number; dep: number } }).toJSON() }));
    const top = all.sort((a, b) => Number(b.n) - Number(a.n) || (a.Origin < b.Origin ? -1 : 1)).slice(0, 3);
    const got = await byOrigin.sort('n', { descending: true }).head(3);
    expect(got.toArray().map((r) => (r as { Origin: string }).Origin)).toEqual(top.map((r) => r.Origin));
    const busy = await byOrigin.filter(col('n').ge(Number(top[2]!.n))).withColumns({ depHours: col('dep').div(60) }).toArrow();
    expect(busy.numRows).toBe(all.filter((r) => Number(r.n) >= Number(top[2]!.n)).length);
    expect(busy.getChild('depHours')!.get(0)).toBeCloseTo((busy.getChild('dep')!.get(0) as number) / 60, 12);
  });
});

describe('Series reductions of any column', () => {
  it('min and max of a text column by code point; a numeric reduction of nothing is NaN', async () => {
    const df = air();
    const origins = [...(await df.select('Origin').toArrow()).getChild('Origin')!.toArray()] as string[];
    const sorted = [...new Set(origins)].sort();
    expect(await ddf.compute(df.col('Origin').min(), df.col('Origin').max())).toEqual([sorted[0], sorted.at(-1)]);
    const none = df.filter(col('DepDelay').gt(1e9));
    expect(await ddf.compute(none.col('DepDelay').median(), none.col('DepDelay').max(), none.col('DepDelay').count())).toEqual([Number.NaN, Number.NaN, 0]);
  });
});

describe('one read pass for mixed consumers', () => {
  it('opens each file once for reductions, a filtered group-by and a collect in one compute', async () => {
    const df = air();
    const grouped = df.filter(col('DepDelay').gt(0)).groupBy('Origin').agg({ n: ddf.len() });
    const derived = df.withColumns({ h: col('DepTime').div(100) }).select('h');
    await ddf.compute(df.col('DepDelay').max(), grouped.toArrow(), derived.toArrow(), df.col('Distance').mean());
    const opens = ddf.lastComputeReport()!.opens;
    expect(Object.keys(opens)).toHaveLength(2);
    expect(Object.values(opens)).toEqual([1, 1]);
    const text = ddf.explain(df.col('DepDelay').max(), grouped.toArrow(), derived.toArrow());
    expect(text.match(/SharedScan/g)).toHaveLength(1);
  });
});

describe('bad expressions fail when the plan is built', () => {
  it('names the unknown column with the closest suggestion, and type mismatches with the dtype', () => {
    const df = air();
    expect(() => df.filter(col('DepDelai').gt(1))).toThrow(/DepDelai.*DepDelay/);
    expect(() => df.filter(col('Origin').gt(5))).toThrow(/Origin.*string/);
    expect(() => df.groupBy('Origin').agg({ m: col('Dest').mean() })).toThrow(/Dest.*string/);
    expect(() => df.filter(col('DepDelay').add(1))).toThrow(/boolean/);
  });
});

describe('misspelt options are refused, not ignored', () => {
  it('groupBy and sort name the bad key and the closest valid one; a non-object is refused too', async () => {
    const df = air();
    const js = <T>(options: unknown) => options as T; // what a JavaScript caller can pass
    expect(() => df.groupBy('Origin', js({ sorted: false }))).toThrow(/^groupBy: unknown option 'sorted'\. Did you mean 'sort'\? Options: sort, dropna, splitOut$/);
    expect(() => df.groupBy('Origin', js({ dropNa: false }))).toThrow(/unknown option 'dropNa'\. Did you mean 'dropna'\?/);
    expect(() => df.sort('DepDelay', js({ decending: true }))).toThrow(/^sort: unknown option 'decending'\. Did you mean 'descending'\?/);
    expect(() => df.sort('DepDelay', js({ ascending: false }))).toThrow(/unknown option 'ascending'\. Did you mean 'descending'\?/);
    expect(() => df.groupBy('Origin', js('sort'))).toThrow(/^groupBy: options must be an object with keys among sort, dropna, splitOut; got the string "sort"$/);
    expect(() => ddf.readCsv(join(FIXTURES, 'airline/bz2/*.csv.bz2'), js({ encodng: 'latin1' }))).toThrow(/^readCsv: unknown option 'encodng'\. Did you mean 'encoding'\?/);
    // Valid options still work.
    const top = await df.groupBy('Origin', { sort: false, dropna: true }).agg({ n: ddf.len() }).sort('n', { descending: true }).head(1);
    expect(top.numRows).toBe(1);
  });
});
