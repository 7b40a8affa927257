import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../../src/index.js';
import { tempDir } from '../../helpers.js';

afterAll(() => ddf.shutdown());

/**
 * A plain file several read chunks (1 MiB) long, whose rows vary in length and include some far
 * longer than a chunk: every row is checked, so a reused read buffer that overwrote bytes the
 * parser still needed (a carried row, a pending first line) would show as a wrong value.
 */
describe('readCsv: a plain file larger than the read buffers', () => {
  const { dir, remove } = tempDir('large-plain-');
  afterAll(remove);
  const path = join(dir, 'big.csv');
  const ROWS = 60_000;
  const text = (i: number): string => (i % 9973 === 0 ? 'x'.repeat(1_500_000 + i) : `v${i}-${'y'.repeat(i % 97)}`);
  const lines = ['id,text,half'];
  for (let i = 0; i < ROWS; i++) lines.push(`${i},${text(i)},${i / 2}`);
  writeFileSync(path, lines.join('\n') + '\n');

  for (const [name, options] of [
    ['whole file, one partition', { blocksize: null }],
    ['byte ranges of 2 MiB', { blocksize: 2 << 20 }],
  ] as const) {
    it(`keeps every value intact (${name}, sync and threads)`, async () => {
      for (const scheduler of ['sync', 'threads'] as const) {
        const df = ddf.readCsv(path, { ...options, dtype: { text: 'string' } });
        const table = await df.toArrow().compute({ scheduler, inlineBelowBytes: 0 });
        expect(table.numRows).toBe(ROWS);
        const ids = table.getChild('id')!.toArray() as Int32Array;
        const texts = table.getChild('text')!;
        const halves = table.getChild('half')!.toArray() as Float64Array;
        let wrong = 0;
        for (let r = 0; r < ROWS; r++) {
          if (ids[r] !== r || halves[r] !== r / 2 || texts.get(r) !== text(r)) wrong++;
        }
        expect(wrong).toBe(0);
      }
    });
  }
});
