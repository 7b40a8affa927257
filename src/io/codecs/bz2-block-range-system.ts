import { BZ2_MAGIC_SPAN_BYTES, BZ2_STREAM_HEADER_BYTES, maxBlockCompressedBytes, readBits, scanBz2Magics, streamHeaderLevel } from './bz2-blocks.js';
import { type Bz2BlockRange, type Bz2RangeChunk, decodeBz2BlockRange } from './bz2-block-range.js';
import { combineBz2Crc, rewrapBz2Blocks } from './bz2-rewrap.js';
import { type Bz2Command, decodeBz2System } from './bz2-system.js';

/**
 * A block-range partition (bz2-block-range.ts) decoded by lbzip2, which decodes faster per core
 * than WASM libbz2 but only reads whole streams. The partition's own blocks — from its first
 * block magic to the first magic at or after 8·end — are read into memory (about blocksize ÷ the
 * compression ratio), re-framed as one standalone stream (bz2-rewrap.ts: the blocks' bits
 * unchanged, a new header and end-of-stream marker with the blocks' combined CRC) and piped
 * through the decoder. The blocks after the range, which only finish the partition's last row,
 * come from the WASM decoder, as do whole partitions whose range the re-framing does not fit:
 * one that crosses a stream boundary (concatenated streams), and a file that ends without an
 * end-of-stream marker (truncated), whose WASM decode reports the bad block precisely.
 *
 * A 48-bit magic can occur by chance inside compressed data. A chance magic in the range gives a
 * wrong combined CRC, so the decoder fails; the range is then decoded again with WASM, which
 * confirms every block by decoding it: it either reports the real corruption with its block's
 * offset, or decodes, and the output goes on from where the decoder's stopped.
 */
export async function* decodeBz2BlockRangeSystem(compressed: AsyncIterable<Uint8Array>, path: string, range: Bz2BlockRange, command: Bz2Command): AsyncGenerator<Bz2RangeChunk> {
  const source = compressed[Symbol.asyncIterator]();
  try {
    yield* decodeRange(source, path, range, command);
  } finally {
    await source.return?.(); // close the file, also when the reader stops early
  }
}

async function* decodeRange(source: AsyncIterator<Uint8Array>, path: string, range: Bz2BlockRange, command: Bz2Command): AsyncGenerator<Bz2RangeChunk> {
  const baseBit = range.start * 8;
  const endBit = range.end === null ? Number.POSITIVE_INFINITY : range.end * 8;
  // Sized for the range and one more block (where its last row ends), so it rarely grows.
  const read = new GrowingBytes(range.end === null ? 1 << 20 : range.end - range.start + maxBlockCompressedBytes(9));
  const magics: { bit: number; kind: 'block' | 'eos' }[] = [];
  let scanned = 0;
  let ended = false;
  /** Buffer-relative bit of the magic that ends the own blocks (the range's last EOS when end is null). */
  let ownEnd = -1;
  while (ownEnd < 0 && !ended) {
    const r = await source.next();
    if (r.done) ended = true;
    else read.append(r.value);
    const scanTo = ended ? read.length : read.length - BZ2_MAGIC_SPAN_BYTES;
    if (scanTo > scanned) {
      for (const m of scanBz2Magics(read.bytes, scanned, scanTo)) {
        magics.push(m);
        if (ownEnd < 0 && baseBit + m.bit >= endBit) ownEnd = m.bit;
      }
      scanned = scanTo;
    }
  }
  const bytes = read.bytes;
  if (range.end === null && ended) {
    const last = magics[magics.length - 1];
    if (last?.kind === 'eos') ownEnd = last.bit;
  }
  const firstBit = range.start === 0 ? (streamHeaderLevel(bytes) > 0 ? BZ2_STREAM_HEADER_BYTES * 8 : -1) : (magics.find((m) => m.kind === 'block')?.bit ?? -1);
  const own = magics.filter((m) => m.bit >= firstBit && m.bit < ownEnd);
  const fits =
    firstBit >= 0 &&
    ownEnd > firstBit &&
    own.length > 0 &&
    own[0]!.bit === firstBit &&
    own.every((m) => m.kind === 'block') &&
    (range.end === null || magics.find((m) => m.bit === ownEnd)!.kind === 'block');
  const replay = (from: number): AsyncIterable<Uint8Array> => replaying(bytes.subarray(from), source);
  if (!fits) {
    yield* decodeBz2BlockRange(replay(0), path, range);
    return;
  }

  let crc = 0;
  for (const m of own) crc = combineBz2Crc(crc, readBits(bytes, m.bit + 48, 32));
  const stream = rewrapBz2Blocks(bytes, firstBit, ownEnd, 9, crc);
  let yielded = 0;
  try {
    for await (const out of decodeBz2System(once(stream), path, command)) {
      yielded += out.length;
      yield { bytes: out, owned: true, blockBit: baseBit + firstBit };
    }
  } catch {
    // Decode the range again with WASM (see above); skip what the decoder already gave.
    for await (const chunk of decodeBz2BlockRange(replay(0), path, range)) {
      const skip = Math.min(yielded, chunk.bytes.length);
      yielded -= skip;
      if (skip < chunk.bytes.length) yield skip === 0 ? chunk : { ...chunk, bytes: chunk.bytes.subarray(skip) };
    }
    return;
  }
  if (range.end === null) return;
  // The blocks after the range, for as long as the reader pulls: WASM, from the block at ownEnd.
  const tailByte = ownEnd >>> 3;
  // The block at ownEnd is a real block start (the own blocks end there), so it is decoded or reported, never skipped.
  for await (const chunk of decodeBz2BlockRange(replay(tailByte), path, { start: range.start + tailByte, end: null }, baseBit + ownEnd)) {
    yield { ...chunk, owned: false };
  }
}

/** The bytes read so far, in one growing buffer (doubling), so magics can be scanned across chunks. */
class GrowingBytes {
  private buf: Uint8Array;
  length = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
  }
  append(chunk: Uint8Array): void {
    if (this.length + chunk.length > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.length + chunk.length));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(chunk, this.length);
    this.length += chunk.length;
  }
  get bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** `first`, then the rest of a source already partly read (the source stays open for later use). */
async function* replaying(first: Uint8Array, source: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (first.length > 0) yield first;
  for (;;) {
    const r = await source.next();
    if (r.done) return;
    yield r.value;
  }
}
