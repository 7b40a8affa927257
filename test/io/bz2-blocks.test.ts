import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BZ2_BLOCK_MAGIC,
  BZ2_EOS_MAGIC,
  readBits,
  readBits48,
  scanBz2Magics,
  streamHeaderLevel,
} from '../../src/io/codecs/bz2-blocks.js';
import { combineBz2Crc, rewrapBz2Blocks } from '../../src/io/codecs/bz2-rewrap.js';
import { loadWasmBz2 } from '../../src/io/codecs/bz2-wasm.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/bz2');
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));

/** Writes a 48-bit magic at an arbitrary bit offset into a zeroed buffer. */
function withMagicAt(bit: number, magic: number, size = 32): Uint8Array {
  const buf = new Uint8Array(size);
  for (let i = 0; i < 48; i++) {
    const on = Math.floor(magic / 2 ** (47 - i)) % 2 === 1;
    if (on) buf[(bit + i) >>> 3]! |= 0x80 >>> ((bit + i) & 7);
  }
  return buf;
}

describe('bz2 block scanner', () => {
  it('finds a block or end-of-stream magic at every bit shift, and nothing else', () => {
    for (let bit = 8; bit < 8 + 8 * 3; bit++) {
      for (const [magic, kind] of [
        [BZ2_BLOCK_MAGIC, 'block'],
        [BZ2_EOS_MAGIC, 'eos'],
      ] as const) {
        const buf = withMagicAt(bit, magic);
        expect(scanBz2Magics(buf)).toEqual([{ bit, kind }]);
        expect(readBits48(buf, bit)).toBe(magic);
      }
    }
    expect(scanBz2Magics(new Uint8Array(64))).toEqual([]);
  });

  it('reports a magic only when it lies entirely inside the buffer and starts in the range', () => {
    const buf = withMagicAt(8 * 20 + 3, BZ2_BLOCK_MAGIC, 40);
    expect(scanBz2Magics(buf.subarray(0, 26))).toEqual([]); // the last bits are cut off
    expect(scanBz2Magics(buf, 0, 20)).toEqual([]);
    expect(scanBz2Magics(buf, 20, 21)).toEqual([{ bit: 163, kind: 'block' }]);
    expect(scanBz2Magics(buf, 21)).toEqual([]);
  });

  it('loads libbz2 without leaving process-wide error handlers behind', async () => {
    const before = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    await loadWasmBz2();
    expect([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')]).toEqual(before);
  });

  it('splits a real multi-block file into blocks that decode alone, in order', async () => {
    const file = fixture('multiblock.csv.bz2');
    const level = streamHeaderLevel(file);
    expect(level).toBe(1);
    const magics = scanBz2Magics(file);
    expect(magics[0]).toEqual({ bit: 32, kind: 'block' });
    expect(magics.at(-1)!.kind).toBe('eos');
    expect(magics.length).toBeGreaterThanOrEqual(4);
    const bz = await loadWasmBz2();
    const parts: Uint8Array[] = [];
    let combined = 0;
    for (let i = 0; i + 1 < magics.length; i++) {
      const crc = readBits(file, magics[i]!.bit + 48, 32);
      combined = combineBz2Crc(combined, crc);
      const r = bz.decompress(rewrapBz2Blocks(file, magics[i]!.bit, magics[i + 1]!.bit, level, crc), 200_000);
      expect(r.ok).toBe(true);
      if (r.ok) parts.push(r.output);
    }
    // The combined CRC of the blocks is the one stored after the end-of-stream magic.
    expect(combined).toBe(readBits(file, magics.at(-1)!.bit + 48, 32));
    const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as Record<string, { decodedBytes: number }>;
    expect(parts.reduce((n, p) => n + p.length, 0)).toBe(manifest['multiblock.csv.bz2']!.decodedBytes);
  });

  it('re-wraps several consecutive blocks as one stream with their combined CRC', async () => {
    const file = fixture('multiblock.csv.bz2');
    const magics = scanBz2Magics(file);
    const c0 = readBits(file, magics[1]!.bit + 48, 32);
    const c1 = readBits(file, magics[2]!.bit + 48, 32);
    const bz = await loadWasmBz2();
    const two = bz.decompress(rewrapBz2Blocks(file, magics[1]!.bit, magics[3]!.bit, 1, combineBz2Crc(combineBz2Crc(0, c0), c1)), 400_000);
    expect(two.ok).toBe(true);
    // A wrong stream CRC is caught by libbz2.
    const bad = bz.decompress(rewrapBz2Blocks(file, magics[1]!.bit, magics[3]!.bit, 1, c0), 400_000);
    expect(bad.ok).toBe(false);
  });
});
