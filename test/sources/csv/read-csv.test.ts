import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as ddf from '../../../src/index.js';
import { errorOf, FIXTURES, tempDir } from '../../helpers.js';

const edge = (name: string) => join(FIXTURES, 'edge', name);
afterAll(() => ddf.shutdown());

/** Table rows as plain objects with JS values. */
async function rows(df: ddf.DataFrame): Promise<Record<string, unknown>[]> {
  const table = await df.toArrow();
  return table.toArray().map((r) => ({ ...r.toJSON() }));
}

describe('readCsv: schema', () => {
  it('infers dtypes from a sample, as pandas would, with nullable integers', () => {
    const df = ddf.readCsv(join(FIXTURES, 'airline/none/*.csv'), { encoding: 'latin1' });
    expect(df.npartitions).toBe(2);
    expect(df.columns).toHaveLength(29);
    expect(df.dtypes).toMatchObject({ Year: 'int32', DepDelay: 'int32', UniqueCarrier: 'string', TailNum: 'string', CarrierDelay: 'int32' });
  });

  it('applies dtype overrides and usecols', () => {
    const df = ddf.readCsv(join(FIXTURES, 'airline/none/2001.csv'), { usecols: ['DepDelay', 'Origin'], dtype: { DepDelay: 'float64', Origin: 'category' } });
    expect(df.columns).toEqual(['DepDelay', 'Origin']);
    expect(df.dtypes).toEqual({ DepDelay: 'float64', Origin: 'category' });
  });

  it('reads quotes, doubled quotes, quoted newlines, CRLF, a BOM and a missing final newline', async () => {
    const df = ddf.readCsv(edge('quoted.csv'), { dtype: { note: 'string' } });
    expect(df.columns).toEqual(['id', 'name', 'score', 'note']);
    expect(df.dtypes).toEqual({ id: 'int32', name: 'string', score: 'float64', note: 'string' });
    expect(await rows(df)).toEqual([
      { id: 1, name: 'Smith, John', score: 3.5, note: 'said "hi"' },
      { id: 2, name: 'multi\nline', score: null, note: 'plain' },
      { id: 3, name: null, score: -125, note: null }, // "" is missing, as in pandas
      { id: 4, name: 'tab\there', score: 7, note: 'a,b,c' },
      { id: 5, name: 'last', score: 0.1, note: 'no-final-newline' },
    ]);
  });

  it('matches papaparse row for row on the airline fixture (latin1, every column)', async () => {
    const path = join(FIXTURES, 'airline/none/2002.csv');
    const text = new TextDecoder('latin1').decode(readFileSync(path));
    const reference = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
    const df = ddf.readCsv(path, { encoding: 'latin1', dtype: { TailNum: 'string', CancellationCode: 'string' } });
    const ours = await rows(df);
    expect(ours).toHaveLength(reference.length);
    const normalize = (v: unknown) => (v === null ? 'NA' : String(v));
    for (let i = 0; i < ours.length; i += 7) {
      for (const c of df.columns) expect(normalize(ours[i]![c]), `row ${i} ${c}`).toBe(reference[i]![c]);
    }
    expect(ours.some((r) => /[éÉÑü]/.test(String(r.TailNum)))).toBe(true);
  });

  it('decodes latin1 text, and under utf8 says to pass encoding latin1', async () => {
    expect((await rows(ddf.readCsv(edge('latin1.csv'), { encoding: 'latin1' }))).map((r) => r.city)).toEqual(['Montréal', 'São Paulo', 'Zürich']);
    await expect(ddf.readCsv(edge('latin1.csv')).col('city').count()).rejects.toThrow(/latin1\.csv, line 2, column 'city'.*not valid UTF-8.*encoding: 'latin1'/);
  });

  it('reads other delimiters, files without a header, bools and int64 beyond 2^53', async () => {
    expect(await rows(ddf.readCsv(edge('semicolon.csv'), { delimiter: ';' }))).toEqual([
      { a: 1, b: 2 },
      { a: 3, b: 4 },
    ]);
    const noHeader = ddf.readCsv(edge('no-header.csv'), { header: false });
    expect(noHeader.columns).toEqual(['0', '1', '2']);
    expect(await noHeader.col('1').sum()).toBe(7);
    const bools = ddf.readCsv(edge('bools.csv'));
    expect(bools.dtypes.flag).toBe('bool');
    expect((await rows(bools)).map((r) => r.flag)).toEqual([true, false, null, true]);
    const ints = ddf.readCsv(edge('big-ints.csv'));
    expect(ints.dtypes.id).toBe('int64');
    expect((await ints.toArrow()).getChild('id')!.toArray()).toEqual(new BigInt64Array([9007199254740993n, -9223372036854775808n, 42n]));
  });

  it('adds the file path as a column when asked', async () => {
    const df = ddf.readCsv(join(FIXTURES, 'airline/none/*.csv'), { includePathColumn: true, usecols: ['DepDelay'] });
    const table = await df.toArrow();
    expect(df.columns).toEqual(['DepDelay', 'path']);
    const paths = new Set(table.getChild('path')!.toArray());
    expect([...paths].sort()).toEqual([join(FIXTURES, 'airline/none/2001.csv'), join(FIXTURES, 'airline/none/2002.csv')]);
  });

  it('head(n) returns the first n rows', async () => {
    const df = ddf.readCsv(join(FIXTURES, 'airline/bz2/*.csv.bz2'), { encoding: 'latin1' });
    const head = await df.head(3);
    expect(head.numRows).toBe(3);
    expect(head.getChild('Year')!.toArray()).toEqual(new Int32Array([2001, 2001, 2001]));
    expect((await df.head(4000)).numRows).toBe(3000);
  });
});

