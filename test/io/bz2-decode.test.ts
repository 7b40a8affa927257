import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeBz2, decodeBz2PrefixSync } from '../../src/io/codecs/bz2.js';
import { scanBz2Magics, type Bz2Magic } from '../../src/io/codecs/bz2-blocks.js';
import { decodeBz2System } from '../../src/io/codecs/bz2-system.js';
import { loadWasmBz2 } from '../../src/io/codecs/bz2-wasm.js';
import { Bz2WasmBlockDecoder } from '../../src/io/codecs/bz2-wasm-decoder.js';
import { which } from '../helpers.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/bz2');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as Record<string, { decodedBytes: number; sha256: string }>;
const NAMES = ['multiblock.csv.bz2', 'multistream.csv.bz2', 'empty-content.bz2', 'latin1.txt.bz2', 'runs.bin.bz2'];

const BZIP2 = which('bzip2');
const LBZIP2 = which('lbzip2');

const fileChunks = (path: string, size = 1 << 16) => createReadStream(path, { highWaterMark: size });

async function* chunksOf(bytes: Uint8Array, sizes: () => number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; ) {
    const n = Math.max(1, sizes());
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts);
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.each(NAMES)('every decoder path yields the reference bytes: %s', (name) => {
  const path = join(FIXTURES, name);
  const expected = manifest[name]!;

  it('wasm equals the Python bz2 reference (size and SHA-256)', async () => {
    const out = await collect(decodeBz2(fileChunks(path), { path, decoder: 'wasm' }));
    expect(out.length).toBe(expected.decodedBytes);
    expect(sha(out)).toBe(expected.sha256);
  });

  it.skipIf(!BZIP2)('wasm equals `bzip2 -dc` byte for byte', async () => {
    const out = await collect(decodeBz2(fileChunks(path), { path, decoder: 'wasm' }));
    const reference = execFileSync(BZIP2!, ['-dc', path], { maxBuffer: 64 << 20 });
    expect(out.equals(reference)).toBe(true);
  });

  it.skipIf(!BZIP2)('system decoder with bzip2 equals the reference', async () => {
    const out = await collect(decodeBz2System(fileChunks(path), path, { file: BZIP2!, args: ['-d', '-c'] }));
    expect(sha(out)).toBe(expected.sha256);
  });

  it.skipIf(!LBZIP2)('system decoder with lbzip2 equals the reference', async () => {
    const out = await collect(decodeBz2System(fileChunks(path), path, { file: LBZIP2!, args: ['-d', '-c', '-n', '1'] }));
    expect(sha(out)).toBe(expected.sha256);
  });

  it.skipIf(!BZIP2 && !LBZIP2)("decodeBz2 with decoder 'system' and 'auto' equal the reference", async () => {
    for (const decoder of ['system', 'auto'] as const) {
      const out = await collect(decodeBz2(fileChunks(path), { path, decoder }));
      expect(sha(out), decoder).toBe(expected.sha256);
    }
  });
});

