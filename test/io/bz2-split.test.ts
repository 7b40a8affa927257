import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { scanBz2Magics, streamHeaderLevel } from '../../src/io/codecs/bz2-blocks.js';
import { type Bz2BlockRange, planBz2BlockRanges } from '../../src/io/codecs/bz2-block-range.js';
import type { ColumnBatch } from '../../src/core/column-data.js';
import { type CsvPartition, formatOf, resolveCsvSource } from '../../src/sources/csv/csv-source.js';
import { readCsvPartition } from '../../src/sources/csv/read-partition.js';
import { emptyMetrics, noProgress } from '../../src/io/io-metrics.js';
import { FIXTURES, batchRows, tempDir, which } from '../helpers.js';

const BZIP2 = which('bzip2');

function bzip2(data: Buffer, level: number): Buffer {
  return execFileSync(BZIP2!, [`-${level}`, '-c'], { input: data, maxBuffer: 64 << 20 });
}

const COLUMNS = ['FlightNum', 'DepDelay', 'TailNum'];
const OPTS = { encoding: 'latin1', usecols: COLUMNS } as const;

/** The rows of every column as JS values (null for missing), for exact comparison. */
function columns(table: Table): Record<string, unknown[]> {
  return Object.fromEntries(COLUMNS.map((c) => [c, Array.from(table.getChild(c)!)]));
}

function reductions(df: ddf.DataFrame) {
  const d = df.col('DepDelay');
  return [d.count(), d.sum(), d.min(), d.max()] as const;
}

afterAll(() => ddf.shutdown());

