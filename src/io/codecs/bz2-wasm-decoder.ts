import { DuskIoError } from '../../core/errors.js';
import {
  BZ2_BLOCK_MAGIC,
  BZ2_EOS_MAGIC,
  BZ2_MAGIC_AND_CRC_BITS,
  BZ2_MAGIC_SPAN_BYTES,
  BZ2_STREAM_HEADER_BYTES,
  maxBlockCompressedBytes,
  maxBlockDecodedBytes,
  readBits,
  readBits48,
  scanBz2Magics,
  streamHeaderLevel,
  type Bz2Magic,
} from './bz2-blocks.js';
import { bz2SignatureError } from './bz2-signature.js';
import { combineBz2Crc, rewrapBz2Blocks } from './bz2-rewrap.js';
import { BZ_DATA_ERROR, BZ_OUTBUFF_FULL, BZ_UNEXPECTED_EOF, type WasmBz2 } from './bz2-wasm.js';
import { DuskBz2 } from './bz2-dusk.js';

/** Compact the input buffer once this many consumed bytes sit before the current block. */
const COMPACT_AFTER_BYTES = 1 << 20;

/** Where a decoder starts, for a partition that begins mid-file (see bz2-block-range.ts). */
export interface Bz2BlockDecoderStart {
  /** File offset of the first byte pushed. Default 0. */
  baseOffset?: number;
  /**
   * Start at the first block whose magic is at or after this absolute bit offset, instead of at a
   * stream header: the input then starts mid-stream. Each candidate start is confirmed by decoding
   * its block (a chance magic fails its CRC and the next candidate is tried). The stream's level
   * is unknown, so level 9 is assumed until the next stream header (a level only bounds libbz2's
   * block size, so 9 decodes every level), and that stream's combined CRC, which needs every
   * block of the stream, is not checked; each block's own CRC still is.
   */
  seekFromBit?: number;
  /** With seekFromBit: if no block starts before this absolute bit, end without decoding any. */
  seekBeforeBit?: number;
  /**
   * With seekFromBit: the absolute bit where a block is known to start (where the blocks before
   * it ended); a block there that fails to decode is corrupt, not a chance magic.
   */
  knownBlockBit?: number;
}

/** Why a block could not be decoded. */
type BlockFailure = { kind: 'no-end' } | { kind: 'bad'; why: string };

/**
 * Decodes a bz2 file block by block in WebAssembly, holding only the compressed bytes from the
 * current block's start to the end of the input pushed so far. Synchronous and push-driven so
 * the same code serves the streaming reader and the synchronous sampler: `next()` returns a
 * decoded block, 'more' when it needs another `push()` (or `end()`), or null at the end of the
 * data. Two block decoders:
 *
 *  - Dusk's own (DuskBz2, the default): decodes a block at its bit offset and finds the block's
 *    end itself. A block is tried once a magic has been seen after its start (or the input has
 *    ended, or holds the largest possible block); if the bytes end before the block does (the
 *    magic was a chance one inside it), it is tried again once a magic past that point arrives.
 *  - libbz2 (WasmBz2, the reference): each block is cut out at the next magic (block or
 *    end-of-stream) and re-wrapped as a one-block stream. A magic can occur by chance inside
 *    compressed data; the decode of a cut made there fails (CRC or data error), so the next
 *    candidate end is tried before giving up.
 */
export class Bz2WasmBlockDecoder {
  private buf = new Uint8Array(0);
  private len = 0;
  /** File offset of buf[0], for error messages. */
  private base = 0;
  /** Magics found in buf, in order; entries before the current position are dropped lazily. */
  private magics: Bz2Magic[] = [];
  /** Bytes of buf whose possible magic starts have been scanned. */
  private scannedTo = 0;
  /** Current bit position in buf: a stream header (byte aligned), a block or an eos magic. */
  private pos = 0;
  private phase: 'seek' | 'header' | 'blocks' | 'done';
  private level = 0;
  private combinedCrc = 0;
  /** False while in a stream entered mid-way (seek): its combined CRC cannot be checked. */
  private streamCrcKnown = true;
  /** Absolute bit offset of the block most recently returned. */
  private lastBlockBit = -1;
  private readonly seekFromBit: number;
  private readonly seekBeforeBit: number;
  private readonly knownBlockBit: number;
  /** Seek: candidate starts (absolute bits) whose block did not decode. */
  private failedStarts = new Set<number>();
  private streams = 0;
  private ended = false;
  /** Output room to try first; grows to the largest block seen (runs can make blocks bigger). */
  private outGuess = 0;
  /** Candidate ends (absolute bit offsets) that failed for the current block, and the first error. */
  private failedEnds = new Set<number>();
  private firstFailure: string | undefined;
  /** Dusk's decoder: the current block ran out of input there; wait for a magic at or past it. */
  private retryFromBit = -1;

