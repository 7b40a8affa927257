/**
 * The bz2 container format, as far as splitting it into independently decodable blocks needs:
 *
 *   stream = "BZh" level('1'..'9') block* eos pad-to-byte      (a file is one or more streams)
 *   block  = 0x314159265359 (48 bits) crc32 (32 bits) huffman-coded data…
 *   eos    = 0x177245385090 (48 bits) combinedCrc32 (32 bits)
 *
 * Blocks and the end-of-stream marker start at arbitrary BIT offsets and carry no length, so the
 * only way to find where a block ends is to look for the next magic. The 48-bit magics can also
 * occur by chance inside compressed data (about once per 2^48 bit positions): callers treat every
 * hit as a candidate and confirm it by decoding (see bz2-wasm-decoder.ts).
 *
 * This module is deliberately independent of any decoder so that a planner can use it to split
 * one large .bz2 file into block-aligned partitions for several workers.
 */

export const BZ2_BLOCK_MAGIC = 0x314159265359;
export const BZ2_EOS_MAGIC = 0x177245385090;
/** Bits taken by a magic plus the CRC that follows it. */
export const BZ2_MAGIC_AND_CRC_BITS = 80;
/** "BZh" + level digit. */
export const BZ2_STREAM_HEADER_BYTES = 4;

export type Bz2MagicKind = 'block' | 'eos';

export interface Bz2Magic {
  /** Bit offset of the magic's first bit, counted MSB-first from byte 0 of the scanned buffer. */
  bit: number;
  kind: Bz2MagicKind;
}

/**
 * One of the 16 (magic, bit shift) search patterns. A magic starting at bit `shift` of byte i
 * covers bytes i..i+6; bytes i+1..i+5 are entirely magic bits, so they form a 5-byte needle that
 * a native byte search finds quickly. The partial first and last bytes are checked with masks.
 */
interface ShiftPattern {
  kind: Bz2MagicKind;
  shift: number;
  needle: Buffer;
  firstMask: number;
  firstValue: number;
  lastMask: number;
  lastValue: number;
}

function buildPatterns(): ShiftPattern[] {
  const patterns: ShiftPattern[] = [];
  for (const [kind, magic] of [['block', BZ2_BLOCK_MAGIC], ['eos', BZ2_EOS_MAGIC]] as const) {
    for (let shift = 0; shift < 8; shift++) {
      // The 7 bytes i..i+6 as a 56-bit number with the magic placed `shift` bits from the top.
      const placed = BigInt(magic) << BigInt(8 - shift);
      const bytes: number[] = [];
      for (let b = 6; b >= 0; b--) bytes.push(Number((placed >> BigInt(8 * b)) & 0xffn));
      const firstMask = (1 << (8 - shift)) - 1;
      const lastMask = (0xff << (8 - shift)) & 0xff;
      patterns.push({
        kind,
        shift,
        needle: Buffer.from(bytes.slice(1, 6)),
        firstMask,
        firstValue: bytes[0]! & firstMask,
        lastMask,
        lastValue: bytes[6]! & lastMask,
      });
    }
  }
  return patterns;
}

const PATTERNS = buildPatterns();

/** Bytes a magic may span (7 when not byte aligned). */
export const BZ2_MAGIC_SPAN_BYTES = 7;

/**
 * Finds every block and end-of-stream magic that starts in bytes [fromByte, toByte) of `buf` and
 * lies entirely inside `buf`, sorted by bit offset. To scan a growing buffer incrementally, scan
 * [previousTo, buf.length - BZ2_MAGIC_SPAN_BYTES) each time: every magic is then reported once.
 */
export function scanBz2Magics(buf: Uint8Array, fromByte = 0, toByte = buf.length): Bz2Magic[] {
  const hay = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const end = Math.min(toByte, buf.length);
  const found: Bz2Magic[] = [];
  if (end <= fromByte) return found;
  for (const p of PATTERNS) {
    // The needle starts one byte after the magic's first byte.
    let k = hay.indexOf(p.needle, Math.max(fromByte + 1, 1));
    while (k !== -1 && k - 1 < end) {
      const i = k - 1;
      const lastFits = p.shift === 0 || k + 5 < buf.length;
      if (lastFits && (buf[i]! & p.firstMask) === p.firstValue && (p.shift === 0 || (buf[k + 5]! & p.lastMask) === p.lastValue)) {
        found.push({ bit: i * 8 + p.shift, kind: p.kind });
      }
      k = hay.indexOf(p.needle, k + 1);
    }
  }
  found.sort((a, b) => a.bit - b.bit);
  return found;
}

/** Reads `count` (≤ 32) bits starting at bit offset `bit`, MSB-first, as an unsigned number. */
export function readBits(buf: Uint8Array, bit: number, count: number): number {
  let value = 0;
  let at = bit;
  let left = count;
  while (left > 0) {
    const byte = buf[at >>> 3] ?? 0;
    const offset = at & 7;
    const take = Math.min(8 - offset, left);
    const chunk = (byte >>> (8 - offset - take)) & ((1 << take) - 1);
    value = value * (1 << take) + chunk;
    at += take;
    left -= take;
  }
  return value;
}

/** The 48 bits at `bit` as a number (exact: 48 bits fit in a double). */
export function readBits48(buf: Uint8Array, bit: number): number {
  return readBits(buf, bit, 24) * 0x1000000 + readBits(buf, bit + 24, 24);
}

/** The stream's block-size level (1..9) if `buf[at..]` starts with "BZh1".."BZh9", else 0. */
export function streamHeaderLevel(buf: Uint8Array, at = 0): number {
  if (buf[at] !== 0x42 || buf[at + 1] !== 0x5a || buf[at + 2] !== 0x68) return 0;
  const digit = (buf[at + 3] ?? 0) - 0x30;
  return digit >= 1 && digit <= 9 ? digit : 0;
}

/**
 * Upper bound on a block's compressed size at a level: at most level×100k symbols, each Huffman
 * code at most 20 bits, plus the tables. A candidate end beyond this is not a real block end.
 */
export function maxBlockCompressedBytes(level: number): number {
  return Math.ceil((level * 100_000 * 20) / 8) + 4096;
}

/**
 * Upper bound on a block's decoded size: the block holds ≤ level×100k bytes after bzip2's first
 * run-length stage, where 5 bytes can stand for a run of 255.
 */
export function maxBlockDecodedBytes(level: number): number {
  return Math.ceil((level * 100_000 * 255) / 5);
}
