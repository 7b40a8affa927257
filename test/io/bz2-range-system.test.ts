import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bz2BlockRange, decodeBz2BlockRange, planBz2BlockRanges } from '../../src/io/codecs/bz2-block-range.js';
import { decodeBz2BlockRangeSystem } from '../../src/io/codecs/bz2-block-range-system.js';
import { findSystemDecoder } from '../../src/io/codecs/bz2-choice.js';
import { concatBytes } from '../../src/io/concat-bytes.js';
import { readFileChunks } from '../../src/io/read-file.js';
import { emptyMetrics, noProgress } from '../../src/io/io-metrics.js';
import { FIXTURES, tempDir } from '../helpers.js';

const lbzip2 = findSystemDecoder();

/** The owned bytes of a range, and how many decoded bytes follow them (the reader's look-ahead), from one decoder. */
async function ownedBytes(chunks: AsyncIterable<{ bytes: Uint8Array; owned: boolean }>): Promise<Uint8Array> {
  const owned: Uint8Array[] = [];
  for await (const c of chunks) {
    if (!c.owned) break;
    owned.push(c.bytes);
  }
  return concatBytes(owned);
}

describe.skipIf(lbzip2?.name !== 'lbzip2')('bz2 block ranges decoded by lbzip2', () => {
  let dir: string;
  let remove: () => void;
  let path: string;
  let csv: Buffer;
  beforeAll(() => {
    ({ dir, remove } = tempDir('dusk-bz2-range-'));
    const a = readFileSync(join(FIXTURES, 'airline/none/2001.csv'));
    csv = Buffer.concat([a, ...Array.from({ length: 40 }, () => a.subarray(a.indexOf(10) + 1))]);
    path = join(dir, 'big.csv.bz2');
    writeFileSync(path, execFileSync('bzip2', ['-1', '-c'], { input: csv, maxBuffer: 64 << 20 }));
  });
  afterAll(() => remove?.());

  const read = (range: Bz2BlockRange) => readFileChunks(path, { start: range.start, end: null }, emptyMetrics(), noProgress);

  it('gives every range the same owned bytes as the WASM decoder, and the ranges together give the whole file, through lbzip2', async () => {
    const log = join(dir, 'spawned');
    // A wrapper that records each start, then runs lbzip2 as usual.
    const command = { file: 'sh', args: ['-c', `echo x >> '${log}'; exec '${lbzip2!.file}' -d -c -n 1`] };
    const ranges = planBz2BlockRanges(readFileSync(path).length, 5);
    const parts: Uint8Array[] = [];
    for (const range of ranges) {
      const system = await ownedBytes(decodeBz2BlockRangeSystem(read(range), path, range, command));
      const wasm = await ownedBytes(decodeBz2BlockRange(read(range), path, range));
      expect(Buffer.from(system).equals(Buffer.from(wasm)), JSON.stringify(range)).toBe(true);
      parts.push(system);
    }
    expect(Buffer.from(concatBytes(parts)).equals(csv)).toBe(true);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(ranges.length);
  });

  it('when the decoder fails part-way, the range is decoded again with WASM and the output goes on where it stopped', async () => {
    // The "decoder" gives its first 3 MB (past the 1 MB it holds back), then fails.
    const command = { file: 'sh', args: ['-c', `'${lbzip2!.file}' -d -c -n 1 | head -c 3000000; exit 1`] };
    const range = { start: 0, end: null };
    const out = await ownedBytes(decodeBz2BlockRangeSystem(read(range), path, range, command));
    expect(csv.length).toBeGreaterThan(4_000_000);
    expect(Buffer.from(out).equals(csv)).toBe(true);
  });
});