  constructor(
    private readonly bz: WasmBz2 | DuskBz2,
    private readonly path: string,
    /** Replaceable so tests can plant a chance magic inside a block. */
    private readonly scanMagics: typeof scanBz2Magics = scanBz2Magics,
    start: Bz2BlockDecoderStart = {},
  ) {
    this.base = start.baseOffset ?? 0;
    this.seekFromBit = start.seekFromBit ?? -1;
    this.seekBeforeBit = start.seekBeforeBit ?? Number.POSITIVE_INFINITY;
    this.knownBlockBit = start.knownBlockBit ?? -1;
    this.phase = start.seekFromBit === undefined ? 'header' : 'seek';
    if (this.phase === 'seek') {
      this.level = 9;
      this.outGuess = 9 * 100_000;
      this.streamCrcKnown = false;
    }
  }

  /** Bytes allocated for compressed input (the bound on this decoder's input memory). */
  get bufferedBytes(): number {
    return this.buf.length;
  }

  /** True between streams (nothing half-decoded): the input may end here. */
  get atStreamBoundary(): boolean {
    return this.phase !== 'blocks';
  }

  /** File offset of the next compressed byte to decode. */
  get offset(): number {
    return this.base + (this.pos >>> 3);
  }

  /** Absolute bit offset (in the file) of the magic of the block that next() returned last; -1 before any. */
  get blockBit(): number {
    return this.lastBlockBit;
  }