describe('wasm block decoder', () => {
  it('gives the same bytes however the input is chunked (magics across chunk edges)', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 9000;
    for (const name of ['multiblock.csv.bz2', 'multistream.csv.bz2']) {
      const path = join(FIXTURES, name);
      const bytes = new Uint8Array(readFileSync(path));
      for (const sizes of [() => 13, () => 4096, () => 65537, random]) {
        const out = await collect(decodeBz2(chunksOf(bytes, sizes), { path, decoder: 'wasm' }));
        expect(sha(out)).toBe(manifest[name]!.sha256);
      }
    }
  });

  it('keeps memory bounded: the input buffer holds about one block, not the file', async () => {
    // 30 concatenated copies: a 2.6 MB multi-stream file of 10 MB decoded.
    const one = readFileSync(join(FIXTURES, 'multiblock.csv.bz2'));
    const dir = mkdtempSync(join(tmpdir(), 'dusk-bz2-'));
    try {
      const path = join(dir, 'big.bz2');
      writeFileSync(path, Buffer.concat(Array.from({ length: 30 }, () => one)));
      const decoder = new Bz2WasmBlockDecoder(await loadWasmBz2(), path);
      let maxBuffered = 0;
      let out = 0;
      let largestBlock = 0;
      for await (const chunk of fileChunks(path, 1 << 16)) {
        decoder.push(chunk as Uint8Array);
        for (let r = decoder.next(); r !== 'more' && r !== null; r = decoder.next()) {
          out += r.length;
          largestBlock = Math.max(largestBlock, r.length);
        }
        maxBuffered = Math.max(maxBuffered, decoder.bufferedBytes);
      }
      decoder.end();
      for (let r = decoder.next(); r !== null; r = decoder.next()) if (r !== 'more') out += r.length;
      expect(out).toBe(30 * manifest['multiblock.csv.bz2']!.decodedBytes);
      expect(largestBlock).toBeLessThanOrEqual(100_000);
      expect(maxBuffered).toBeLessThan(256 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('survives a chance magic inside a block: the failed cut is extended to the next magic', async () => {
    const path = join(FIXTURES, 'multiblock.csv.bz2');
    const bytes = new Uint8Array(readFileSync(path));
    const real = scanBz2Magics(bytes);
    // Plant fake block and end-of-stream magics in the middle of the first two blocks.
    const fakes: Bz2Magic[] = [
      { bit: Math.floor((real[0]!.bit + real[1]!.bit) / 2) + 3, kind: 'block' },
      { bit: Math.floor((real[1]!.bit + real[2]!.bit) / 2) + 5, kind: 'eos' },
    ];
    let planted = 0;
    const scan = (buf: Uint8Array, from?: number, to?: number) => {
      const found = scanBz2Magics(buf, from, to);
      for (const f of fakes) {
        if ((f.bit >>> 3) >= (from ?? 0) && (f.bit >>> 3) < (to ?? buf.length)) {
          found.push(f);
          planted++;
        }
      }
      return found.sort((a, b) => a.bit - b.bit);
    };
    const decoder = new Bz2WasmBlockDecoder(await loadWasmBz2(), path, scan);
    decoder.push(bytes);
    decoder.end();
    const parts: Uint8Array[] = [];
    for (let r = decoder.next(); r !== null; r = decoder.next()) if (r !== 'more') parts.push(r);
    expect(planted).toBe(2);
    expect(sha(Buffer.concat(parts))).toBe(manifest['multiblock.csv.bz2']!.sha256);
  });

  it('closes the compressed source when the consumer stops early', async () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'multiblock.csv.bz2')));
    let closed = false;
    async function* source() {
      try {
        yield* chunksOf(bytes, () => 4096);
      } finally {
        closed = true;
      }
    }
    for await (const block of decodeBz2(source(), { path: 'x.bz2', decoder: 'wasm' })) {
      expect(block.length).toBeGreaterThan(0);
      break;
    }
    expect(closed).toBe(true);
  });

  it('ignores bytes after the last stream that are not a stream, as bzip2 and lbzip2 do', async () => {
    const bytes = Buffer.concat([readFileSync(join(FIXTURES, 'latin1.txt.bz2')), Buffer.from('trailing garbage\n')]);
    const out = await collect(decodeBz2(chunksOf(bytes, () => 100), { path: 'g.bz2', decoder: 'wasm' }));
    expect(sha(out)).toBe(manifest['latin1.txt.bz2']!.sha256);
    if (BZIP2) {
      const sys = await collect(decodeBz2System(chunksOf(bytes, () => 100), 'g.bz2', { file: BZIP2, args: ['-d', '-c'] }));
      expect(sys.equals(out)).toBe(true);
    }
  });
});

describe('decodeBz2PrefixSync', () => {
  const path = join(FIXTURES, 'multiblock.csv.bz2');
  const bytes = new Uint8Array(readFileSync(path));
  let full: Buffer;
  beforeAll(async () => {
    full = await collect(decodeBz2(fileChunks(path), { path, decoder: 'wasm' }));
  });

  it('returns at least maxOut bytes (whole blocks) that start the file', () => {
    const out = decodeBz2PrefixSync(bytes, 1000, path);
    expect(out.length).toBeGreaterThanOrEqual(1000);
    expect(Buffer.from(out).equals(full.subarray(0, out.length))).toBe(true);
    const more = decodeBz2PrefixSync(bytes, 250_000, path);
    expect(more.length).toBeGreaterThanOrEqual(250_000);
    expect(Buffer.from(more).equals(full.subarray(0, more.length))).toBe(true);
  });

  it('returns everything (fewer than maxOut) when the prefix is the whole file', () => {
    expect(Buffer.from(decodeBz2PrefixSync(bytes, 10 << 20, path)).equals(full)).toBe(true);
    expect(decodeBz2PrefixSync(new Uint8Array(readFileSync(join(FIXTURES, 'empty-content.bz2'))), 1000, 'e.bz2').length).toBe(0);
  });

  it('decodes only the complete blocks of a partial prefix', () => {
    const magics = scanBz2Magics(bytes);
    const cut = (magics[2]!.bit >>> 3) + 100; // block 3 has started but is incomplete
    const out = decodeBz2PrefixSync(bytes.subarray(0, cut), 10 << 20, path);
    expect(out.length).toBeGreaterThan(100_000);
    expect(out.length).toBeLessThan(full.length);
    expect(Buffer.from(out).equals(full.subarray(0, out.length))).toBe(true);
  });

  it('throws when the prefix holds no complete block', () => {
    expect(() => decodeBz2PrefixSync(bytes.subarray(0, 5000), 1000, path)).toThrow(/no complete bz2 block/);
  });
});

