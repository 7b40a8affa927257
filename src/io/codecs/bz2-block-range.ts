import { Bz2WasmBlockDecoder } from './bz2-wasm-decoder.js';
import { type Bz2WasmEngine, decodedBlocks, loadBz2Engine } from './bz2-wasm-stream.js';

/**
 * Splitting one .bz2 file across workers.
 *
 * bzip2 compresses its input in independent blocks (at most level × 100 kB of input each), and
 * each block can be decoded alone (bz2-rewrap.ts), so a large file is cut into partitions that
 * are runs of whole blocks. A partition is a compressed byte range [start, end): it owns the
 * blocks whose 48-bit magic starts at a bit offset in [8·start, 8·end). Planning therefore reads
 * nothing (the file size is enough); the partition's task finds its first block itself, by
 * scanning its own first bytes for the magic and confirming the candidate by decoding it (see
 * Bz2WasmBlockDecoder's seek). Neighbouring partitions agree on every boundary: the one before
 * decodes its blocks in sequence and stops at the first block starting at 8·end or later, which
 * is exactly the block this one starts with. Block runs may cross stream boundaries
 * (concatenated streams, as pbzip2/lbzip2 or `cat` write them): the decoder reads the next
 * stream header and goes on.
 *
 * The system decoder (lbzip2 as a child process) reads only whole streams from a "BZh" header:
 * bz2-block-range-system.ts re-frames a range's own blocks as one stream for it and takes the
 * blocks after the range, and the ranges it cannot re-frame, from the WASM decoder here.
 *
 * A partition needs more than its own blocks: its last row usually ends in the next block. So
 * the decoder goes on past the range, marking those blocks `owned: false`, for as long as the
 * reader pulls; the reader stops at the newline that ends its last row (read-partition.ts).
 */
export interface Bz2BlockRange {
  /** Compressed byte offset: the partition's blocks start at or after bit 8·start. */
  start: number;
  /** Exclusive compressed byte offset for block starts; null = to the end of the file. */
  end: number | null;
}

/** One decoded block of a block-range partition. */
export interface Bz2RangeChunk {
  bytes: Uint8Array;
  /** True for the partition's own blocks; false from the first block that starts past its range. */
  owned: boolean;
  /** Absolute bit offset of the block's magic in the file. */
  blockBit: number;
}

/**
 * Splits a file of `size` compressed bytes into `parts` block ranges of equal compressed size
 * (balanced: decoding time follows the compressed bytes more closely than any fixed step).
 */
export function planBz2BlockRanges(size: number, parts: number): Bz2BlockRange[] {
  const n = Math.max(1, Math.min(parts, Math.ceil(size / 1024)));
  const step = Math.ceil(size / n);
  const ranges: Bz2BlockRange[] = [];
  for (let i = 0; i < n; i++) {
    const start = i * step;
    if (start >= size && i > 0) break;
    const end = (i + 1) * step;
    ranges.push({ start, end: end >= size ? null : end });
  }
  return ranges;
}

/**
 * Decodes a block-range partition from its compressed bytes (`compressed` starts at file offset
 * range.start). Yields the partition's own blocks, then the blocks after them for as long as the
 * caller keeps pulling. A partition that starts at byte 0 reads the stream header as usual; a
 * later one seeks its first block. A truncated or corrupt block throws a DuskIoError naming the
 * path and the block's compressed byte offset in the file.
 */
export async function* decodeBz2BlockRange(
  compressed: AsyncIterable<Uint8Array>,
  path: string,
  range: Bz2BlockRange,
  /** The absolute bit where a block is known to start (see Bz2BlockDecoderStart.knownBlockBit). */
  knownBlockBit?: number,
  engine: Bz2WasmEngine = 'dusk',
): AsyncGenerator<Bz2RangeChunk> {
  const endBit = range.end === null ? Number.POSITIVE_INFINITY : range.end * 8;
  const decoder = new Bz2WasmBlockDecoder(
    await loadBz2Engine(engine),
    path,
    undefined,
    range.start === 0 ? {} : { baseOffset: range.start, seekFromBit: range.start * 8, seekBeforeBit: endBit, ...(knownBlockBit === undefined ? {} : { knownBlockBit }) },
  );
  for await (const bytes of decodedBlocks(decoder, compressed)) yield { bytes, owned: decoder.blockBit < endBit, blockBit: decoder.blockBit };
}
