/**
 * 64-bit unsigned arithmetic on (hi, lo) uint32 pairs held in plain numbers, for the
 * generators that are not performance-critical (Philox, SFC64). Results go to `r`.
 */
export const r = { hi: 0, lo: 0 };

/** r = (ah:al) + (bh:bl) mod 2**64. */
export function add64(ah: number, al: number, bh: number, bl: number): void {
  const lo = al + bl;
  r.lo = lo >>> 0;
  r.hi = (ah + bh + (lo > 0xffffffff ? 1 : 0)) >>> 0;
}

/** Exact 32×32→64 product: the double product is within 2**11 of the truth, so rounding the high word is exact. */
export function mul32(a: number, b: number): void {
  const lo = Math.imul(a, b) >>> 0;
  r.lo = lo;
  r.hi = Math.round((a * b - lo) / 4294967296);
}

/** Full 64×64→128 product; returns [w3, w2, w1, w0] (most significant first) in `out`. */
export function mul64(ah: number, al: number, bh: number, bl: number, out: Float64Array): void {
  mul32(al, bl); const l0 = r.lo, h0 = r.hi;
  mul32(al, bh); const l1 = r.lo, h1 = r.hi;
  mul32(ah, bl); const l2 = r.lo, h2 = r.hi;
  mul32(ah, bh); const l3 = r.lo, h3 = r.hi;
  const s1 = h0 + l1 + l2;
  const c1 = Math.floor(s1 / 4294967296);
  const s2 = h1 + h2 + l3 + c1;
  const c2 = Math.floor(s2 / 4294967296);
  out[3] = l0;
  out[2] = s1 >>> 0;
  out[1] = s2 >>> 0;
  out[0] = (h3 + c2) >>> 0;
}

export function toBig(hi: number, lo: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}
