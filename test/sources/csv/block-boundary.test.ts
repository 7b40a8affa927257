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

/**
 * Rows `i,<padding>` in a file of exactly 2 × `boundary` bytes, one row ending exactly at
 * `boundary`: with blocksize = boundary the file splits into two equal halves there.
 */
function fileWithRowEndingAt(boundary: number): { path: string; rows: number; sum: number } {
  const lines = ['i,pad'];
  let size = 'i,pad\n'.length;
  let sum = 0;
  let onBoundary = false;
  for (let i = 0; size < 2 * boundary; i++) {
    let line = `${i},${'x'.repeat(20 + (i % 13))}`;
    // Close to an edge (the middle or the end): this row fills the gap exactly.
    const edge = size < boundary ? boundary : 2 * boundary;
    const gap = edge - size - 1;
    if (gap < 80) line = `${i},${'y'.repeat(gap - String(i).length - 1)}`; // rows are under 40 bytes
    lines.push(line);
    size += line.length + 1;
    if (size === boundary) onBoundary = true;
    sum += i;
  }
  if (!onBoundary || size !== 2 * boundary) throw new Error('test file: the rows do not meet the edges');
  const path = join(temp.dir, `rows-${boundary}.csv`);
  writeFileSync(path, lines.join('\n') + '\n');
  return { path, rows: lines.length - 1, sum };
}

describe('plain CSV partitions', () => {
  it('a row starting exactly at a partition edge that is also a read-chunk edge is read once', async () => {
    const { path, rows, sum } = fileWithRowEndingAt(READ_CHUNK_BYTES * 2);
    for (const scheduler of ['sync', 'threads'] as const) {
      const df = ddf.readCsv(path, { blocksize: READ_CHUNK_BYTES * 2 });
      expect(df.npartitions).toBe(2);
      const [n, s, distinct] = await ddf.compute(df.col('i').count(), df.col('i').sum(), df.col('i').nunique(), { scheduler, inlineBelowBytes: 0 });
      expect([n, s, distinct], scheduler).toEqual([rows, sum, rows]);
    }
  });
});
