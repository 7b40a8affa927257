/**
 * How results look: computed tables print as pandas prints a DataFrame (console.log and
 * toString), lazy values print what they are, and toRecords/toColumns give plain JS values.
 * Every frame is read from real CSV files in a temporary folder.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { tempDir } from '../helpers.js';

const { col } = ddf;
let dir: string;
let remove: () => void;

beforeAll(() => {
  ({ dir, remove } = tempDir('dusk-format-'));
  // A quoted newline, empty fields (missing), an int64 column with one value beyond 2^53.
  writeFileSync(join(dir, 'small.csv'), 'id,name,score,big,ok,code\n1,ann,1.5,3000000000,True,x\n2,,2.25,-9007199254740992,False,y\n3,"bo\nb",,9007199254740993,,x\n4,dan,7,,True,\n');
  const rows = Array.from({ length: 100 }, (_, i) => `${i},${(i * 0.5).toFixed(1)},k${i % 7}`);
  writeFileSync(join(dir, 'long.csv'), `n,half,key\n${rows.join('\n')}\n`);
  const names = Array.from({ length: 20 }, (_, c) => `column_${c}`);
  writeFileSync(join(dir, 'wide.csv'), `${names.join(',')}\n${names.map((_, c) => c * 1000).join(',')}\n${names.map((_, c) => -c).join(',')}\n`);
  writeFileSync(join(dir, 'floats.csv'), 'tiny,large,mixed,whole\n1e-07,1234567890.5,NaN,1\n0.5,2.0,inf,2\n,1.0,-inf,\n');
});
afterAll(async () => {
  await ddf.shutdown();
  remove();
});

const small = () => ddf.readCsv(join(dir, 'small.csv'), { dtype: { code: 'category' } });

describe('printed results', () => {
  it('a small table: row numbers, right-aligned names over values, null for missing, escaped newline', async () => {
    const table = await small().toArrow();
    const expected = [
      '   id   name  score                big     ok  code',
      '0   1    ann   1.50         3000000000   true     x',
      '1   2   null   2.25  -9007199254740992  false     y',
      '2   3  bo\\nb   null   9007199254740993   null     x',
      '3   4    dan   7.00               null   true  null',
    ].join('\n');
    expect(table.toString()).toBe(expected);
    expect(inspect(table)).toBe(expected); // what console.log(table) prints
    expect(String(table)).toBe(expected);
    expect(table).toBeInstanceOf(Table); // still an apache-arrow Table
    expect(table.getChild('big')!.get(2)).toBe(9007199254740993n);
  });

  it('a line of dtypes on request', async () => {
    const table = await small().select('id', 'code').head(2);
    expect(table.toString({ dtypes: true })).toBe(['      id      code', '   int32  category', '0      1         x', '1      2         y'].join('\n'));
  });

  it('more than 60 rows: the first and last 5, a .. row, and the shape', async () => {
    const table = await ddf.readCsv(join(dir, 'long.csv')).toArrow();
    expect(table.toString()).toBe(
      [
        '     n  half  key',
        '0    0   0.0   k0',
        '1    1   0.5   k1',
        '2    2   1.0   k2',
        '3    3   1.5   k3',
        '4    4   2.0   k4',
        '..  ..   ...   ..',
        '95  95  47.5   k4',
        '96  96  48.0   k5',
        '97  97  48.5   k6',
        '98  98  49.0   k0',
        '99  99  49.5   k1',
        '',
        '[100 rows x 3 columns]',
      ].join('\n'),
    );
    // 60 rows or fewer print in full; the limits are options.
    expect((await ddf.readCsv(join(dir, 'long.csv')).head(60)).toString().split('\n')).toHaveLength(61);
    expect(table.toString({ maxRows: 3, minRows: 2 }).split('\n')).toEqual(['     n  half  key', '0    0   0.0   k0', '..  ..   ...   ..', '99  99  49.5   k1', '', '[100 rows x 3 columns]']);
  });

  it('wider than 80 characters: middle columns elided, alternately kept from each end', async () => {
    const table = await ddf.readCsv(join(dir, 'wide.csv')).toArrow();
    // 80 characters hold the row numbers, the '...' column and 6 of the 20 columns.
    expect(table.toString()).toBe(
      [
        '   column_0  column_1  column_2  ...  column_17  column_18  column_19',
        '0         0      1000      2000  ...      17000      18000      19000',
        '1         0        -1        -2  ...        -17        -18        -19',
        '',
        '[2 rows x 20 columns]',
      ].join('\n'),
    );
    const lines90 = table.toString({ width: 90 }).split('\n');
    expect(lines90[0]).toBe('   column_0  column_1  column_2  column_3  ...  column_17  column_18  column_19');
    expect(lines90.every((l) => l.length <= 90)).toBe(true);
    const all = table.toString({ width: Infinity }).split('\n');
    expect(all[0]!.trim().split(/\s+/)).toEqual(Array.from({ length: 20 }, (_, c) => `column_${c}`));
    expect(all).toHaveLength(3); // no footer when nothing is cut
  });

  it('floats as pandas: common decimals, scientific for tiny or long values, NaN and inf apart from null', async () => {
    const table = await ddf.readCsv(join(dir, 'floats.csv'), { naValues: [''], dtype: { whole: 'float64' } }).toArrow();
    expect(table.toString()).toBe(
      [
        '           tiny         large  mixed  whole',
        '0  1.000000e-07  1.234568e+09    NaN    1.0',
        '1  5.000000e-01  2.000000e+00    inf    2.0',
        '2          null  1.000000e+00   -inf   null',
      ].join('\n'),
    );
  });

  it('refuses a limit that is not a non-negative integer or Infinity, naming it', async () => {
    const table = await small().head(1);
    expect(() => table.toString({ maxRows: -1 })).toThrow(/format option maxRows must be a non-negative integer or Infinity, got -1/);
    expect(() => table.toString({ width: 1.5 })).toThrow(/width .* got 1\.5/);
  });

  it('an empty result prints its columns and shape', async () => {
    const table = await small().filter(col('id').gt(10)).select('id', 'name').toArrow();
    expect(table.toString()).toBe(['  id  name', '', '[0 rows x 2 columns]'].join('\n'));
  });

  it('a group-by result and a Series result print the same way', async () => {
    const table = await small().groupBy('code', { dropna: false }).agg({ n: ddf.len(), mean: col('score').mean() }).toArrow();
    expect(table.toString()).toBe(['   code  n  mean', '0     x  2  1.50', '1     y  1  2.25', '2  null  1  7.00'].join('\n'));
    expect(inspect(await small().col('name').toArrow())).toBe(['    name', '0    ann', '1   null', '2  bo\\nb', '3    dan'].join('\n'));
  });
});

describe('lazy values print what they are, not their internals', () => {
  it('DataFrame, Series, Scalar and LazyTable', () => {
    const df = small();
    expect(inspect(df)).toBe(
      [
        'Dusk DataFrame (lazy: 1 partition, 6 columns; await df.head() to see rows)',
        '   id    name    score    big    ok      code',
        'int32  string  float64  int64  bool  category',
      ].join('\n'),
    );
    expect(String(df)).toBe(inspect(df));
    expect(inspect(df.col('score'))).toBe("Dusk Series 'score' (lazy: float64, 1 partition; await s.toArrow() to see values)");
    expect(inspect(df.col('score').max())).toBe('Dusk Scalar (lazy: await it for the value): Aggregate score: col("score").max()');
    expect(inspect(df.select('id').head(2))).toBe(['Dusk LazyTable (lazy: await it for an Arrow table)', '   id', 'int32'].join('\n'));
  });
});

describe('toRecords and toColumns', () => {
  const records = [
    { id: 1, name: 'ann', score: 1.5, big: 3000000000, ok: true, code: 'x' },
    { id: 2, name: null, score: 2.25, big: -9007199254740992, ok: false, code: 'y' },
    { id: 3, name: 'bo\nb', score: null, big: 9007199254740993n, ok: null, code: 'x' },
    { id: 4, name: 'dan', score: 7, big: null, ok: true, code: null },
  ];

  it('give numbers for int64 while exact (|v| ≤ 2^53), a bigint beyond, null for missing', async () => {
    const df = small();
    expect(df.dtypes).toEqual({ id: 'int32', name: 'string', score: 'float64', big: 'int64', ok: 'bool', code: 'category' });
    const lazy = await df.toRecords();
    expect(lazy).toStrictEqual(records);
    expect(typeof lazy[0]!.big).toBe('number');
    expect((lazy[0]!.big as number) / 60).toBe(50000000); // arithmetic works on the numbers
    expect(typeof lazy[2]!.big).toBe('bigint');
    expect((await df.toArrow()).toRecords()).toStrictEqual(records);
    expect(Object.keys(lazy[0]!)).toEqual(df.columns); // column order
  });

  it('toColumns gives the same values by column, on the frame and on a result', async () => {
    const columns = Object.fromEntries(small().columns.map((c) => [c, records.map((r) => r[c as keyof typeof r])]));
    expect(await small().toColumns()).toStrictEqual(columns);
    expect((await small().toArrow()).toColumns()).toStrictEqual(columns);
    expect((await small().head(0)).toColumns()).toStrictEqual(Object.fromEntries(small().columns.map((c) => [c, []])));
  });

  it('compute with other results in one read', async () => {
    const df = small();
    const [rows, max] = await ddf.compute(df.select('id').toRecords(), df.col('score').max());
    expect(rows).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }]);
    expect(max).toBe(7);
    expect(Object.values(ddf.lastComputeReport()!.opens)).toEqual([1]);
  });

  it('span every partition, in order', async () => {
    const df = ddf.readCsv(join(dir, 'long.csv'), { blocksize: 300 });
    expect(df.npartitions).toBeGreaterThan(2);
    const { n } = await df.toColumns();
    expect(n).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const table = await df.toArrow();
    expect(table.toString()).toContain('99  99  49.5   k1');
  });
});
