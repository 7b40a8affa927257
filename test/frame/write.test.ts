/**
 * frame.toParquet / frame.toCsv: files written by Dusk read back by Dusk, DuckDB and pandas;
 * Parquet written by DuckDB read by Dusk; a failing write leaves nothing behind and names the
 * partition; overwrite; the same bytes from every scheduler.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { pythonFloatRepr } from '../../src/io/write/csv-writer.js';
import { partFileName } from '../../src/plan/physical/lowerings/write.js';
import { rng, tempDir } from '../helpers.js';

const { col } = ddf;
const SHARDS = 3;
const ROWS = 700;
const DTYPE = { i32: 'int32', i64: 'int64', f: 'float64', b: 'bool', s: 'string', c: 'category' } as const;
const THREADS = { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 } as const;
const PROCESSES = { scheduler: 'processes', numWorkers: 2, inlineBelowBytes: 0 } as const;

let dir: string;
let remove: () => void;
let instance: DuckDBInstance;
let db: Awaited<ReturnType<DuckDBInstance['connect']>>;

/** A CSV field as pandas writes it (quoted when it holds a comma, quote, CR or LF). */
function quoted(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Shards of every dtype, nulls in each column, awkward strings and int64 beyond 2^53. */
function writeShards(into: string, badLastShard = false): void {
  mkdirSync(into, { recursive: true });
  const next = rng(7);
  const words = ['plain', 'with,comma', 'with "quote"', 'two\nlines', 'cr\rhere', 'ünïcødé', ' spaced '];
  for (let shard = 0; shard < SHARDS; shard++) {
    const lines = ['i32,i64,f,b,s,c'];
    for (let r = 0; r < ROWS; r++) {
      const missing = () => next() < 0.08;
      const i32 = missing() ? '' : String(Math.floor(next() * 2e9) - 1e9);
      const i64 = missing() ? '' : (BigInt(Math.floor(next() * 1e6)) * 10_000_000_007n - 3n * 10n ** 15n).toString();
      const f = missing() ? '' : String((next() - 0.5) * 10 ** Math.floor(next() * 40 - 20));
      const b = missing() ? '' : next() < 0.5 ? 'True' : 'False';
      const s = missing() ? '' : quoted(words[Math.floor(next() * words.length)]! + r);
      const c = missing() ? '' : ['AA', 'UA', 'DL', 'W,N'][Math.floor(next() * 4)]!;
      lines.push([i32, i64, f, b, s, quoted(c)].join(','));
    }
    if (badLastShard && shard === SHARDS - 1) lines.splice(ROWS - 5, 0, '12,not-a-number,1.5,True,x,AA');
    writeFileSync(join(into, `shard-${shard}.csv`), `${lines.join('\n')}\n`);
  }
}

function source(): ddf.DataFrame {
  return ddf.readCsv(join(dir, 'in', '*.csv'), { dtype: DTYPE });
}

async function duck(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

/** Every file of a directory (names and bytes), hidden ones too. */
function listing(path: string): Record<string, Buffer> {
  return Object.fromEntries(readdirSync(path).map((name) => [name, readFileSync(join(path, name))]));
}

/** Leftovers of writes next to a target: temporary or set-aside directories. */
function leftovers(parent: string): string[] {
  return readdirSync(parent).filter((name) => name.includes('.dusk-tmp-'));
}

beforeAll(async () => {
  ({ dir, remove } = tempDir('dusk-write-'));
  writeShards(join(dir, 'in'));
  instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  db = await instance.connect();
});

afterAll(async () => {
  db?.closeSync();
  instance?.closeSync();
  remove?.();
  await ddf.shutdown();
});

describe('toParquet', () => {
  it('writes one file per partition that Dusk reads back with the same rows and dtypes', async () => {
    const df = source();
    const out = join(dir, 'pq-roundtrip');
    const result = await df.toParquet(out).compute(THREADS);
    expect(result.path).toBe(out);
    expect(result.files).toEqual([0, 1, 2].map((i) => join(out, `part.${i}.parquet`)));
    expect(result.rows).toBe(SHARDS * ROWS);
    expect(result.bytes).toBe(result.files.reduce((n, f) => n + readFileSync(f).length, 0));
    expect(readdirSync(out).sort()).toEqual(['part.0.parquet', 'part.1.parquet', 'part.2.parquet']);
    const back = ddf.readParquet(join(out, '*.parquet'));
    // category is written as a dictionary-encoded string column, its Arrow type kept in the file's Arrow schema.
    expect(back.dtypes).toEqual(DTYPE);
    expect(await back.toRecords()).toEqual(await source().toRecords());
  });

  it('is read by DuckDB with the same rows, types and aggregates', async () => {
    const out = join(dir, 'pq-duck');
    await source().toParquet(out, { compression: 'zstd', rowGroupSize: 500 }).compute(THREADS);
    const glob = `read_parquet('${out}/*.parquet')`;
    const types = await duck(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${glob})`);
    expect(Object.fromEntries(types.map((t) => [t.column_name, t.column_type]))).toEqual({ i32: 'INTEGER', i64: 'BIGINT', f: 'DOUBLE', b: 'BOOLEAN', s: 'VARCHAR', c: 'VARCHAR' });
    const [got] = await duck(`SELECT count(*)::INT AS n, count(i32)::INT AS n32, sum(i32)::DOUBLE AS s32, sum(i64)::VARCHAR AS s64, count(f)::INT AS nf, max(f) AS mx, sum(b::INT)::INT AS nb, count(s)::INT AS ns, max(s) AS ms FROM ${glob}`);
    const df = source();
    const [n32, s32, nf, mx, ns] = await ddf.compute(df.col('i32').count(), df.col('i32').sum(), df.col('f').count(), df.col('f').max(), df.col('s').count());
    const rows = await df.toColumns();
    const s64 = (rows.i64 as (number | bigint | null)[]).reduce<bigint>((a, v) => a + (v === null ? 0n : BigInt(v)), 0n);
    const nb = (rows.b as (boolean | null)[]).filter((v) => v === true).length;
    const ms = (rows.s as (string | null)[]).filter((v) => v !== null).sort().at(-1);
    expect(got).toEqual({ n: SHARDS * ROWS, n32, s32, s64: s64.toString(), nf, mx, nb, ns, ms });
    const byC = await duck(`SELECT c, count(*)::INT AS n, sum(i64)::VARCHAR AS s FROM ${glob} GROUP BY c ORDER BY c NULLS LAST`);
    const mine = await df.groupBy('c', { dropna: false }).agg({ n: col('i64').len(), s: col('i64').sum() }).toRecords();
    expect(mine.map((r) => ({ c: r.c, n: r.n, s: r.s === null ? null : BigInt(r.s as number).toString() }))).toEqual(byC.map((r) => ({ c: r.c, n: r.n, s: r.s })));
    // rowGroupSize: 700 rows a file in row groups of 500.
    const groups = await duck(`SELECT count(DISTINCT row_group_id)::INT AS g FROM parquet_metadata('${out}/part.0.parquet')`);
    expect(groups[0]!.g).toBe(2);
  });

  it('reads Parquet written by DuckDB as the frame it was written from', async () => {
    const out = join(dir, 'by-duckdb.parquet');
    await db.run(`COPY (SELECT * FROM read_csv('${join(dir, 'in', '*.csv')}', header = true, columns = {'i32': 'INTEGER', 'i64': 'BIGINT', 'f': 'DOUBLE', 'b': 'BOOLEAN', 's': 'VARCHAR', 'c': 'VARCHAR'})) TO '${out}' (FORMAT parquet)`);
    const back = ddf.readParquet(out);
    expect(back.dtypes).toEqual({ ...DTYPE, c: 'string' });
    expect(await back.toRecords()).toEqual(await source().toRecords());
  });

  it('writes the group-by result of a shared scan in the same compute as a reduction (one read)', async () => {
    const df = source();
    const out = join(dir, 'pq-agg');
    const agg = df.groupBy('c').agg({ n: col('i32').count(), m: col('f').mean() });
    const [written, mean, table] = await ddf.compute(df.toParquet(join(dir, 'pq-all')), df.col('f').mean(), agg.toParquet(out), THREADS);
    expect(written.rows).toBe(SHARDS * ROWS);
    expect(Object.values(ddf.lastComputeReport()!.opens)).toEqual([1, 1, 1]);
    expect(table.files).toEqual([join(out, 'part.0.parquet')]);
    expect(await ddf.readParquet(join(out, '*.parquet')).toRecords()).toEqual(await agg.toRecords());
    expect(mean).toBe(await df.col('f').mean());
  });

  it('writes every codec in a form DuckDB and Dusk read', async () => {
    const df = ddf.fromColumns({ x: Float64Array.from({ length: 5000 }, (_, i) => i / 7), s: Array.from({ length: 5000 }, (_, i) => `v${i % 13}`) });
    const want = await df.toRecords();
    for (const compression of ['snappy', 'zstd', 'gzip', 'brotli', 'lz4', 'none'] as const) {
      const out = join(dir, `codec-${compression}`);
      await df.toParquet(out, { compression });
      const codecs = await duck(`SELECT DISTINCT compression FROM parquet_metadata('${out}/*.parquet')`);
      expect(codecs.map((c) => c.compression)).toEqual([{ snappy: 'SNAPPY', zstd: 'ZSTD', gzip: 'GZIP', brotli: 'BROTLI', lz4: 'LZ4_RAW', none: 'UNCOMPRESSED' }[compression]]);
      expect(await duck(`SELECT count(*)::INT AS n, sum(x) AS s FROM read_parquet('${out}/*.parquet')`)).toEqual([{ n: 5000, s: want.reduce((a, r) => a + (r.x as number), 0) }]);
      expect(await ddf.readParquet(join(out, '*.parquet')).toRecords()).toEqual(want);
    }
  });

  it('writes an empty partition as a file with the schema and no rows', async () => {
    const out = join(dir, 'pq-empty');
    const result = await source().filter(col('i32').gt(3e9)).toParquet(out);
    expect(result.rows).toBe(0);
    const back = ddf.readParquet(join(out, '*.parquet'));
    expect(back.columns).toEqual(Object.keys(DTYPE));
    expect(await back.toRecords()).toEqual([]);
    expect(await duck(`SELECT count(*)::INT AS n FROM read_parquet('${out}/*.parquet')`)).toEqual([{ n: 0 }]);
  });
});

describe('toCsv', () => {
  it('writes text that Dusk and DuckDB read back as the same frame', async () => {
    const out = join(dir, 'csv-roundtrip');
    const result = await source().toCsv(out).compute(THREADS);
    expect(readdirSync(out).sort()).toEqual(['part.0.csv', 'part.1.csv', 'part.2.csv']);
    expect(result.rows).toBe(SHARDS * ROWS);
    const back = ddf.readCsv(join(out, '*.csv'), { dtype: DTYPE });
    expect(await back.toRecords()).toEqual(await source().toRecords());
    const glob = `read_csv('${out}/*.csv', header = true, columns = {'i32': 'INTEGER', 'i64': 'BIGINT', 'f': 'DOUBLE', 'b': 'BOOLEAN', 's': 'VARCHAR', 'c': 'VARCHAR'})`;
    const fromDuck = await duck(`SELECT i32, i64::VARCHAR AS i64, f, b, s, c FROM ${glob}`);
    const mine = (await source().toRecords()).map((r) => ({ ...r, i64: r.i64 === null ? null : BigInt(r.i64 as number).toString(), f: Number.isNaN(r.f) ? null : r.f }));
    expect(fromDuck).toEqual(mine);
  });

  it('writes separator, naRep, no header and gzip as asked', async () => {
    const out = join(dir, 'csv-options');
    const df = ddf.fromColumns({ x: [1.5, null, 3], s: ['a;b', 'c', null] });
    await df.toCsv(out, { separator: ';', naRep: 'NA', header: false, compression: 'gzip' });
    expect(readdirSync(out)).toEqual(['part.0.csv.gz']);
    const text = execFileSync('gzip', ['-dc', join(out, 'part.0.csv.gz')], { encoding: 'utf8' });
    expect(text).toBe('1.5;"a;b"\nNA;c\n3.0;NA\n');
  });

  it('writes what pandas.read_csv reads back as the same frame', async (context) => {
    const pandas = '/usr/bin/python3';
    try {
      execFileSync(pandas, ['-c', 'import pandas'], { stdio: 'ignore' });
    } catch {
      return context.skip();
    }
    const out = join(dir, 'csv-pandas');
    const df = ddf.fromColumns({
      f: [3, 1e16, 1e-5, NaN, Infinity, -Infinity, 0.1, -0, 1.2345678901234567e-300, 123456789.125],
      i: BigInt64Array.from([2n ** 62n, -1n, 0n, 9007199254740993n, 1n, 2n, 3n, 4n, 5n, 6n]),
      b: [true, false, true, false, true, false, true, false, true, false],
      s: ['a,b', 'q"x', 'l\nm', 'x\ry', 'plain', ' sp', 'ü', '', 'e', 'f'],
    });
    await df.toCsv(out);
    const script = `
import pandas as pd, json, sys
d = pd.read_csv(sys.argv[1], float_precision='round_trip')
print(json.dumps({'dtypes': {k: str(v) for k, v in d.dtypes.items()}, 'f': [repr(x) for x in d.f], 'i': [str(x) for x in d.i], 'b': [bool(x) for x in d.b], 's': [None if isinstance(x, float) else x for x in d.s]}))`;
    const got = JSON.parse(execFileSync(pandas, ['-c', script, join(out, 'part.0.csv')], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(got.dtypes).toEqual({ f: 'float64', i: 'int64', b: 'bool', s: 'object' });
    expect(got.f).toEqual(['3.0', '1e+16', '1e-05', 'nan', 'inf', '-inf', '0.1', '-0.0', '1.2345678901234568e-300', '123456789.125']);
    expect(got.i).toEqual(['4611686018427387904', '-1', '0', '9007199254740993', '1', '2', '3', '4', '5', '6']);
    expect(got.b).toEqual([true, false, true, false, true, false, true, false, true, false]);
    // An empty string and a missing value are both written as naRep ('').
    expect(got.s).toEqual(['a,b', 'q"x', 'l\nm', 'x\ry', 'plain', ' sp', 'ü', null, 'e', 'f']);
  });

  it('writes floats as Python repr does', () => {
    const next = rng(11);
    const values = [0.1, 1 / 3, 1e15, 1e16 - 2, 9999999999999998, 1e16, 1e-4, 9.999999999999999e-5, 5e-324, 1.7976931348623157e308, 123.0, -7.25e-10, 2 ** 53];
    for (let i = 0; i < 300; i++) values.push((next() - 0.5) * 10 ** Math.floor(next() * 60 - 30));
    const repr = JSON.parse(execFileSync('python3', ['-c', 'import sys, json; print(json.dumps([repr(float(x)) for x in json.load(sys.stdin)]))'], { input: JSON.stringify(values), encoding: 'utf8' })) as string[];
    expect(values.map(pythonFloatRepr)).toEqual(repr);
  });
});

describe('a write that fails', () => {
  it('leaves no file behind and names the partition, the file and the line', async () => {
    const bad = join(dir, 'bad');
    writeShards(join(bad, 'in'), true);
    const df = ddf.readCsv(join(bad, 'in', '*.csv'), { dtype: DTYPE });
    for (const options of [THREADS, { scheduler: 'sync' } as const]) {
      const out = join(bad, 'out');
      const error = await df.toParquet(out).compute(options).then(() => null, (e: Error) => e);
      expect(error).toBeInstanceOf(ddf.DuskParseError);
      expect(error!.message).toMatch(/^toParquet\(".*bad\/out"\): partition 3\/3 failed \(nothing was written\): /);
      expect(error!.message).toContain('shard-2.csv');
      const lines = readFileSync(join(bad, 'in', 'shard-2.csv'), 'utf8').split('\n');
      expect((error as ddf.DuskParseError).line).toBe(lines.indexOf('12,not-a-number,1.5,True,x,AA') + 1);
      expect(existsSync(out)).toBe(false);
      expect(leftovers(bad)).toEqual([]);
    }
  });

  it('refuses an existing directory unless overwrite, checked again before the rename', async () => {
    const out = join(dir, 'over');
    mkdirSync(out);
    writeFileSync(join(out, 'stale.txt'), 'old');
    expect(() => source().toCsv(out)).toThrow(/already exists; pass \{ overwrite: true \}/);
    const result = await source().toCsv(out, { overwrite: true });
    expect(readdirSync(out).sort()).toEqual(['part.0.csv', 'part.1.csv', 'part.2.csv']);
    expect(result.rows).toBe(SHARDS * ROWS);
    // The target appears between building the write and running it: the run refuses, and leaves it.
    const late = join(dir, 'late');
    const lazy = source().toParquet(late);
    mkdirSync(late);
    writeFileSync(join(late, 'mine.txt'), 'keep');
    await expect(lazy.compute(THREADS)).rejects.toThrow(/already exists/);
    expect(readdirSync(late)).toEqual(['mine.txt']);
    expect(leftovers(dir)).toEqual([]);
  });

  it('refuses to replace the current directory or a file, and checks its options', () => {
    expect(() => source().toParquet(process.cwd(), { overwrite: true })).toThrow(/is the current directory or holds it/);
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    expect(() => source().toParquet(file, { overwrite: true })).toThrow(/is not a directory/);
    expect(() => source().toParquet(join(dir, 'x'), { compression: 'lzo' as never })).toThrow(/compression must be one of 'snappy', 'zstd'/);
    expect(() => source().toCsv(join(dir, 'x'), { sep: ';' } as never)).toThrow(/Did you mean 'separator'/);
    expect(() => source().toCsv(join(dir, 'x'), { separator: '"' })).toThrow(/separator must be one ASCII character/);
    expect(() => source().toParquet(join(dir, 'x'), { rowGroupSize: 0 })).toThrow(/rowGroupSize must be/);
  });
});

describe('every scheduler', () => {
  it('writes the same bytes on sync, threads and processes', async () => {
    const df = source().withColumns({ g: col('f').mul(2) });
    const runs = { sync: { scheduler: 'sync' } as const, threads: THREADS, processes: PROCESSES };
    for (const write of ['parquet', 'csv'] as const) {
      const files: Record<string, Record<string, Buffer>> = {};
      for (const [name, options] of Object.entries(runs)) {
        const out = join(dir, `same-${write}-${name}`);
        await (write === 'parquet' ? df.toParquet(out) : df.toCsv(out)).compute(options);
        files[name] = listing(out);
      }
      expect(Object.keys(files.sync!)).toHaveLength(SHARDS);
      expect(files.threads).toEqual(files.sync);
      expect(files.processes).toEqual(files.sync);
    }
  });

  it('names files so that a glob lists them in partition order', () => {
    expect(partFileName(3, 8, 'csv')).toBe('part.3.csv');
    expect(partFileName(3, 12, 'parquet')).toBe('part.03.parquet');
    expect(partFileName(0, 1, 'csv.gz')).toBe('part.0.csv.gz');
  });
});
