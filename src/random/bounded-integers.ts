import type { BitGenerator } from './bit-generator.js';

/**
 * numpy's bounded integer samplers (distributions.c). `rng` is the inclusive range width
 * (high - low); results are offsets in [0, rng].
 */

const TWO32 = 4294967296;

/** Lemire's nearly-divisionless method on 32-bit draws (buffered_bounded_lemire_uint32). */
export function lemire32(bg: BitGenerator, rng: number): number {
  const rngExcl = rng + 1;
  let x = bg.next32();
  // m = x * rngExcl as 64 bits: low word via imul, high word exactly via rounding.
  let leftover = Math.imul(x, rngExcl) >>> 0;
  if (leftover < rngExcl) {
    const threshold = (0xffffffff - rng) % rngExcl;
    while (leftover < threshold) {
      x = bg.next32();
      leftover = Math.imul(x, rngExcl) >>> 0;
    }
  }
  return Math.round((x * rngExcl - leftover) / TWO32);
}

const MASK64 = 0xffffffffffffffffn;

/** Lemire on 64-bit draws (bounded_lemire_uint64), in BigInt: ranges above 2**32 are rare. */
export function lemire64(bg: BitGenerator, rng: bigint): bigint {
  const rngExcl = rng + 1n;
  let m = bg.next64() * rngExcl;
  let leftover = m & MASK64;
  if (leftover < rngExcl) {
    const threshold = (MASK64 - rng) % rngExcl;
    while (leftover < threshold) {
      m = bg.next64() * rngExcl;
      leftover = m & MASK64;
    }
  }
  return m >> 64n;
}

/** numpy's random_bounded_uint64 with use_masked = false, for ranges that fit a double. */
export function boundedUint(bg: BitGenerator, rng: number): number {
  if (rng === 0) return 0;
  if (rng <= 0xffffffff) return rng === 0xffffffff ? bg.next32() : lemire32(bg, rng);
  return Number(lemire64(bg, BigInt(rng)));
}

/** The same for any 64-bit range. */
export function boundedUintBig(bg: BitGenerator, rng: bigint): bigint {
  if (rng === 0n) return 0n;
  if (rng <= 0xffffffffn) return BigInt(rng === 0xffffffffn ? bg.next32() : lemire32(bg, Number(rng)));
  if (rng === MASK64) return bg.next64();
  return lemire64(bg, rng);
}

/** numpy's random_interval: masked rejection in [0, max], used by shuffle and permutation. */
export function randomInterval(bg: BitGenerator, max: number): number {
  if (max === 0) return 0;
  if (max <= 0xffffffff) {
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    while ((value = (bg.next32() & mask) >>> 0) > max);
    return value;
  }
  let mask = BigInt(max);
  for (const s of [1n, 2n, 4n, 8n, 16n, 32n]) mask |= mask >> s;
  const bmax = BigInt(max);
  let value: bigint;
  while ((value = bg.next64() & mask) > bmax);
  return Number(value);
}
