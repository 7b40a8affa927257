/**
 * Dusk's own bz2 decoder (src/io/codecs/wasm/bz2-decode.c) against the references: WASM libbz2
 * (the previous decoder, kept as 'wasm-libbz2'), `bzip2 -d` when installed, and the original
 * bytes, on data compressed here by Python's bz2 module (libbz2) at every block size.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuskIoError } from '../../src/core/errors.js';
import { decodeBz2BlockRange, planBz2BlockRanges } from '../../src/io/codecs/bz2-block-range.js';
import { scanBz2Magics } from '../../src/io/codecs/bz2-blocks.js';
import { twoPassWalks } from '../../src/io/codecs/bz2-dusk.js';
import { decodeBz2Wasm, type Bz2WasmEngine } from '../../src/io/codecs/bz2-wasm-stream.js';
import { rng, tempDir, which } from '../helpers.js';

const BZIP2 = which('bzip2');
const { dir, remove } = tempDir('dusk-bz2-dusk-');
afterAll(remove);

/** Compresses with Python's bz2 module (libbz2) at `level`. */
function compress(data: Uint8Array, level: number): Buffer {
  return execFileSync('python3', ['-c', `import bz2,sys; sys.stdout.buffer.write(bz2.compress(sys.stdin.buffer.read(), ${level}))`], {
    input: data,
    maxBuffer: 256 << 20,
  });
}

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function decodeAll(bytes: Uint8Array, engine: Bz2WasmEngine, chunkSize = 1 << 16, path = 'mem.bz2'): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of decodeBz2Wasm(chunks(bytes, chunkSize), path, engine)) parts.push(c);
  return Buffer.concat(parts);
}

/** Decodes with both engines: the output, or the error (message and offset), must be the same. */
async function outcome(bytes: Uint8Array, engine: Bz2WasmEngine, chunkSize: number): Promise<{ out: Buffer; error?: { message: string; offset: number | undefined } }> {
  const parts: Uint8Array[] = [];
  try {
    for await (const c of decodeBz2Wasm(chunks(bytes, chunkSize), 'x.bz2', engine)) parts.push(c);
    return { out: Buffer.concat(parts) };
  } catch (err) {
    expect(err).toBeInstanceOf(DuskIoError);
    const e = err as DuskIoError;
    return { out: Buffer.concat(parts), error: { message: e.message, offset: e.offset } };
  }
}

/** bzip2's CRC-32 (MSB first, polynomial 0x04c11db7). */
function bz2Crc(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return ~crc >>> 0;
}

/** Overwrites `count` bits at bit offset `bit` (MSB first) with the low bits of `value`. */
function writeBits(buf: Uint8Array, bit: number, count: number, value: number): void {
  for (let i = 0; i < count; i++) {
    const at = bit + i;
    const one = Math.floor(value / 2 ** (count - 1 - i)) % 2;
    buf[at >>> 3] = (buf[at >>> 3]! & ~(0x80 >>> (at & 7))) | (one << (7 - (at & 7)));
  }
}

/** Test inputs that reach every stage: all 256 byte values, text, and runs of every length. */
function inputs(size: number, seed: number): Array<[string, Uint8Array]> {
  const random = rng(seed);
  const noise = Uint8Array.from({ length: size }, () => Math.floor(random() * 256));
  const words = ['ORD', 'SFO', 'NA', '2001', ',', '\n', '-7', '1430', 'UA', 'WN', '0', '12'];
  const text = new TextEncoder().encode(
    Array.from({ length: Math.ceil(size / 2) }, () => words[Math.floor(random() * words.length)]).join('').slice(0, size),
  );
  // Runs of 1..300 equal bytes (RLE1 counts 0..251 and runs longer than 255), few distinct values.
  const runs = new Uint8Array(size);
  for (let at = 0; at < size; ) {
    const len = 1 + Math.floor(random() ** 3 * 300);
    runs.fill(Math.floor(random() * 6) * 40, at, at + len);
    at += len;
  }
  return [
    ['random bytes', noise],
    ['text', text],
    ['runs', runs],
  ];
}