describe('readCsv: byte-range partitions of plain files', () => {
  it('splits at line boundaries: the same rows in the same order for any blocksize', async () => {
    const path = join(FIXTURES, 'airline/none/2001.csv');
    const whole = await ddf.readCsv(path, { encoding: 'latin1', blocksize: null, usecols: ['FlightNum', 'DepDelay', 'TailNum'] }).toArrow();
    for (const blocksize of [1000, 4096, 33_333, '50kB']) {
      const df = ddf.readCsv(path, { encoding: 'latin1', blocksize, usecols: ['FlightNum', 'DepDelay', 'TailNum'] });
      expect(df.npartitions).toBeGreaterThan(1);
      const split = await df.toArrow();
      expect(split.numRows).toBe(whole.numRows);
      for (const c of ['FlightNum', 'DepDelay', 'TailNum']) expect(split.getChild(c)!.toArray(), `${blocksize} ${c}`).toEqual(whole.getChild(c)!.toArray());
    }
  });

  it('gives the file line number of a bad row inside a later block', async () => {
    const { dir, remove } = tempDir();
    try {
      const lines = ['a,b', ...Array.from({ length: 2000 }, (_, i) => `${i},${i * 2}`)];
      lines[1500] = '1499,oops';
      writeFileSync(join(dir, 'x.csv'), `${lines.join('\n')}\n`);
      const df = ddf.readCsv(join(dir, 'x.csv'), { blocksize: 4096, dtype: { b: 'int32' } });
      await expect(df.col('b').sum()).rejects.toMatchObject({ name: 'DuskParseError', line: 1501, column: 'b', value: 'oops' });
    } finally {
      remove();
    }
  });
});