describe.skipIf(!BZIP2)('bz2 files split by blocks across partitions', () => {
  let dir: string;
  let remove: () => void;
  /** One stream of ~1.5 MB of CSV at level 1: about 15 blocks. */
  let single: string;
  /** Three concatenated streams (levels 1, 9, 3); each stream ends at a row end. */
  let multi: string;
  let csvBytes: number;

  beforeAll(() => {
    ({ dir, remove } = tempDir('dusk-bz2-split-'));
    const a = readFileSync(join(FIXTURES, 'airline/none/2001.csv'));
    const b = readFileSync(join(FIXTURES, 'airline/none/2002.csv'));
    const headerEnd = a.indexOf(10) + 1;
    const parts = [a.subarray(0, headerEnd)];
    for (let i = 0; i < 5; i++) parts.push(a.subarray(headerEnd), b.subarray(b.indexOf(10) + 1));
    const csv = Buffer.concat(parts);
    csvBytes = csv.length;
    single = join(dir, 'single.csv.bz2');
    writeFileSync(single, bzip2(csv, 1));
    // Cut the CSV at row ends into three streams.
    const cut1 = csv.indexOf(10, 500_000) + 1;
    const cut2 = csv.indexOf(10, 1_100_000) + 1;
    multi = join(dir, 'multi.csv.bz2');
    writeFileSync(multi, Buffer.concat([bzip2(csv.subarray(0, cut1), 1), bzip2(csv.subarray(cut1, cut2), 9), bzip2(csv.subarray(cut2), 3)]));
  });
  afterAll(() => remove?.());

  it('gives several partitions whose rows and reductions equal one partition, for several blocksizes, on sync and threads', async () => {
    const whole = ddf.readCsv(single, { ...OPTS, blocksize: null });
    expect(whole.npartitions).toBe(1);
    const wholeRows = columns(await whole.toArrow().compute({ scheduler: 'sync' }));
    expect(wholeRows.FlightNum).toHaveLength(15_000);
    const wholeStats = await ddf.compute(...reductions(whole), { scheduler: 'sync' });
    for (const blocksize of [150_000, 400_000, '1MB']) {
      const df = ddf.readCsv(single, { ...OPTS, blocksize });
      expect(df.npartitions, String(blocksize)).toBeGreaterThan(1);
      for (const scheduler of ['sync', 'threads'] as const) {
        const table = await df.toArrow().compute({ scheduler, numWorkers: 2, inlineBelowBytes: 0 });
        expect(columns(table), `${blocksize} ${scheduler}`).toEqual(wholeRows);
        // one read pass: each partition opens the file once
        expect(ddf.lastComputeReport()!.opens).toEqual({ [single]: df.npartitions });
        expect(await ddf.compute(...reductions(df), { scheduler, numWorkers: 2, inlineBelowBytes: 0 }), `${blocksize} ${scheduler}`).toEqual(wholeStats);
        expect(ddf.lastComputeReport()!.opens).toEqual({ [single]: df.npartitions });
      }
    }
  });

  it('sizes partitions by the decoded bytes (estimated from the sampled blocks); null or a small file keeps one partition', () => {
    const compressed = readFileSync(single).length;
    // About csvBytes / blocksize partitions, though the file is ~5x smaller compressed.
    const n = ddf.readCsv(single, { ...OPTS, blocksize: Math.ceil(csvBytes / 4) }).npartitions;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThanOrEqual(6);
    expect(ddf.readCsv(single, { ...OPTS, blocksize: compressed }).npartitions).toBeGreaterThan(1);
    expect(ddf.readCsv(single, OPTS).npartitions).toBe(1); // default 64MB
    expect(ddf.readCsv(single, { ...OPTS, blocksize: null }).npartitions).toBe(1);
    expect(ddf.readCsv(join(FIXTURES, 'airline/gz/2001.csv.gz'), { ...OPTS, blocksize: 1000 }).npartitions).toBe(1);
    // Equal compressed ranges that tile the file.
    const ranges = planBz2BlockRanges(1_000_000, 3);
    expect(ranges).toEqual([
      { start: 0, end: 333_334 },
      { start: 333_334, end: 666_668 },
      { start: 666_668, end: null },
    ]);
  });

  it('splits a file of several concatenated streams with different levels', async () => {
    const wholeRows = columns(await ddf.readCsv(multi, { ...OPTS, blocksize: null }).toArrow().compute({ scheduler: 'sync' }));
    const wholeStats = await ddf.compute(...reductions(ddf.readCsv(multi, { ...OPTS, blocksize: null })), { scheduler: 'sync' });
    for (const blocksize of [120_000, 700_000]) {
      const df = ddf.readCsv(multi, { ...OPTS, blocksize });
      expect(df.npartitions).toBeGreaterThan(1);
      expect(columns(await df.toArrow().compute({ scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 })), String(blocksize)).toEqual(wholeRows);
      expect(ddf.lastComputeReport()!.opens).toEqual({ [multi]: df.npartitions });
      expect(await ddf.compute(...reductions(df), { scheduler: 'sync' })).toEqual(wholeStats);
    }
  });

  it('owns every row exactly once for a cut at, just before and just after every block and stream start', async () => {
    for (const path of [single, multi]) {
      const source = resolveCsvSource(path, { encoding: 'latin1', usecols: ['FlightNum', 'DepDelay'], dtype: { FlightNum: 'string', DepDelay: 'string' } });
      const scan = { source: formatOf(source), columns: ['FlightNum', 'DepDelay'] };
      const read = async (ranges: Bz2BlockRange[]) => {
        const rows: (string | null)[][] = [];
        const metrics = emptyMetrics();
        for (const [index, bz2Blocks] of ranges.entries()) {
          const part: CsvPartition = { index, path, compression: 'bz2', start: 0, end: null, bz2Blocks, fileSize: source.partitions[0]!.fileSize, fileMtimeMs: source.partitions[0]!.fileMtimeMs };
          const batches: ColumnBatch[] = [];
          for await (const batch of readCsvPartition(part, scan, { metrics, progress: noProgress })) batches.push(batch);
          rows.push(...batchRows(batches));
        }
        return rows;
      };
      const whole = await read([{ start: 0, end: null }]);
      expect(whole).toHaveLength(15_000);
      const file = readFileSync(path);
      const cuts = new Set<number>();
      const starts = scanBz2Magics(file).filter((m) => m.kind === 'block');
      starts.forEach((m, i) => {
        const byte = m.bit >>> 3;
        const streamStart = streamHeaderLevel(file, byte - 4) !== 0 && m.bit % 8 === 0;
        // A cut at `byte` gives this block to the later partition, at byte + 1 to the earlier one
        // (its magic starts in that byte). Every other block of the long single stream is enough.
        if (streamStart && byte > 4) cuts.add(byte - 4); // at the "BZh" header: the stream's first block is the later partition's
        if (path === multi || i % 2 === 0 || streamStart) for (const c of [byte, byte + 1]) if (c > 0 && c < file.length) cuts.add(c);
      });
      if (path === multi) expect([...cuts].filter((c) => streamHeaderLevel(file, c) !== 0)).toHaveLength(2);
      for (const c of [...cuts].sort((x, y) => x - y)) {
        // Three partitions: [0, c), a 3-byte range that holds at most one block start, [c + 3, end).
        const rows = await read([
          { start: 0, end: c },
          { start: c, end: c + 3 },
          { start: c + 3, end: null },
        ]);
        expect(rows.length, `${path} cut at ${c}`).toBe(whole.length);
        expect(rows, `${path} cut at ${c}`).toEqual(whole);
      }
    }
  });

  it('head(n) reads only the first partition', async () => {
    const df = ddf.readCsv(single, { ...OPTS, blocksize: 150_000 });
    const head = await df.head(5);
    expect(head.numRows).toBe(5);
    expect(ddf.lastComputeReport()!.opens).toEqual({ [single]: 1 });
    expect(columns(head)).toEqual(columns(await ddf.readCsv(single, { ...OPTS, blocksize: null }).head(5)));
  });

  it('a corrupt or truncated block fails with the file and the compressed offset of that block', async () => {
    const file = readFileSync(single);
    const blocks = scanBz2Magics(file).filter((m) => m.kind === 'block');
    const target = blocks[Math.floor(blocks.length / 2)]!;
    const targetByte = target.bit >>> 3;
    const corrupt = Buffer.from(file);
    corrupt[targetByte + 2000] ^= 0x55;
    const corruptPath = join(dir, 'corrupt.csv.bz2');
    writeFileSync(corruptPath, corrupt);
    const truncatedPath = join(dir, 'truncated.csv.bz2');
    writeFileSync(truncatedPath, file.subarray(0, targetByte + 2000));
    for (const [path, pattern] of [
      [corruptPath, /corrupt bz2 data in the block that starts here/],
      [truncatedPath, /truncated bz2 file/],
    ] as const) {
      for (const blocksize of [150_000, 400_000]) {
        const df = ddf.readCsv(path, { ...OPTS, blocksize });
        expect(df.npartitions).toBeGreaterThan(1);
        const error = await df.col('DepDelay').sum().compute({ scheduler: 'sync' }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error, `${path} ${blocksize}`).toBeInstanceOf(ddf.DuskIoError);
        expect((error as ddf.DuskIoError).path).toBe(path);
        expect((error as ddf.DuskIoError).offset).toBe(targetByte);
        expect((error as Error).message).toMatch(pattern);
        expect((error as Error).message).toContain(`(compressed byte ${targetByte})`);
      }
    }
    // When the bad block is the first of a partition, that partition cannot tell it from a chance
    // magic and starts at the next block; the partition before decodes it to finish its last row
    // and reports it, so the compute fails either way.
    const source = resolveCsvSource(corruptPath, OPTS);
    const scan = { source: formatOf(source), columns: ['DepDelay'] };
    const drain = async (bz2Blocks: Bz2BlockRange) => {
      let n = 0;
      const part: CsvPartition = { index: 0, path: corruptPath, compression: 'bz2', start: 0, end: null, bz2Blocks, fileSize: source.partitions[0]!.fileSize, fileMtimeMs: source.partitions[0]!.fileMtimeMs };
      for await (const batch of readCsvPartition(part, scan, { metrics: emptyMetrics(), progress: noProgress })) n += batch.length;
      return n;
    };
    await expect(drain({ start: 0, end: targetByte })).rejects.toMatchObject({ name: 'DuskIoError', path: corruptPath, offset: targetByte });
    expect(await drain({ start: targetByte, end: null })).toBeGreaterThan(0);
  });

  it('a bad row in a later partition names its line in the file; a skipped row is counted once', async () => {
    const text = readFileSync(join(FIXTURES, 'airline/none/2001.csv'), 'latin1');
    const [header, ...rows] = text.trimEnd().split('\n');
    const lines = [header!];
    for (let i = 0; i < 7; i++) lines.push(...rows);
    const badValue = 6_000; // 1-based line numbers in the file
    const shortRow = 9_000;
    const depDelay = header!.split(',').indexOf('DepDelay');
    const fields = lines[badValue - 1]!.split(',');
    fields[depDelay] = 'x7';
    lines[badValue - 1] = fields.join(',');
    lines[shortRow - 1] = lines[shortRow - 1]!.split(',').slice(0, 5).join(',');
    const path = join(dir, 'bad.csv.bz2');
    writeFileSync(path, bzip2(Buffer.from(`${lines.join('\n')}\n`, 'latin1'), 1));

    const df = ddf.readCsv(path, { encoding: 'latin1', usecols: ['DepDelay'], dtype: { DepDelay: 'int32' }, blocksize: 200_000 });
    expect(df.npartitions).toBeGreaterThan(2);
    await expect(df.col('DepDelay').sum().compute({ scheduler: 'sync' })).rejects.toMatchObject({ name: 'DuskParseError', line: badValue, column: 'DepDelay', value: 'x7' });

    const opts: ddf.ReadCsvOptions = { encoding: 'latin1', usecols: ['Year'], onBadLines: 'skip' };
    const whole = await ddf.readCsv(path, { ...opts, blocksize: null }).col('Year').count().compute({ scheduler: 'sync' });
    const wholeReport = ddf.lastComputeReport()!;
    const split = ddf.readCsv(path, { ...opts, blocksize: 200_000 });
    expect(await split.col('Year').count().compute({ scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 })).toBe(whole);
    const report = ddf.lastComputeReport()!;
    expect(whole).toBe(lines.length - 2);
    expect(report.badLines).toBe(1);
    expect(report.badLineSamples).toEqual(wholeReport.badLineSamples);
    expect(report.badLineSamples[0]).toContain(`bad.csv.bz2:${shortRow} (expected 29 fields, found 5)`);
    // The partition with the bad row opened the file once more, to count lines for the message.
    expect(report.opens[path]).toBe(split.npartitions + 1);
  });
});
