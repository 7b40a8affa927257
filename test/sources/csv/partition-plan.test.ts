import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../../src/index.js';
import type { ColumnBatch } from '../../../src/core/column-data.js';
import { emptyMetrics, noProgress } from '../../../src/io/io-metrics.js';
import { type CsvSource, formatOf, resolveCsvSource } from '../../../src/sources/csv/csv-source.js';
import { DEFAULT_MIN_PARTITION_BYTES, PARTITION_COST, type PlannedFile, partitionCounts } from '../../../src/sources/csv/partition-plan.js';
import { readCsvPartition } from '../../../src/sources/csv/read-partition.js';
import { rng, tempDir, which } from '../../helpers.js';

afterAll(() => ddf.shutdown());

const MB = 1 << 20;
const plain = (decodedBytes: number, blocksize = 32 * MB): PlannedFile => ({ decodedBytes, splittable: true, blocksize, partitionCost: PARTITION_COST.none });
const bz2 = (decodedBytes: number): PlannedFile => ({ decodedBytes, splittable: true, blocksize: 64 * MB, partitionCost: PARTITION_COST.bz2 });

describe('partitionCounts', () => {
  const plan = (files: PlannedFile[], workers: number, minPartitionBytes = 8 * MB) => partitionCounts(files, { workers, minPartitionBytes });

  it('cuts one big-enough file into at least as many partitions as workers, a multiple of them', () => {
    expect(plan([plain(83 * MB)], 2)).toEqual([4]); // 3 blocks of 32 MB, rounded up to 2 × 2
    expect(plan([plain(20 * MB)], 2)).toEqual([2]); // under one block, still cut for 2 workers
    expect(plan([plain(40 * MB)], 4)).toEqual([4]);
    expect(plan([bz2(83 * MB)], 2)).toEqual([2]); // bz2: each cut decodes a block again, so no more than needed
    for (const workers of [1, 2, 3, 5, 8, 16]) {
      const [n] = plan([plain(500 * MB)], workers);
      expect(n! % workers, `${workers} workers`).toBe(0);
      expect(500 / n!, `${workers} workers`).toBeLessThanOrEqual(32);
    }
  });

  it('does not cut below the minimum partition size, nor data too small to fill the workers', () => {
    expect(plan([plain(10 * MB)], 2)).toEqual([1]);
    expect(plan([plain(20 * MB)], 4)).toEqual([2]); // 2 partitions of 10 MB, not 4 of 5
    expect(plan([plain(7 * MB)], 16)).toEqual([1]);
    expect(plan([plain(0)], 2)).toEqual([1]);
  });

  it('cuts a large shard among small ones into pieces of about their size', () => {
    // One large and three small shards, the large 5× a small (as airline years differ).
    // Fixed 64 MB blocks give the large shard 2 partitions of 40 MB: on 2 workers, 1 reads 56 MB
    // while the other reads 72; 3 equal pieces leave the last small shard alone at the end.
    expect(plan([bz2(80 * MB), bz2(16 * MB), bz2(16 * MB), bz2(16 * MB)], 2)).toEqual([5, 1, 1, 1]);
    expect(plan([bz2(80 * MB), bz2(16 * MB), bz2(16 * MB), bz2(16 * MB)], 4)).toEqual([5, 1, 1, 1]);
  });

  it('gives every file at least one partition and never cuts gzip or files under blocksize null', () => {
    const tiny = Array.from({ length: 1000 }, () => plain(2000));
    expect(plan(tiny, 8)).toEqual(tiny.map(() => 1));
    const gzip: PlannedFile = { decodedBytes: 500 * MB, splittable: false, blocksize: Number.POSITIVE_INFINITY, partitionCost: PARTITION_COST.gzip };
    expect(plan([gzip, gzip], 4)).toEqual([1, 1]);
    // A gzip file among plain ones: the plain one is cut to fill the workers and round the total.
    expect(plan([gzip, plain(100 * MB)], 4)).toEqual([1, 7]);
  });
});