describe('readCsv: bad input gives a clear error', () => {
  it('an empty glob names the pattern; a missing file names the path', () => {
    expect(() => ddf.readCsv(join(FIXTURES, 'nothing-here/*.csv'))).toThrow(/the pattern '.*nothing-here\/\*\.csv' matched no files/);
    expect(() => ddf.readCsv(join(FIXTURES, 'missing.csv'))).toThrow(/file not found: '.*missing\.csv'/);
  });

  it('a truncated bz2 or gzip file fails with the file and byte offset, never a partial result', async () => {
    for (const name of ['truncated.csv.bz2', 'truncated.csv.gz']) {
      const df = ddf.readCsv(edge(name), { encoding: 'latin1' });
      const error = await df.col('DepDelay').count().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(ddf.DuskIoError);
      expect((error as ddf.DuskIoError).path).toContain(name);
      expect((error as ddf.DuskIoError).offset).toBeGreaterThan(0);
      expect((error as Error).message).toMatch(/truncated|unexpected end/i);
    }
  });

  it('a row with too many or too few fields: error with file and line, or skipped and counted', async () => {
    const df = ddf.readCsv(edge('bad-fields.csv'));
    await expect(df.col('a').sum()).rejects.toThrow(/bad-fields\.csv, line 3: expected 3 fields, found 2.*onBadLines/);
    const skip = ddf.readCsv(edge('bad-fields.csv'), { onBadLines: 'skip' });
    expect(await skip.col('a').sum()).toBe(1 + 6 + 13);
    expect(ddf.lastComputeReport()!.badLines).toBe(2);
    expect(ddf.lastComputeReport()!.badLineSamples[0]).toMatch(/bad-fields\.csv:3 \(expected 3 fields, found 2\)/);
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      expect(await ddf.readCsv(edge('bad-fields.csv'), { onBadLines: 'warn' }).col('c').max()).toBe(15);
      expect(String(warn.mock.calls[0]![0])).toMatch(/skipped 2 bad line\(s\), e\.g\. .*bad-fields\.csv:3.*bad-fields\.csv:5 \(expected 3 fields, found 4\)/);
    } finally {
      warn.mockRestore();
    }
  });

  it('a non-numeric value names file, line, column, value and the dtype option that accepts it', async () => {
    const df = ddf.readCsv(edge('bad-value.csv'), { dtype: { b: 'float64' }, sampleBytes: 8 });
    await expect(df.col('b').sum()).rejects.toThrow("bad-value.csv, line 3, column 'b': value 'x7' is not a valid float64; pass dtype: { b: 'string' } to read it as text, or naValues: ['x7'] if it marks a missing value");
  });

  it('an unknown column lists the columns and suggests the closest', () => {
    const df = ddf.readCsv(join(FIXTURES, 'airline/none/2001.csv'));
    expect(() => df.col('depdelay')).toThrow(/Unknown column 'depdelay'\. Did you mean 'DepDelay'\? Columns: Year, Month/);
    expect(() => ddf.readCsv(join(FIXTURES, 'airline/none/2001.csv'), { dtype: { Distanse: 'float64' } })).toThrow(/Unknown column 'Distanse' in dtype\. Did you mean 'Distance'\?/);
    expect(() => ddf.readCsv(join(FIXTURES, 'airline/none/2001.csv'), { dtype: { Distance: 'double' as ddf.DType } })).toThrow(/dtype for column 'Distance' must be one of float64/);
  });

  it('a reduction that needs numbers on a text column says the column is text, and suggests no dtype for codes', () => {
    const df = ddf.readCsv(join(FIXTURES, 'airline/none/2001.csv'));
    const message = errorOf(() => df.col('Origin').mean()).message;
    expect(message).toBe(`col("Origin").mean(): column 'Origin' is text (string), and mean() needs numbers (a numeric or bool column)`);
    expect(message).not.toMatch(/dtype/);
  });

  it('a text column whose sampled values look like numbers gets a dtype (and naValues for its markers) to read it as numbers', async () => {
    const { dir, remove } = tempDir();
    try {
      // Code: integers but for two markers; Big: beyond int64; Forced: integers read as text by request; Word: text.
      writeFileSync(join(dir, 'a.csv'), 'Code,Big,Forced,Word\n12,1,5,SFO\n13,2,6,LAX\nx,99999999999999999999999,7,12\n-,1,8,JFK\n14,3,9,-\n');
      const df = ddf.readCsv(join(dir, 'a.csv'), { dtype: { Forced: 'string' }, naValues: ['', 'NA'] });
      expect(df.dtypes).toEqual({ Code: 'string', Big: 'string', Forced: 'string', Word: 'string' });
      expect(errorOf(() => df.col('Code').mean()).message).toBe(
        `col("Code").mean(): column 'Code' is text (string), and mean() needs numbers (a numeric or bool column); its sampled values look like numbers apart from 'x', '-': ` +
          `to read them as numbers with those missing, pass naValues: ["","NA","x","-"] and dtype: { Code: 'int64' } to readCsv`,
      );
      expect(errorOf(() => df.col('Big').sum()).message).toMatch(/its sampled values all look like numbers: to read them as numbers, pass dtype: \{ Big: 'float64' \} to readCsv$/);
      // The hint follows the column through filters, and into group-by aggregations.
      expect(errorOf(() => df.filter(ddf.col('Word').ne('x')).groupBy('Word').agg({ m: ddf.col('Forced').median() })).message).toMatch(/pass dtype: \{ Forced: 'int64' \} to readCsv$/);
      expect(errorOf(() => df.col('Word').std()).message).not.toMatch(/dtype/);
      // The suggestion works: read so, the column is numbers.
      const fixed = ddf.readCsv(join(dir, 'a.csv'), { naValues: ['', 'NA', 'x', '-'], dtype: { Code: 'int64' } });
      expect(await fixed.col('Code').sum()).toBe(39);
    } finally {
      remove();
    }
  });

  it('files whose headers differ are refused, naming the file', async () => {
    const { dir, remove } = tempDir();
    try {
      copyFileSync(edge('semicolon.csv'), join(dir, 'a.csv'));
      writeFileSync(join(dir, 'b.csv'), 'a;c\n1;2\n');
      await expect(ddf.readCsv(join(dir, '*.csv'), { delimiter: ';' }).col('a').sum()).rejects.toThrow(/b\.csv: its header \(a, c\) differs from the first file's \(a, b\)/);
    } finally {
      remove();
    }
  });

  it('a header-only file is an empty frame', async () => {
    const df = ddf.readCsv(edge('header-only.csv'));
    expect(df.columns).toEqual(['a', 'b', 'c']);
    expect(await df.col('a').count()).toBe(0);
    expect(Number.isNaN(await df.col('a').mean())).toBe(true);
    expect((await df.toArrow()).numRows).toBe(0);
  });
});

describe('readCsv: integers parsed by the row splitter', () => {
  const { dir, remove } = tempDir('ints-');
  afterAll(remove);

  it('an integer NA marker still reads as missing; signs, zeros and 10-digit values parse as in JS', async () => {
    const path = join(dir, 'ints.csv');
    const values = ['-999', '7', '+12', '-0', '007', '-999', '2147483647', '-2147483648', '123456789', ''];
    writeFileSync(path, 'a,b\n' + values.map((v, i) => `${v},${i}`).join('\n') + '\n');
    const df = ddf.readCsv(path, { naValues: ['-999', ''], dtype: { a: 'int64' } });
    const table = await df.toArrow();
    expect(table.getChild('a')!.toArray().length).toBe(values.length);
    const got = [...table.getChild('a')!].map((v) => (v === null ? null : Number(v)));
    expect(got).toEqual([null, 7, 12, 0, 7, null, 2147483647, -2147483648, 123456789, null]);
    const int32 = ddf.readCsv(path, { naValues: ['NA', ''], dtype: { a: 'int32' } });
    expect(await int32.col('a').min()).toBe(-2147483648);
    expect(await int32.col('a').count()).toBe(9);
  });
});