describe("Dusk's bz2 decoder equals libbz2 and bzip2", () => {
  it('at every block size 1–9, on random bytes, text and runs (several blocks each)', async () => {
    for (let level = 1; level <= 9; level++) {
      // About 1.3 blocks of input at this level: a full block and a partial one (runs squeeze
      // more into a block, so those span fewer).
      for (const [kind, data] of inputs(level * 130_000, level)) {
        const bz = compress(data, level);
        const blocks = scanBz2Magics(bz).filter((m) => m.kind === 'block').length;
        if (kind !== 'runs') expect(blocks, `${kind} level ${level}`).toBeGreaterThanOrEqual(2);
        const ours = await decodeAll(bz, 'dusk');
        expect(ours.equals(Buffer.from(data)), `${kind} level ${level}`).toBe(true);
        expect(ours.equals(await decodeAll(bz, 'libbz2')), `${kind} level ${level} vs libbz2`).toBe(true);
        if (BZIP2) expect(ours.equals(execFileSync(BZIP2, ['-dc'], { input: bz, maxBuffer: 64 << 20 })), `${kind} level ${level} vs bzip2`).toBe(true);
      }
    }
  }, 120_000);

  it('tiny inputs: one byte, one run, every byte value once', async () => {
    for (const data of [Uint8Array.of(65), new Uint8Array(5000).fill(7), Uint8Array.from({ length: 256 }, (_, i) => i), new Uint8Array(0)]) {
      const bz = compress(data, 9);
      expect((await decodeAll(bz, 'dusk')).equals(Buffer.from(data))).toBe(true);
    }
  });

  it('periodic blocks (identical rotations: the links form several cycles), including one whose one-pass walk falls back to two passes', async () => {
    const before = twoPassWalks();
    for (const period of [5, 64, 1000, 131_072]) {
      const random = rng(period);
      const unit = Uint8Array.from({ length: period }, () => 97 + Math.floor(random() * 26));
      const data = new Uint8Array(Math.floor(800_000 / period) * period);
      for (let at = 0; at < data.length; at += period) data.set(unit, at);
      const bz = compress(data, 9);
      const ours = await decodeAll(bz, 'dusk');
      expect(ours.equals(Buffer.from(data)), `period ${period}`).toBe(true);
      expect(ours.equals(await decodeAll(bz, 'libbz2')), `period ${period} vs libbz2`).toBe(true);
    }
    // A period of 131072 makes the pieces between walk samples 2048× longer than usual: one lane's
    // staging area fills, and the block is walked again in two passes.
    expect(twoPassWalks()).toBeGreaterThan(before);
  }, 60_000);

  it('a randomised block (as bzip2 0.9.0 and earlier wrote them) decodes as libbz2 decodes it', async () => {
    // Today's encoders never randomise, so make one: a block whose RLE1 stage is a no-op (no two
    // equal neighbours, and x ^ 1 of these letters is none of them), its randomised bit set,
    // and its CRCs patched to those of the expected output: the bytes at libbz2's rNums
    // positions xor 1.
    const letters = [0x61, 0x64, 0x67, 0x6a];
    const random = rng(17);
    const data = new Uint8Array(50_000);
    for (let i = 0; i < data.length; i++) {
      do data[i] = letters[Math.floor(random() * 4)]!;
      while (i > 0 && data[i] === data[i - 1]);
    }
    const rNums = readFileSync(join(import.meta.dirname, '../../src/io/codecs/wasm/bz2-rnums.inc'), 'utf8')
      .replace(/\/\*[^]*?\*\//g, '')
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x !== '')
      .map(Number);
    expect(rNums).toHaveLength(512);
    const expected = data.slice();
    for (let i = 0, toGo = 0, at = 0; i < expected.length; i++) {
      if (toGo === 0) {
        toGo = rNums[at]!;
        at = (at + 1) % 512;
      }
      toGo--;
      if (toGo === 1) expected[i]! ^= 1;
    }
    const bz = Buffer.from(compress(data, 9));
    const [block, eos] = scanBz2Magics(bz);
    expect(eos!.kind).toBe('eos');
    const crc = bz2Crc(expected);
    writeBits(bz, block!.bit + 48, 32, crc);
    writeBits(bz, block!.bit + 80, 1, 1);
    writeBits(bz, eos!.bit + 48, 32, crc); // one block: the stream CRC is the block's
    const ours = await decodeAll(bz, 'dusk');
    expect(ours.equals(Buffer.from(expected))).toBe(true);
    expect((await decodeAll(bz, 'libbz2')).equals(ours)).toBe(true);
  });

  it('multi-stream files (streams of different levels, concatenated), fed in small chunks', async () => {
    const parts = inputs(150_000, 99).map(([, d], i) => ({ data: d, bz: compress(d, [1, 5, 9][i]!) }));
    const file = Buffer.concat([...parts.map((p) => p.bz), parts[0]!.bz]);
    const expected = Buffer.concat([...parts.map((p) => Buffer.from(p.data)), Buffer.from(parts[0]!.data)]);
    for (const chunkSize of [997, 1 << 16, file.length]) {
      const ours = await decodeAll(file, 'dusk', chunkSize);
      expect(ours.equals(expected), `chunks of ${chunkSize}`).toBe(true);
    }
    expect((await decodeAll(file, 'libbz2')).equals(expected)).toBe(true);
    if (BZIP2) {
      const path = join(dir, 'multi.bz2');
      writeFileSync(path, file);
      expect(execFileSync(BZIP2, ['-dc', path], { maxBuffer: 64 << 20 }).equals(expected)).toBe(true);
      const parts2: Uint8Array[] = [];
      for await (const c of decodeBz2Wasm(createReadStream(path), path)) parts2.push(c);
      expect(Buffer.concat(parts2).equals(expected)).toBe(true);
    }
  });

  it('block ranges (the splitter): every partition plan gives the file, with the same blocks as libbz2', async () => {
    const [, text] = inputs(700_000, 5)[1]!;
    const file = Buffer.concat([compress(text, 2), compress(text.subarray(0, 300_000), 1)]);
    const path = join(dir, 'ranges.bz2');
    writeFileSync(path, file);
    for (const parts of [1, 2, 3, 5, 8]) {
      for (const engine of ['dusk', 'libbz2'] as const) {
        const own: Uint8Array[] = [];
        const bits: number[] = [];
        for (const range of planBz2BlockRanges(file.length, parts)) {
          const from = createReadStream(path, { start: range.start });
          for await (const chunk of decodeBz2BlockRange(from, path, range, undefined, engine)) {
            if (!chunk.owned) break;
            own.push(chunk.bytes);
            bits.push(chunk.blockBit);
          }
        }
        expect(Buffer.concat(own).equals(Buffer.concat([text, text.subarray(0, 300_000)])), `${parts} parts, ${engine}`).toBe(true);
        expect(bits, `${parts} parts, ${engine}`).toEqual(scanBz2Magics(file).filter((m) => m.kind === 'block').map((m) => m.bit));
      }
    }
  });
});