/** A CSV of `rows` rows of varying length, some with quoted fields (commas, doubled quotes; newlines if asked). */
function csvText(rows: number, seed: number, quotedNewlines = false): { text: string; sum: number } {
  const random = rng(seed);
  // Padding of random letters: bzip2 squeezes runs of one byte before cutting blocks.
  const letters = Array.from({ length: 256 }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
  const lines = ['id,value,note'];
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const value = Math.floor(random() * 2000) - 1000;
    sum += value;
    const from = Math.floor(random() * 128);
    const pad = letters.slice(from, from + Math.floor(random() * 120));
    const r = random();
    const note = r < 0.2 ? `"a, ""quoted"" ${pad}"` : r < 0.25 && quotedNewlines ? `"line one\nline two ${pad}"` : pad;
    lines.push(`${i},${value},${note}`);
  }
  return { text: lines.join('\n') + '\n', sum };
}

/** Rows and CSV bytes (approximately: the parsed id/value text) each partition of a source reads. */
async function partitionRows(source: CsvSource): Promise<{ rows: number; ids: number[] }[]> {
  const scan = { source: formatOf(source), columns: ['id'] };
  const out: { rows: number; ids: number[] }[] = [];
  for (const part of source.partitions) {
    const batches: ColumnBatch[] = [];
    for await (const batch of readCsvPartition(part, scan, { metrics: emptyMetrics(), progress: noProgress })) batches.push(batch);
    const ids: number[] = [];
    for (const b of batches) {
      const col = b.columns[0]!;
      if (col.dtype !== 'int32' && col.dtype !== 'int64' && col.dtype !== 'float64') throw new Error(`id read as ${col.dtype}`);
      for (let r = 0; r < col.length; r++) ids.push(Number(col.values[r]));
    }
    out.push({ rows: ids.length, ids });
  }
  return out;
}

/** Every id 0..rows-1 exactly once, in order, across the partitions. */
function expectEveryRowOnce(parts: { ids: number[] }[], rows: number, what: string): void {
  const ids = parts.flatMap((p) => p.ids);
  expect(ids.length, what).toBe(rows);
  let wrong = 0;
  for (let i = 0; i < ids.length; i++) if (ids[i] !== i) wrong++;
  expect(wrong, what).toBe(0);
}

