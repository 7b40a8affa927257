import { exp, log1p } from '../libm.js';
import type { RawSource } from '../raw-source.js';
import {
  FE_DOUBLE, FI_DOUBLE, KE_DOUBLE, KI_DOUBLE, WE_DOUBLE, WI_DOUBLE,
  ZIGGURAT_EXP_R, ZIGGURAT_NOR_INV_R, ZIGGURAT_NOR_R,
} from '../ziggurat-tables.js';

/**
 * numpy's random_standard_normal: 256-layer ziggurat on one 64-bit draw
 * (bits 0-7 layer, bit 8 sign, bits 9-60 the 52-bit magnitude).
 */
export function standardNormal(src: RawSource): number {
  for (;;) {
    src.u64();
    const lo = src.lo;
    const idx = lo & 0xff;
    const rabs = (src.hi & 0x1fffffff) * 8388608 + (lo >>> 9);
    let x = rabs * WI_DOUBLE[idx]!;
    if (lo & 0x100) x = -x;
    if (rabs < KI_DOUBLE[idx]!) return x;
    if (idx === 0) {
      for (;;) {
        // 1 - U keeps log away from 0 (numpy gh-13361).
        const xx = -ZIGGURAT_NOR_INV_R * log1p(-src.double());
        const yy = -log1p(-src.double());
        if (yy + yy > xx * xx) {
          return (lo >>> 17) & 1 ? -(ZIGGURAT_NOR_R + xx) : ZIGGURAT_NOR_R + xx;
        }
      }
    } else if ((FI_DOUBLE[idx - 1]! - FI_DOUBLE[idx]!) * src.double() + FI_DOUBLE[idx]! < exp(-0.5 * x * x)) {
      return x;
    }
  }
}

/** numpy's random_standard_exponential: ziggurat on bits 3-10 (layer) and 11-63 of one draw. */
export function standardExponential(src: RawSource): number {
  for (;;) {
    src.u64();
    const lo = src.lo;
    const idx = (lo >>> 3) & 0xff;
    const ri = src.hi * 2097152 + (lo >>> 11);
    const x = ri * WE_DOUBLE[idx]!;
    if (ri < KE_DOUBLE[idx]!) return x;
    if (idx === 0) return ZIGGURAT_EXP_R - log1p(-src.double());
    if ((FE_DOUBLE[idx - 1]! - FE_DOUBLE[idx]!) * src.double() + FE_DOUBLE[idx]! < exp(-x)) return x;
    // numpy recurses for a fresh draw; the loop does the same.
  }
}

/**
 * Fill out with loc + scale * standard normals (or plain ones). The 99% fast path reads the
 * draw buffer inline; rejections fall back to standardNormal-style code on the same stream.
 */
export function fillStandardNormal(src: RawSource, out: Float64Array, loc: number, scale: number, plain: boolean): void {
  const n = out.length;
  const buf = src.buf;
  let pos = src.pos, len = src.len;
  for (let i = 0; i < n; i++) {
    if (pos === len) {
      // Each remaining normal takes at least one draw, so n - i draws are sure to be used.
      src.budget = n - i;
      src.refill();
      pos = 0;
      len = src.len;
    }
    const lo = buf[pos]!, hi = buf[pos + 1]!;
    pos += 2;
    const idx = lo & 0xff;
    const rabs = (hi & 0x1fffffff) * 8388608 + (lo >>> 9);
    let z: number;
    if (rabs < KI_DOUBLE[idx]!) {
      z = rabs * WI_DOUBLE[idx]!;
      if (lo & 0x100) z = -z;
    } else {
      src.pos = pos;
      src.budget = n - i;
      z = normalSlow(src, lo, idx, rabs);
      pos = src.pos;
      len = src.len;
    }
    out[i] = plain ? z : loc + scale * z;
  }
  src.pos = pos;
  src.budget = 1;
}

/** The rest of random_standard_normal after a first draw failed the fast test. */
function normalSlow(src: RawSource, lo: number, idx: number, rabs: number): number {
  for (;;) {
    let x = rabs * WI_DOUBLE[idx]!;
    if (lo & 0x100) x = -x;
    if (rabs < KI_DOUBLE[idx]!) return x;
    if (idx === 0) {
      for (;;) {
        const xx = -ZIGGURAT_NOR_INV_R * log1p(-src.double());
        const yy = -log1p(-src.double());
        if (yy + yy > xx * xx) return (lo >>> 17) & 1 ? -(ZIGGURAT_NOR_R + xx) : ZIGGURAT_NOR_R + xx;
      }
    }
    if ((FI_DOUBLE[idx - 1]! - FI_DOUBLE[idx]!) * src.double() + FI_DOUBLE[idx]! < exp(-0.5 * x * x)) return x;
    src.u64();
    lo = src.lo;
    idx = lo & 0xff;
    rabs = (src.hi & 0x1fffffff) * 8388608 + (lo >>> 9);
  }
}

/** Fill out with (scale *) standard exponentials; same inline fast path as the normals. */
export function fillStandardExponential(src: RawSource, out: Float64Array, scale: number, plain: boolean): void {
  const n = out.length;
  const buf = src.buf;
  let pos = src.pos, len = src.len;
  for (let i = 0; i < n; i++) {
    if (pos === len) {
      src.budget = n - i;
      src.refill();
      pos = 0;
      len = src.len;
    }
    const lo = buf[pos]!, hi = buf[pos + 1]!;
    pos += 2;
    const idx = (lo >>> 3) & 0xff;
    const ri = hi * 2097152 + (lo >>> 11);
    let e: number;
    if (ri < KE_DOUBLE[idx]!) {
      e = ri * WE_DOUBLE[idx]!;
    } else {
      src.pos = pos;
      src.budget = n - i;
      e = exponentialSlow(src, idx, ri);
      pos = src.pos;
      len = src.len;
    }
    out[i] = plain ? e : scale * e;
  }
  src.pos = pos;
  src.budget = 1;
}

function exponentialSlow(src: RawSource, idx: number, ri: number): number {
  const x = ri * WE_DOUBLE[idx]!;
  if (idx === 0) return ZIGGURAT_EXP_R - log1p(-src.double());
  if ((FE_DOUBLE[idx - 1]! - FE_DOUBLE[idx]!) * src.double() + FE_DOUBLE[idx]! < exp(-x)) return x;
  return standardExponential(src);
}