describe("Dusk's bz2 decoder on bad input reports what libbz2's path reports", () => {
  const [, text] = inputs(400_000, 11)[1]!;
  const good = Buffer.concat([compress(text, 1), compress(text.subarray(0, 150_000), 1)]);
  const magics = scanBz2Magics(good);

  it('truncated at and around every block boundary: truncated, at the same offset or (having decoded one more block) a later one', async () => {
    const full = await decodeAll(good, 'libbz2');
    const cuts = new Set<number>();
    for (let i = 0; i < magics.length; i++) {
      const at = magics[i]!.bit >>> 3;
      for (const d of [-1, 0, 1, 6, 10, 11]) cuts.add(at + d);
      const next = magics[i + 1];
      if (next) cuts.add(Math.floor((at + (next.bit >>> 3)) / 2));
    }
    let compared = 0;
    for (const cut of [...cuts].filter((c) => c > 4 && c < good.length - 1).sort((a, b) => a - b)) {
      for (const chunkSize of [4096, 1 << 20]) {
        const ours = await outcome(good.subarray(0, cut), 'dusk', chunkSize);
        const reference = await outcome(good.subarray(0, cut), 'libbz2', chunkSize);
        // A cut inside the padding after a stream's end is no error for either.
        expect(ours.out.equals(full.subarray(0, ours.out.length)), `cut at ${cut}: yields verified bytes only`).toBe(true);
        if (reference.error) {
          expect(ours.error!.message, `cut at ${cut}`).toMatch(/truncated/);
          if (ours.error!.offset === reference.error.offset) {
            expect(ours.error, `cut at ${cut}`).toEqual(reference.error);
            expect(ours.out.length, `cut at ${cut}`).toBe(reference.out.length);
          } else {
            // The file ends inside the marker after a block: libbz2's path cannot tell where that
            // block ends without the marker; ours decodes it (its end-of-block symbol is there)
            // and reports the cut marker itself.
            expect(ours.error!.offset!, `cut at ${cut}`).toBeGreaterThan(reference.error.offset!);
            expect(ours.error!.offset!, `cut at ${cut}`).toBeLessThanOrEqual(cut);
            expect(ours.error!.message, `cut at ${cut}`).toMatch(/ends inside a block header or end-of-stream marker/);
            expect(ours.out.length, `cut at ${cut}`).toBeGreaterThan(reference.out.length);
          }
          compared++;
        } else {
          expect(ours.error, `cut at ${cut}`).toBeUndefined();
          expect(ours.out.equals(reference.out), `cut at ${cut}`).toBe(true);
        }
      }
    }
    expect(compared).toBeGreaterThan(20);
  }, 60_000);

  it('corrupted bytes anywhere in a block: corrupt, at the offset of that block, after the same good blocks', async () => {
    const random = rng(3);
    const blockStarts = magics.filter((m) => m.kind === 'block').map((m) => m.bit >>> 3);
    let compared = 0;
    for (let trial = 0; trial < 60; trial++) {
      const bad = Buffer.from(good);
      // Skip the magics themselves (a damaged magic is a different error, tested in bz2-errors).
      let at: number;
      do at = 4 + Math.floor(random() * (good.length - 20));
      while (magics.some((m) => at >= (m.bit >>> 3) - 1 && at <= (m.bit >>> 3) + 7));
      bad[at] ^= 1 + Math.floor(random() * 255);
      const ours = await outcome(bad, 'dusk', 1 << 16);
      const reference = await outcome(bad, 'libbz2', 1 << 16);
      expect(ours.out.equals(reference.out), `byte ${at}`).toBe(true);
      if (reference.error === undefined) {
        // A flip in the stream's padding bits is harmless to both.
        expect(ours.error, `byte ${at}`).toBeUndefined();
        continue;
      }
      expect(ours.error, `byte ${at}`).toBeDefined();
      expect(ours.error!.message, `byte ${at}`).toMatch(/corrupt/);
      expect(ours.error!.offset, `byte ${at}`).toBe(reference.error.offset);
      const owner = Math.max(...blockStarts.filter((s) => s <= at));
      if (/in the block that starts here/.test(reference.error.message)) expect(ours.error!.offset).toBe(owner);
      compared++;
    }
    expect(compared).toBeGreaterThan(40);
  }, 60_000);

  it('a damaged block CRC: a CRC mismatch naming both values', async () => {
    const bad = Buffer.from(good);
    bad[(magics[1]!.bit >>> 3) + 8] ^= 0x10;
    const ours = await outcome(bad, 'dusk', 1 << 16);
    expect(ours.error?.message).toMatch(/corrupt bz2 data in the block that starts here \(block CRC mismatch: stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\)/);
    expect(ours.error?.offset).toBe(magics[1]!.bit >>> 3);
  });

  it('a damaged stream CRC: the stream CRC mismatch, as with libbz2', async () => {
    const eos = magics.find((m) => m.kind === 'eos')!;
    const bad = Buffer.from(good);
    bad[(eos.bit >>> 3) + 8] ^= 0x01;
    const ours = await outcome(bad, 'dusk', 1 << 16);
    expect(ours.error?.message).toMatch(/stream CRC mismatch/);
    expect(ours.error).toEqual((await outcome(bad, 'libbz2', 1 << 16)).error);
  });
});

// Another clang version may emit other (equally valid) bytes: compare only with the compiler that built it.
const committed = readFileSync(join(import.meta.dirname, '../../src/io/codecs/wasm/bz2-decode.wasm.ts'), 'utf8');
const builtWith = committed.match(/^\/\/ Compiler: (.*)$/m)?.[1];
const localClang = spawnSync('clang', ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0];
const canBuild = localClang !== undefined && localClang === builtWith && spawnSync('wasm-ld', ['--version']).status === 0;
it.skipIf(!canBuild)(`the committed bz2 decoder is what scripts/build-wasm.sh builds from bz2-decode.c (needs ${builtWith} and wasm-ld)`, () => {
  const out = tempDir('dusk-wasm-');
  try {
    execFileSync('bash', [join(import.meta.dirname, '../../scripts/build-wasm.sh'), out.dir]);
    expect(readFileSync(join(out.dir, 'bz2-decode.wasm.ts'), 'utf8')).toBe(committed);
  } finally {
    out.remove();
  }
});