  push(chunk: Uint8Array): void {
    this.compact();
    if (this.len + chunk.length > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.len + chunk.length, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
  }

  /** No more input will come. */
  end(): void {
    this.ended = true;
  }

  next(): Uint8Array | 'more' | null {
    for (;;) {
      if (this.phase === 'done') return null;
      if (this.phase === 'seek') return this.seek();
      if (this.phase === 'header') {
        const r = this.readHeader();
        if (r !== true) return r;
        continue;
      }
      this.scan();
      if (this.len * 8 - this.pos < BZ2_MAGIC_AND_CRC_BITS) {
        if (!this.ended) return 'more';
        throw this.error(`truncated bz2 file: it ends inside a block header or end-of-stream marker (unexpected end of file)`);
      }
      const magic = readBits48(this.buf, this.pos);
      if (magic === BZ2_EOS_MAGIC) {
        this.readEndOfStream();
        continue;
      }
      if (magic !== BZ2_BLOCK_MAGIC) {
        throw this.error(`corrupt bz2 data: expected a block or end-of-stream marker at bit ${this.pos & 7} of this byte`);
      }
      return this.decodeBlock();
    }
  }

  /** Reads "BZh1".."BZh9"; returns true to go on, or what next() should return. */
  private readHeader(): true | 'more' | null {
    const at = this.pos >>> 3;
    const avail = this.len - at;
    if (avail < BZ2_STREAM_HEADER_BYTES && !this.ended) return 'more';
    const level = avail >= BZ2_STREAM_HEADER_BYTES ? streamHeaderLevel(this.buf, at) : 0;
    if (level === 0) {
      if (this.streams === 0) throw bz2SignatureError(this.buf.subarray(at, this.len), this.path) ?? this.error('not a bz2 file');
      // After a complete stream, bytes that do not start another stream are ignored, as bzip2,
      // lbzip2 and Python's bz2 module do (padding or trailing garbage).
      this.phase = 'done';
      return null;
    }
    this.level = level;
    this.combinedCrc = 0;
    this.streamCrcKnown = true;
    this.pos = (at + BZ2_STREAM_HEADER_BYTES) * 8;
    this.phase = 'blocks';
    if (this.outGuess === 0) this.outGuess = level * 100_000;
    return true;
  }

  private readEndOfStream(): void {
    const stored = readBits(this.buf, this.pos + 48, 32);
    if (this.streamCrcKnown && stored !== this.combinedCrc) {
      throw this.error(
        `corrupt bz2 data: stream CRC mismatch at the end-of-stream marker (stored ${hex(stored)}, computed ${hex(this.combinedCrc)})`,
      );
    }
    // Streams end padded to a whole byte; the next stream (if any) starts at the next byte.
    this.pos = Math.ceil((this.pos + BZ2_MAGIC_AND_CRC_BITS) / 8) * 8;
    this.streams++;
    this.phase = 'header';
    this.dropMagicsBefore(this.pos);
  }

  private decodeBlock(): Uint8Array | 'more' {
    const r = this.tryDecodeBlock();
    if (r === 'more' || r instanceof Uint8Array) return r;
    throw this.blockError(r);
  }

  /**
   * Seek phase: finds the first block at or after seekFromBit that decodes, and returns it. A
   * candidate whose block fails to decode is a chance magic (or a corrupt block, which the
   * partition before this one decodes and reports), so the next candidate is tried.
   */
  private seek(): Uint8Array | 'more' | null {
    this.scan();
    for (const m of this.magics) {
      if (m.kind !== 'block') continue;
      const absolute = this.base * 8 + m.bit;
      if (absolute < this.seekFromBit || this.failedStarts.has(absolute)) continue;
      if (absolute >= this.seekBeforeBit) {
        this.phase = 'done';
        return null;
      }
      this.pos = m.bit;
      if (this.len * 8 - this.pos < BZ2_MAGIC_AND_CRC_BITS) {
        if (!this.ended) return 'more';
        throw this.error('truncated bz2 file: it ends inside a block header (unexpected end of file)');
      }
      const r = this.tryDecodeBlock();
      if (r === 'more') return 'more';
      if (r instanceof Uint8Array) {
        this.phase = 'blocks';
        return r;
      }
      if (r.kind !== 'bad' || absolute === this.knownBlockBit) throw this.blockError(r);
      this.failedStarts.add(absolute);
      this.failedEnds.clear();
      this.firstFailure = undefined;
      this.retryFromBit = -1;
    }
    // No block starts in the bytes scanned so far.
    if (this.ended || (this.base + this.scannedTo) * 8 >= this.seekBeforeBit) {
      this.phase = 'done';
      return null;
    }
    // Every candidate so far failed: nothing before the scan frontier needs keeping.
    this.pos = Math.max(this.pos, this.scannedTo * 8);
    return 'more';
  }

  /** Decodes the block at `pos`: its output, 'more' when its end may lie in input not read yet, or why it failed. */
  private tryDecodeBlock(): Uint8Array | 'more' | BlockFailure {
    return this.bz instanceof DuskBz2 ? this.tryDecodeBlockDirect(this.bz) : this.tryDecodeBlockCut();
  }

  /** tryDecodeBlock with Dusk's decoder, which finds the block's end itself. */
  private tryDecodeBlockDirect(bz: DuskBz2): Uint8Array | 'more' | BlockFailure {
    const start = this.pos;
    const maxBytes = maxBlockCompressedBytes(this.level) + 8;
    const complete = this.ended || this.len - (start >>> 3) >= maxBytes;
    if (!complete) {
      const from = Math.max(start + BZ2_MAGIC_AND_CRC_BITS, this.retryFromBit);
      if (!this.magics.some((m) => m.bit > from)) return 'more';
    }
    const r = bz.decodeBlock(this.buf, this.len, start, this.level, maxBytes);
    if (r.ok) {
      this.combinedCrc = combineBz2Crc(this.combinedCrc, r.crc);
      this.lastBlockBit = this.base * 8 + start;
      this.pos = r.endBit;
      this.dropMagicsBefore(this.pos);
      this.retryFromBit = -1;
      return r.output;
    }
    if (r.kind !== 'truncated') return { kind: 'bad', why: r.message };
    if (complete) {
      // Past a block or end-of-stream marker and still no end: corrupt (its end-of-block symbol
      // damaged), not cut short, as the libbz2 path also concludes from its candidate ends.
      const after = this.magics.some((m) => m.bit > start + BZ2_MAGIC_AND_CRC_BITS);
      return after ? { kind: 'bad', why: 'no end of block before the next block or end-of-stream marker' } : { kind: 'no-end' };
    }
    // The magic seen was a chance one inside this block: its end is in input not scanned yet.
    this.retryFromBit = this.scannedTo * 8;
    return 'more';
  }

  /** tryDecodeBlock with libbz2: cut at each candidate end in turn. */
  private tryDecodeBlockCut(): Uint8Array | 'more' | BlockFailure {
    const start = this.pos;
    const blockCrc = readBits(this.buf, start + 48, 32);
    const maxEnd = start + maxBlockCompressedBytes(this.level) * 8;
    for (const candidate of this.magics) {
      if (candidate.bit <= start + BZ2_MAGIC_AND_CRC_BITS) continue;
      if (candidate.bit > maxEnd) break;
      const absolute = this.base * 8 + candidate.bit;
      if (this.failedEnds.has(absolute)) continue;
      const output = this.decodeRange(this.bz as WasmBz2, start, candidate.bit, blockCrc);
      if (typeof output !== 'string') {
        this.combinedCrc = combineBz2Crc(this.combinedCrc, blockCrc);
        this.lastBlockBit = this.base * 8 + start;
        this.pos = candidate.bit;
        this.dropMagicsBefore(this.pos);
        this.failedEnds.clear();
        this.firstFailure = undefined;
        return output;
      }
      // A chance magic inside the block (or real corruption): try the next candidate end.
      this.failedEnds.add(absolute);
      this.firstFailure ??= output;
    }
    const scannedBits = this.scannedTo * 8;
    if (!this.ended && scannedBits <= maxEnd) {
      // The end of this block may be in input not read yet; decode it again once it is here.
      return 'more';
    }
    return this.firstFailure === undefined ? { kind: 'no-end' } : { kind: 'bad', why: this.firstFailure };
  }

  private blockError(failure: BlockFailure): DuskIoError {
    if (failure.kind === 'no-end') {
      const maxEnd = this.pos + maxBlockCompressedBytes(this.level) * 8;
      return this.error(
        this.ended && this.scannedTo * 8 <= maxEnd
          ? 'truncated bz2 file: it ends inside the block that starts here (no end-of-block marker; unexpected end of file)'
          : 'corrupt bz2 data: no end-of-block marker within the largest possible block size',
      );
    }
    return this.error(`corrupt bz2 data in the block that starts here (${failure.why})`);
  }

  /** Decodes bits [start, end) as one block with libbz2; the output, or why it failed. */
  private decodeRange(bz: WasmBz2, start: number, end: number, blockCrc: number): Uint8Array | string {
    const stream = rewrapBz2Blocks(this.buf, start, end, this.level, blockCrc);
    const limit = maxBlockDecodedBytes(this.level);
    let room = this.outGuess;
    for (;;) {
      const r = bz.decompress(stream, room);
      if (r.ok) {
        this.outGuess = Math.max(this.outGuess, r.output.length);
        return r.output;
      }
      if (r.code !== BZ_OUTBUFF_FULL || room >= limit) {
        return r.code === BZ_DATA_ERROR ? 'CRC mismatch or invalid data' : r.code === BZ_UNEXPECTED_EOF ? 'the block data ends early' : `libbz2 error ${r.code}`;
      }
      room = Math.min(limit, room * 2);
    }
  }

  /** Finds magics in newly arrived bytes (a magic may span 7 bytes, so the tail waits). */
  private scan(): void {
    const to = this.ended ? this.len : this.len - BZ2_MAGIC_SPAN_BYTES;
    if (to <= this.scannedTo) return;
    const found = this.scanMagics(this.buf.subarray(0, this.len), this.scannedTo, to);
    for (const m of found) this.magics.push(m);
    this.scannedTo = to;
  }

  private dropMagicsBefore(bit: number): void {
    let i = 0;
    while (i < this.magics.length && this.magics[i]!.bit < bit) i++;
    if (i > 0) this.magics = this.magics.slice(i);
  }

  /** Drops consumed bytes so the buffer holds only the current block and what follows. */
  private compact(): void {
    const drop = this.pos >>> 3;
    if (drop < COMPACT_AFTER_BYTES && drop * 2 < this.len) return;
    if (drop === 0) return;
    this.buf.copyWithin(0, drop, this.len);
    this.len -= drop;
    this.base += drop;
    this.pos -= drop * 8;
    this.scannedTo = Math.max(0, this.scannedTo - drop);
    this.magics = this.magics.filter((m) => m.bit >= drop * 8).map((m) => ({ bit: m.bit - drop * 8, kind: m.kind }));
  }

  private error(message: string): DuskIoError {
    const offset = this.offset;
    return new DuskIoError(`${this.path}: ${message} (compressed byte ${offset})`, { path: this.path, offset });
  }
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