describe('balanced partitions of real files', () => {
  let dir: string;
  let remove: () => void;
  beforeAll(() => ({ dir, remove } = tempDir('dusk-balance-')));
  afterAll(() => remove?.());

  it('cuts a plain file of awkward size into equal byte ranges; no row is lost or read twice at the edges', async () => {
    const rows = 47_011;
    const { text, sum } = csvText(rows, 5);
    const path = join(dir, 'awkward.csv');
    writeFileSync(path, text);
    const size = Buffer.byteLength(text);
    for (const workers of [2, 3, 7]) {
      const source = resolveCsvSource(path, { blocksize: '1MB' }, { workers, minPartitionBytes: 100_000 });
      const n = source.partitions.length;
      expect(n, `${workers} workers`).toBeGreaterThanOrEqual(Math.ceil(size / 1e6));
      expect(n % workers, `${workers} workers`).toBe(0);
      const lengths = source.partitions.map((p) => (p.end ?? size) - p.start);
      expect(Math.max(...lengths) - Math.min(...lengths), `${workers} workers`).toBeLessThanOrEqual(1);
      const parts = await partitionRows(source);
      expectEveryRowOnce(parts, rows, `${workers} workers`);
      // Rows per partition follow the bytes: within a few percent of an equal share.
      for (const p of parts) expect(Math.abs(p.rows - rows / n) / (rows / n), `${workers} workers`).toBeLessThan(0.1);
    }
    // The same count and sum as one partition, through the engine on worker threads.
    const whole = ddf.readCsv(path, { blocksize: null }).col('value');
    const want = await ddf.compute(whole.count(), whole.sum(), { scheduler: 'sync' });
    expect(want).toEqual([rows, sum]);
    for (const blocksize of [100_003, '1MB']) {
      const value = ddf.readCsv(path, { blocksize }).col('value');
      expect(await ddf.compute(value.count(), value.sum(), { scheduler: 'threads', numWorkers: 2 }), String(blocksize)).toEqual(want);
    }
  });

  it('cuts a file whose sample shows newlines in quoted fields only when a blocksize is given', async () => {
    const rows = 30_000;
    const { text, sum } = csvText(rows, 9, true);
    const path = join(dir, 'quoted-newlines.csv');
    writeFileSync(path, text);
    // A partition starts at the first newline after its edge, which may lie inside a quoted
    // field: such a file stays whole unless the caller chose to cut it.
    const source = resolveCsvSource(path, {}, { workers: 4, minPartitionBytes: 100_000 });
    expect(source.partitions).toHaveLength(1);
    expectEveryRowOnce(await partitionRows(source), rows, 'whole');
    const value = ddf.readCsv(path).col('value');
    expect(await ddf.compute(value.count(), value.sum(), { scheduler: 'threads', numWorkers: 2 })).toEqual([rows, sum]);
    // The same rows without newlines in quotes are cut.
    const flat = join(dir, 'quoted-flat.csv');
    writeFileSync(flat, csvText(rows, 9).text);
    expect(resolveCsvSource(flat, {}, { workers: 4, minPartitionBytes: 100_000 }).partitions).toHaveLength(4);
  });

  it('gives a big-enough single file at least as many partitions as the configured workers (readCsv, default minimum)', async () => {
    // Just over 3 × the default minimum partition size, under one 32 MB block.
    const line = '1,2.5,abcdefghijklmnopqrstuvwxyz0123456789\n';
    const rows = Math.ceil((3 * DEFAULT_MIN_PARTITION_BYTES + 50_000) / line.length);
    const path = join(dir, 'one-block.csv');
    writeFileSync(path, 'a,b,c\n' + line.repeat(rows));
    try {
      ddf.config.set({ numWorkers: 3 });
      expect(ddf.readCsv(path).npartitions).toBe(3);
      ddf.config.set({ numWorkers: 1 });
      expect(ddf.readCsv(path).npartitions).toBe(1);
      ddf.config.set({ numWorkers: 2 });
      const df = ddf.readCsv(path);
      expect(df.npartitions).toBe(2);
      const a = df.col('a');
      expect(await ddf.compute(a.count(), a.sum())).toEqual([rows, rows]);
    } finally {
      ddf.config.reset();
    }
  });

  const BZIP2 = which('bzip2');
  it.skipIf(!BZIP2)('cuts a .bz2 file into runs of blocks of near-equal size; every row once', async () => {
    const rows = 60_013;
    const { text, sum } = csvText(rows, 3);
    const path = join(dir, 'awkward.csv.bz2');
    // Level 1: 100 kB blocks, ~60 of them.
    writeFileSync(path, execFileSync(BZIP2!, ['-1', '-c'], { input: text, maxBuffer: 64 << 20 }));
    const csvBytes = Buffer.byteLength(text);
    for (const workers of [2, 3, 5]) {
      const source = resolveCsvSource(path, { blocksize: '2MB' }, { workers, minPartitionBytes: 300_000 });
      const n = source.partitions.length;
      expect(n % workers, `${workers} workers`).toBe(0);
      expect(n, `${workers} workers`).toBeGreaterThanOrEqual(Math.ceil(csvBytes / 2e6));
      const parts = await partitionRows(source);
      expectEveryRowOnce(parts, rows, `${workers} workers`);
      // A partition holds whole 100 kB blocks: its share is off by at most about one block at
      // each edge (and by how the compression ratio varies along the file).
      const rowsPerBlock = (rows * 100_000) / csvBytes;
      for (const p of parts) expect(Math.abs(p.rows - rows / n), `${workers} workers`).toBeLessThan(2 * rowsPerBlock + 0.05 * (rows / n));
    }
    const value = ddf.readCsv(path, { blocksize: '500kB' }).col('value');
    expect(await ddf.compute(value.count(), value.sum(), { scheduler: 'threads', numWorkers: 2 })).toEqual([rows, sum]);
  });
});
