/** A small airline-shaped CSV for the persist, mapPartitions and toDelayed tests, and task functions they run by module. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ddf from '../../src/index.js';
import { afterAll, beforeAll } from 'vitest';
import { rng, tempDir } from '../helpers.js';

/** The schedulers these tests compare, workers forced (small computes otherwise run inline). */
export const SCHEDULERS = [
  { scheduler: 'sync' },
  { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 },
  { scheduler: 'processes', numWorkers: 2, inlineBelowBytes: 0 },
] as const satisfies ddf.ComputeOptions[];

/** The flights CSVs in a temp folder for one test file (written before its tests, removed after them, pools shut down); returns their glob. */
export function flightsForThisFile(prefix: string): () => string {
  let dir: ReturnType<typeof tempDir> | null = null;
  let glob = '';
  beforeAll(() => {
    dir = tempDir(prefix);
    glob = writeFlights(dir.dir);
  });
  afterAll(async () => {
    await ddf.shutdown();
    dir?.remove();
  });
  return () => glob;
}

const ORIGINS = ['SFO', 'LAX', 'ORD', 'JFK', 'SEA', 'BOS', 'DEN'];

/**
 * Writes `files` CSV files of `rows` rows each into `dir`: DepDelay with missing values,
 * Cancelled 0/1, Origin text, Carrier (read as category), Distance int64, Diverted bool with
 * missing values. Returns the glob.
 */
export function writeFlights(dir: string, files = 3, rows = 2500, seed = 7): string {
  const random = rng(seed);
  for (let f = 0; f < files; f++) {
    const lines = ['DepDelay,Cancelled,Origin,Carrier,Distance,Diverted'];
    for (let r = 0; r < rows; r++) {
      const delay = random() < 0.07 ? 'NA' : String(Math.round((random() * 120 - 20) * 4) / 4);
      const cancelled = random() < 0.15 ? 1 : 0;
      const origin = ORIGINS[Math.floor(random() * ORIGINS.length)]!;
      const carrier = ['AA', 'UA', 'DL', 'WN'][Math.floor(random() * 4)]!;
      const distance = 100 + Math.floor(random() * 2500);
      const diverted = random() < 0.05 ? '' : random() < 0.1 ? 'true' : 'false';
      lines.push([delay, cancelled, origin, carrier, distance, diverted].join(','));
    }
    writeFileSync(join(dir, `flights-${f}.csv`), `${lines.join('\n')}\n`);
  }
  return join(dir, 'flights-*.csv');
}

export function readFlights(glob: string, blocksize: number | null = 30_000): ddf.DataFrame {
  return ddf.readCsv(glob, { dtype: { Carrier: 'category', Distance: 'int64', Cancelled: 'int32', Diverted: 'bool' }, blocksize });
}

/** Sum of a column of an Arrow table (nulls skipped), for delayed graphs over toDelayed parts. */
export const columnSum = ddf.task(import.meta.url, function columnSum(table: { getChild(name: string): { toArray(): ArrayLike<number | null>; isValid(i: number): boolean; length: number } | null }, column: string) {
  const vector = table.getChild(column)!;
  const values = vector.toArray();
  let sum = 0;
  for (let i = 0; i < vector.length; i++) if (vector.isValid(i)) sum += Number(values[i]);
  return sum;
});

/** A mapPartitions function workers import by module: the partition's index and row count. */
export const partitionSize = ddf.task(import.meta.url, function partitionSize(table: { numRows: number }, index: number) {
  return { part: new Int32Array([index]), rows: new Int32Array([table.numRows]) };
});
