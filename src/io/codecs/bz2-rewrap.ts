import { BZ2_EOS_MAGIC } from './bz2-blocks.js';

/**
 * Turns one or more consecutive blocks of a bz2 stream into a standalone bz2 stream that a
 * one-shot decoder (libbz2's BuffToBuff) accepts:
 *
 *   "BZh" level | bits [startBit, endBit) shifted to byte alignment | eos magic | combined CRC | pad
 *
 * The blocks' bits are copied unchanged; only the stream framing is new. For a single block the
 * combined CRC is that block's own CRC (the 32 bits after its magic); for several, the caller
 * combines them as bzip2 does (see combineBz2Crc).
 */
export function rewrapBz2Blocks(buf: Uint8Array, startBit: number, endBit: number, level: number, combinedCrc: number): Uint8Array {
  const bits = endBit - startBit;
  const wholeBytes = bits >>> 3;
  const out = new Uint8Array(4 + Math.ceil((bits + 80) / 8));
  out[0] = 0x42; // B
  out[1] = 0x5a; // Z
  out[2] = 0x68; // h
  out[3] = 0x30 + level;
  const shift = startBit & 7;
  const first = startBit >>> 3;
  if (shift === 0) {
    out.set(buf.subarray(first, first + wholeBytes), 4);
  } else {
    // Every source byte read here exists: the block is followed by at least a magic's bits.
    const back = 8 - shift;
    for (let j = 0; j < wholeBytes; j++) {
      out[4 + j] = ((buf[first + j]! << shift) | (buf[first + j + 1]! >>> back)) & 0xff;
    }
  }
  const w = new BitWriter(out, (4 + wholeBytes) * 8);
  const restBits = bits & 7;
  if (restBits > 0) {
    const restStart = startBit + wholeBytes * 8;
    // The last few bits of the block, taken from (at most) two source bytes.
    const pair = ((buf[restStart >>> 3]! << 8) | (buf[(restStart >>> 3) + 1] ?? 0)) >>> 0;
    const value = (pair >>> (16 - (restStart & 7) - restBits)) & ((1 << restBits) - 1);
    w.write(value, restBits);
  }
  w.write(Math.floor(BZ2_EOS_MAGIC / 0x1000000), 24);
  w.write(BZ2_EOS_MAGIC % 0x1000000, 24);
  w.write(combinedCrc >>> 16, 16);
  w.write(combinedCrc & 0xffff, 16);
  // Remaining bits are already zero: that is the padding.
  return out;
}

/** bzip2's stream CRC: rotate left by one, then xor the next block's CRC. */
export function combineBz2Crc(combined: number, blockCrc: number): number {
  return (((combined << 1) | (combined >>> 31)) ^ blockCrc) >>> 0;
}

/** Writes MSB-first bits into a zero-filled buffer. */
class BitWriter {
  constructor(
    private readonly out: Uint8Array,
    private bit: number,
  ) {}

  /** Writes the low `count` (≤ 24) bits of `value`. */
  write(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) {
      if ((value >>> i) & 1) this.out[this.bit >>> 3]! |= 0x80 >>> (this.bit & 7);
      this.bit++;
    }
  }
}
