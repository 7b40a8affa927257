/**
 * A row that starts exactly where a partition ends belongs to the next partition only. The
 * file is read in chunks of READ_CHUNK_BYTES; when a partition's end falls on a chunk's end
 * and the byte before it ends a row, that row was read twice (a wrong count and sum).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../../src/index.js';
import { READ_CHUNK_BYTES } from '../../../src/io/read-file.js';
import { tempDir } from '../../helpers.js';

const temp = tempDir('dusk-block-boundary-');
afterAll(async () => {
  await ddf.shutdown();
  temp.remove();
});

/** Rows `i,<padding>` whose row `at` ends (with its newline) exactly at byte `boundary`. */
function fileWithRowEndingAt(boundary: number, rows: number): { path: string; sum: number } {
  const lines = ['i,pad'];
  let size = 'i,pad\n'.length;
  let sum = 0;
  let onBoundary = false;
  for (let i = 0; i < rows; i++) {
    let line = `${i},${'x'.repeat(20 + (i % 13))}`;
    // Close to the boundary: this row fills the gap exactly, so the next starts right on it.
    const gap = boundary - size - 1;
    if (gap >= line.length && gap < 2 * line.length) line = `${i},${'y'.repeat(gap - String(i).length - 1)}`;
    lines.push(line);
    size += line.length + 1;
    if (size === boundary) onBoundary = true;
    sum += i;
  }
  if (!onBoundary) throw new Error('test file: no row ends on the boundary');
  const path = join(temp.dir, `rows-${boundary}.csv`);
  writeFileSync(path, lines.join('\n') + '\n');
  return { path, sum };
}

describe('plain CSV partitions', () => {
  it('a row starting exactly at a partition edge that is also a read-chunk edge is read once', async () => {
    const rows = 120_000;
    const { path, sum } = fileWithRowEndingAt(READ_CHUNK_BYTES * 2, rows);
    for (const scheduler of ['sync', 'threads'] as const) {
      const df = ddf.readCsv(path, { blocksize: READ_CHUNK_BYTES * 2 });
      expect(df.npartitions).toBeGreaterThan(1);
      const [n, s, distinct] = await ddf.compute(df.col('i').count(), df.col('i').sum(), df.col('i').nunique(), { scheduler, inlineBelowBytes: 0 });
      expect([n, s, distinct], scheduler).toEqual([rows, sum, rows]);
    }
  });
});
