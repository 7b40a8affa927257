/**
 * Bit-exact TypeScript ports of the glibc libm functions numpy's samplers call: exp, log and
 * pow, as glibc 2.36 on x86-64 runs them on a CPU with FMA and AVX2.
 *
 * Why: numpy's C code calls the platform libm, and V8's Math.exp/log/pow/log1p (fdlibm ports)
 * round differently from glibc's for a few percent of inputs; where those results are the
 * sampled value (gamma with shape < 1, beta with a, b <= 1) numpy's output could not be matched
 * to the bit with Math.*.
 *
 * What is ported:
 * - exp, log, pow: glibc's sysdeps/ieee754/dbl-64/e_exp.c, e_log.c, e_pow.c (with the tables in
 *   e_exp_data.c, e_log_data.c, e_pow_log_data.c, see glibc-math-data.ts). These are the ARM
 *   optimized-routines implementations (math/exp.c, log.c, pow.c and their *_data.c) that
 *   glibc imported in 2.28:
 *     Copyright (c) 2018, Arm Limited. SPDX-License-Identifier: MIT
 *     (optimized-routines is now distributed as MIT OR Apache-2.0 WITH LLVM-exception.)
 * - log1p is not ported: glibc's s_log1p.c carries an LGPL-2.1 modification, which this MIT
 *   project does not copy. libm.ts uses V8's Math.log1p (fdlibm), which differs from glibc's in
 *   about 0.1% of inputs; numpy's samplers call it only in the rare ziggurat tails.
 *
 * Fused multiply-add: on x86-64, glibc 2.36 picks by ifunc between builds of these files
 * compiled for plain SSE2 and builds compiled with -mfma -mavx2 (__exp_fma, __log_fma,
 * __pow_fma in sysdeps/x86_64/fpu/multiarch). On a CPU with FMA and AVX2 (Intel
 * since Haswell, AMD since Excavator/Zen, and the machine numpy's fixtures came from) the FMA
 * build runs. There, besides the explicit __builtin_fma calls under __FP_FAST_FMA, GCC contracts
 * most `a * b + c` in the C into one fused operation. The arithmetic below therefore follows
 * the machine code of those functions in the Debian 12 libm.so.6 (read with its debug
 * symbols), not just the C: each fused multiply-add below (fma, fmaExact, roundSum, prodErr,
 * or fma's fast path written out in place, see "How glibc's fused multiply-adds are evaluated")
 * is a vfmadd/vfmsub/vfnmadd instruction there, and every plain `*`/`+` is a separate
 * vmulsd/vaddsd. Products that are exact in double (k * Ln2hi, scalings by powers of two) are
 * written unfused since fusing them cannot change the result. JS doubles are IEEE binary64 with
 * round-to-nearest-even, so with an exact fma the results are glibc's bits (checked against it
 * on ~2.4 million inputs; test/random/glibc-math.test.ts keeps a sample).
 *
 * errno and floating-point exception flags are not modelled; special inputs (NaN, infinities,
 * zeros, negative arguments) return what glibc returns.
 */
import * as D from './glibc-math-data.js';

// Module-local copies: V8 reads imported bindings through a cell with a hole check on every
// access, which made these functions several times slower than with local constants.
const EXP_C2 = D.EXP_C2;
const EXP_C3 = D.EXP_C3;
const EXP_C4 = D.EXP_C4;
const EXP_C5 = D.EXP_C5;
const EXP_INV_LN2N = D.EXP_INV_LN2N;
const EXP_NEG_LN2_HI_N = D.EXP_NEG_LN2_HI_N;
const EXP_NEG_LN2_LO_N = D.EXP_NEG_LN2_LO_N;
const EXP_SHIFT = D.EXP_SHIFT;
const EXP_TAB = D.EXP_TAB;
const LOG_LN2_HI = D.LOG_LN2_HI;
const LOG_LN2_LO = D.LOG_LN2_LO;
const LOG_POLY = D.LOG_POLY;
const LOG_POLY1 = D.LOG_POLY1;
const LOG_TAB = D.LOG_TAB;
const POW_LN2_HI = D.POW_LN2_HI;
const POW_LN2_LO = D.POW_LN2_LO;
const POW_POLY = D.POW_POLY;
const POW_TAB = D.POW_TAB;

// One scratch double with a view of its two 32-bit halves, for bit access.
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;

/** The double with high word hi and low word lo. */
function fromWords(hi: number, lo: number): number {
  U32[HI] = hi;
  U32[LO] = lo;
  return F64[0]!;
}

/** 2^27 + 1, Veltkamp's splitting constant for doubles. */
const SPLIT = 134217729;
/** 2^-53, half the machine epsilon. */
const U = 1.1102230246251565e-16;
/** 2^52 + 1 and 1 - 2^-53, for Rump's unit-in-the-first-place trick. */
const PHI = 4503599627370497;
const ONE_MINUS_U = 0.9999999999999999;

/**
 * The exact rounding error of the product a * b: a * b - p where p = RN(a * b), by Dekker's
 * algorithm (Veltkamp splitting). This is also glibc's fma(a, b, -p). Needs |a|, |b| < 2^995
 * and no underflow in the partial products (|a * b| > 2^-969 or 0).
 */
function prodErr(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * RN(p + pe + c), where p + pe is an exact product split into two doubles with |pe| <= 2^-20 |p|
 * (Dekker's split has |pe| <= ulp(p)/2): the final rounding of a fused multiply-add.
 *
 * TwoSum gives p + c = s + se exactly, so the result is RN(s + se + pe). Rounding se + pe to v
 * first could round twice. But if v is inexact then se != 0, so p + c did not cancel
 * (Sterbenz), |v| is far below |s|, and every midpoint between doubles near s is a multiple of
 * ulp(v): the exact sum and s + v then round alike unless s + v is itself a midpoint, and there
 * the sign of v's own rounding error decides. (Boldo and Melquiond, IEEE Trans. Computers 57(4),
 * 2008, reach the same by rounding se + pe to odd.)
 */
function roundSum(p: number, pe: number, c: number): number {
  const s = p + c;
  const sv = s - p;
  const se = p - (s - sv) + (c - sv);
  const v = se + pe;
  const vv = v - se;
  const ve = se - (v - vv) + (pe - vv);
  const z = s + v;
  if (ve === 0) return z;
  // d = twice the error of z = s + v (Fast2Sum: |v| <= |s| here); a midpoint iff z + d is a double.
  const d = 2 * (v - (z - s));
  if (d === 0 || z + d - z !== d) return z;
  return ve > 0 === d > 0 ? z + d : z;
}

/**
 * Fused multiply-add a * b + c rounded once (to nearest even), like C's fma(), for finite
 * arguments within the range of prodErr. Exact in every case; for sites where c may be small
 * next to a * b (where fma's single rounding usually matters).
 */
export function fmaExact(a: number, b: number, c: number): number {
  const p = a * b;
  return roundSum(p, prodErr(a, b, p), c);
}

/**
 * Split a constant b into bh + bl with bh's low 11 significand bits cleared, so that k * bh and
 * k * bl are exact for any integer |k| < 2^11: then k * b = k * bh + k * bl exactly, and
 * fma(k, b, c) = roundSum(k * bh, k * bl, c) without Dekker's product.
 */
function splitForSmallInt(b: number): [number, number] {
  F64[0] = b;
  U32[LO] = U32[LO]! & ~0x7ff;
  const bh = F64[0]!;
  return [bh, b - bh];
}

/**
 * Fused multiply-add, same result as fmaExact, with a fast path for the common case in
 * polynomial evaluation where |c| is well above |a * b|: s = RN(a * b + c) computed plainly is
 * the answer when |se| + |pe| is below half an ulp of s (se the exact error of s, |pe| <=
 * |p| 2^-53 that of the product; half an ulp from Rump's ufp(s) = |q - (1 - 2^-53) q|, q = (2^52
 * + 1) s) and s is not a power of two. The check is off the dependency chain of s and a
 * predicted branch, so the fast path costs about a multiply and an add.
 */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const sv = s - p;
  const se = p - (s - sv) + (c - sv);
  const q = s * PHI;
  const ufp = Math.abs(q - q * ONE_MINUS_U);
  if (Math.abs(se) + Math.abs(p) * U < ufp * U && Math.abs(s) !== ufp) return s;
  return roundSum(p, prodErr(a, b, p), c);
}

// ---------------------------------------------------------------------------------------------
// How glibc's fused multiply-adds are evaluated below.
//
// Sites where |c| is well above |a * b| (polynomial steps) use fma()'s fast path written out in
// place, as the two lines
//   p = a * b; s = p + c; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
//   x = Math.abs(p - (s - v) + (c - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(a, b, c);
// (see fma() for why that is exact). They are spelled out rather than calls to fma() because V8
// inlines only four or five calls of that size into one function, and a call that is not
// inlined boxes its doubles, which made these functions three times slower. Sites where c may
// be small next to a * b, whose rounding then nearly always matters, call fmaExact or use an
// exact formula for that site.

// ---------------------------------------------------------------------------------------------
// exp (e_exp.c, __exp_fma) and the exp_inline of pow (e_pow.c, __pow_fma)

const N_EXP = 128;
/** T[k] of the table (the tail), as doubles. */
const EXP_TAIL = new Float64Array(N_EXP);
/** H[k] = asdouble(tab[2k+1] + (k << 52)/N), in [1, 2): scale = H[k] * 2^(ki >> 7). */
const EXP_H = new Float64Array(N_EXP);
{
  const w = new Uint32Array(EXP_TAB.buffer);
  for (let k = 0; k < N_EXP; k++) {
    EXP_TAIL[k] = EXP_TAB[2 * k]!;
    EXP_H[k] = fromWords((w[(2 * k + 1) * 2 + HI]! + (k << 13)) >>> 0, w[(2 * k + 1) * 2 + LO]!);
  }
}
/** POW2[e + 1074] = 2^e for e in [-1074, 1023]: exact scalings without building doubles from bits. */
const POW2 = new Float64Array(2098);
for (let e = -1074; e <= 1023; e++) {
  const b = e + 1074; // bit position below the normal range
  POW2[e + 1074] = e >= -1022 ? fromWords((e + 1023) << 20, 0) : b >= 32 ? fromWords(1 << (b - 32), 0) : fromWords(0, (1 << b) >>> 0);
}
const TWO_P1009 = POW2[1009 + 1074]!;
const TWO_M1022 = POW2[-1022 + 1074]!;

/**
 * exp(x + xtail), negated if neg, for 512 <= |x| < 1024, where the result may overflow or be
 * subnormal (glibc's specialcase). With pow = false it is exp's version (xtail = 0), else
 * exp_inline's. Rare, so it uses the generic fma().
 */
function expLarge(x: number, xtail: number, neg: boolean, pow: boolean): number {
  const kd = fma(x, EXP_INV_LN2N, EXP_SHIFT) - EXP_SHIFT;
  const k = kd | 0;
  // |k| may reach 2^17.5 here, so kd * NegLn2hiN is not exact and only the fused form is right.
  let r = fma(kd, EXP_NEG_LN2_LO_N, fma(kd, EXP_NEG_LN2_HI_N, x));
  if (pow) r = xtail + r;
  const j = k & 127;
  const r2 = r * r;
  const tmp = fma(r2 * r2, fma(r, EXP_C5, EXP_C4), fma(fma(r, EXP_C3, EXP_C2), r2, r + EXP_TAIL[j]!));
  const m = k >> 7;
  const h = neg ? -EXP_H[j]! : EXP_H[j]!;
  if (k >= 0) {
    // k > 0: the exponent of scale might have overflowed; scale it down by 2^1009 first.
    const scale = h * POW2[m - 1009 + 1074]!;
    return fma(scale, tmp, scale) * TWO_P1009;
  }
  // k < 0: round to the final precision before scaling into the subnormal range. glibc does not
  // fuse scale + scale * tmp here (scale * tmp is reused).
  const scale = h * POW2[m + 1022 + 1074]!;
  const st = scale * tmp;
  let y = scale + st;
  if (Math.abs(y) < 1.0) {
    const one = y < 0.0 ? -1.0 : 1.0;
    let lo = scale - y + st;
    const hi = one + y;
    lo = one - hi + y + lo;
    y = hi + lo - one;
    if (y === 0) y = neg ? -0 : 0;
  }
  return TWO_M1022 * y;
}

/** glibc's exp(x), bit for bit (see the file comment). */
export function exp(x: number): number {
  F64[0] = x;
  const hx = U32[HI]!;
  const abstop = (hx >>> 20) & 0x7ff;
  if (abstop - 0x3c9 >>> 0 >= 0x3f) {
    if (abstop < 0x3c9) return 1.0 + x; // |x| < 2^-54 (and 0)
    if (abstop >= 0x409) {
      // |x| >= 1024, inf or nan
      if (x === -Infinity) return 0.0;
      if (abstop >= 0x7ff) return 1.0 + x;
      return hx >>> 31 ? 0.0 : Infinity;
    }
    return expLarge(x, 0, false, false); // 512 <= |x| < 1024
  }
  let p: number, s: number, v: number, q: number, u: number;
  // exp(x) = 2^(k/N) * exp(r), x = ln2/N*k + r with |r| <= ln2/2N.
  // kd = fma(x, InvLn2N, Shift) - Shift rounds x * N/ln2 to an integer; the plain sum is that
  // fma unless the product's rounding error could cross a half-integer.
  p = x * EXP_INV_LN2N;
  let kd = p + EXP_SHIFT - EXP_SHIFT;
  if (Math.abs(p - kd) + Math.abs(p) * U >= 0.5) kd = fmaExact(x, EXP_INV_LN2N, EXP_SHIFT) - EXP_SHIFT;
  const k = kd | 0;
  const r0 = x + kd * EXP_NEG_LN2_HI_N; // fused in glibc, but exact for |k| < 2^17 (|x| < 709)
  p = kd * EXP_NEG_LN2_LO_N; s = p + r0; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const r = Math.abs(p - (s - v) + (r0 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(kd, EXP_NEG_LN2_LO_N, r0);
  const j = k & 127;
  const r2 = r * r;
  p = r * EXP_C3; s = p + EXP_C2; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const a23 = Math.abs(p - (s - v) + (EXP_C2 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(r, EXP_C3, EXP_C2);
  p = r * EXP_C5; s = p + EXP_C4; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const a45 = Math.abs(p - (s - v) + (EXP_C4 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(r, EXP_C5, EXP_C4);
  const rt = r + EXP_TAIL[j]!;
  p = a23 * r2; s = p + rt; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const t = Math.abs(p - (s - v) + (rt - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(a23, r2, rt);
  const r4 = r2 * r2;
  p = r4 * a45; s = p + t; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const tmp = Math.abs(p - (s - v) + (t - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(r4, a45, t);
  // scale = H[j] * 2^(k >> 7) is normal here; fma(scale, tmp, scale) = 2^(k >> 7) * fma(H, tmp, H).
  const h = EXP_H[j]!;
  p = h * tmp; s = p + h; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const y = Math.abs(p - (s - v) + (h - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(h, tmp, h);
  return y * POW2[(k >> 7) + 1074]!;
}

// ---------------------------------------------------------------------------------------------
// log (e_log.c, __log_fma)

const LOG_A0 = LOG_POLY[0]!, LOG_A1 = LOG_POLY[1]!, LOG_A2 = LOG_POLY[2]!, LOG_A3 = LOG_POLY[3]!;
const LOG_A4 = LOG_POLY[4]!;
if (LOG_A0 !== -0.5 - U) throw new Error('glibc-math: unexpected log poly[0]');
const B0 = LOG_POLY1[0]!, B1 = LOG_POLY1[1]!, B2 = LOG_POLY1[2]!, B3 = LOG_POLY1[3]!, B4 = LOG_POLY1[4]!;
const B5 = LOG_POLY1[5]!, B6 = LOG_POLY1[6]!, B7 = LOG_POLY1[7]!, B8 = LOG_POLY1[8]!, B9 = LOG_POLY1[9]!;
const B10 = LOG_POLY1[10]!;
const TWO_P27 = 134217728;
const TWO_P52 = 4503599627370496;
const [LOG_LN2_LO_H, LOG_LN2_LO_L] = splitForSmallInt(LOG_LN2_LO);

/** glibc's log(x), bit for bit (see the file comment). */
export function log(x: number): number {
  F64[0] = x;
  let hx = U32[HI]!;
  let p: number, s: number, v: number, q: number, u: number;
  if (hx - 0x3fee0000 >>> 0 < 0x3ff10900 - 0x3fee0000) {
    // 1 - 2^-4 <= x < 1 + 0x1.09p-4: a polynomial in r = x - 1 directly.
    if (x === 1.0) return 0;
    const r = x - 1.0;
    const r2 = r * r;
    const r3 = r * r2;
    p = r * B2; s = p + B1; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
    const b12 = Math.abs(p - (s - v) + (B1 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(r, B2, B1);
    p = r2 * B3; s = p + b12; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
    const b13 = Math.abs(p - (s - v) + (b12 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(r2, B3, b12);
    p = r * B5; s = p + B4; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
    const b45 = Math.abs(p - (s - v) + (B4 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(r, B5, B4);
    p = r2 * B6; s = p + b45; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
    const b46 = Math.abs(p - (s - v) + (b45 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(r2, B6, b45);
    p = r * B8; s = p + B7; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
    const b78 = Math.abs(p - (s - v) + (B7 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(r, B8, B7);
    p = r2 * B9; s = p + b78; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
    const b79 = Math.abs(p - (s - v) + (b78 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(r2, B9, b78);
    p = r3 * B10; s = p + b79; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
    const b710 = Math.abs(p - (s - v) + (b79 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(r3, B10, b79);
    p = b710 * r3; s = p + b46; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
    const c1 = Math.abs(p - (s - v) + (b46 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(b710, r3, b46);
    p = c1 * r3; s = p + b13; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
    const poly = Math.abs(p - (s - v) + (b13 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(c1, r3, b13);
    const w = r * TWO_P27;
    const rhi = r + w - w; // glibc's fmas here have exact products (r * 2^27)
    const rlo = r - rhi;
    const ww = rhi * rhi * B0; // exact: B0 = -0.5 and rhi has 26 bits
    const hi = r + ww;
    let lo = r - hi + ww;
    lo = fmaExact(B0 * rlo, rhi + r, lo);
    return fmaExact(poly, r3, lo) + hi;
  }
  let xn = x;
  let kadj = 0;
  const top = hx >>> 16;
  if (top - 0x0010 >>> 0 >= 0x7ff0 - 0x0010) {
    // x < 2^-1022, inf or nan
    if (x === 0) return -Infinity;
    if (x === Infinity) return x;
    if (top & 0x8000 || (top & 0x7ff0) === 0x7ff0) return NaN;
    // subnormal: normalize. glibc subtracts 52 from the exponent bits of x * 2^52, which leaves
    // i unchanged and lowers k by 52; z is the same.
    xn = x * TWO_P52;
    F64[0] = xn;
    hx = U32[HI]!;
    kadj = -52;
  }
  // x = 2^k z with z in [OFF, 2*OFF), OFF = 0x3fe6000000000000: glibc builds z by replacing the
  // exponent bits (iz = ix - (tmp & 0xfff << 52)); scaling by 2^-k is the same, exactly.
  const tmp = (hx - 0x3fe60000) | 0;
  const i = (tmp >>> 13) & 127;
  const k = tmp >> 20;
  const z = xn * POW2[1074 - k]!;
  const invc = LOG_TAB[2 * i]!;
  const logc = LOG_TAB[2 * i + 1]!;
  // r = fma(z, invc, -1.0): z * invc is in [0.5, 2], so z * invc - 1 is exact in the fma and
  // r = RN(pz - 1 + pe) = (pz - 1) + pe with pz = RN(z * invc) and pe its exact error.
  const pz = z * invc;
  const r = pz - 1.0 + prodErr(z, invc, pz);
  const kd = k + kadj;
  const w = kd * LOG_LN2_HI + logc; // fused in glibc, but kd * Ln2hi is exact
  const hi = w + r;
  const lo = roundSum(kd * LOG_LN2_LO_H, kd * LOG_LN2_LO_L, w - hi + r); // fma(kd, Ln2lo, w - hi + r)
  const r2 = r * r;
  p = r * LOG_A2; s = p + LOG_A1; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const a12 = Math.abs(p - (s - v) + (LOG_A1 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(r, LOG_A2, LOG_A1);
  p = r * LOG_A4; s = p + LOG_A3; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const a34 = Math.abs(p - (s - v) + (LOG_A3 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(r, LOG_A4, LOG_A3);
  p = a34 * r2; s = p + a12; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const qq = Math.abs(p - (s - v) + (a12 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(a34, r2, a12);
  // fma(r2, A0, lo): A0 = -0.5 * (1 + 2^-52), so r2 * A0 = -0.5 * r2 - 2^-53 * r2 exactly.
  const lo2 = roundSum(-0.5 * r2, -U * r2, lo);
  const r3 = r * r2;
  p = r3 * qq; s = p + lo2; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const y = Math.abs(p - (s - v) + (lo2 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(r3, qq, lo2);
  return y + hi;
}

// ---------------------------------------------------------------------------------------------
// pow (e_pow.c, __pow_fma)

const POW_A0 = POW_POLY[0]!, POW_A1 = POW_POLY[1]!, POW_A2 = POW_POLY[2]!, POW_A3 = POW_POLY[3]!;
const POW_A4 = POW_POLY[4]!, POW_A5 = POW_POLY[5]!, POW_A6 = POW_POLY[6]!;
const [POW_LN2_LO_H, POW_LN2_LO_L] = splitForSmallInt(POW_LN2_LO);

/** For finite nonzero y: 0 if not an integer, 1 if an odd integer, 2 if even. */
function checkint(y: number): number {
  if (!Number.isInteger(y)) return 0;
  if (Math.abs(y) >= 9007199254740992) return 2;
  return y % 2 !== 0 ? 1 : 2;
}

/** glibc's pow(x, y), bit for bit (see the file comment). */
export function pow(x: number, y: number): number {
  F64[0] = x;
  let hx = U32[HI]!;
  let xn = x; // |x|, normalized if subnormal, as a double (glibc keeps its bits in ix)
  let kadj = 0;
  F64[0] = y;
  const topy = U32[HI]! >>> 20;
  let topx = hx >>> 20;
  let neg = false;
  if (topx - 1 >>> 0 >= 0x7fe || (topy & 0x7ff) - 0x3be >>> 0 >= 0x80) {
    // x < 2^-1022 (subnormal, zero, negative), inf or nan; or |y| < 2^-65, |y| >= 2^63, nan.
    if (y === 0 || !Number.isFinite(y)) {
      if (y === 0) return 1.0;
      if (x === 1.0) return 1.0;
      if (x !== x || y !== y) return x + y;
      const ax = Math.abs(x);
      if (ax === 1.0) return 1.0;
      if (ax < 1.0 === y > 0) return 0.0; // |x| < 1 and y = inf, or |x| > 1 and y = -inf
      return y * y;
    }
    if (x === 0 || !Number.isFinite(x)) {
      let x2 = x * x;
      let odd = false;
      if (hx >>> 31 && checkint(y) === 1) {
        x2 = -x2;
        odd = true;
      }
      if (x === 0 && y < 0) return odd ? -Infinity : Infinity;
      return y < 0 ? 1 / x2 : x2;
    }
    // x and y are finite and nonzero.
    if (hx >>> 31) {
      const yint = checkint(y);
      if (yint === 0) return NaN;
      if (yint === 1) neg = true;
      hx &= 0x7fffffff;
      topx &= 0x7ff;
      xn = -x;
    }
    if ((topy & 0x7ff) - 0x3be >>> 0 >= 0x80) {
      // Here y is not odd, so neg is false.
      const ax = Math.abs(x);
      if (ax === 1.0) return 1.0;
      if ((topy & 0x7ff) < 0x3be) return ax > 1.0 ? 1.0 + y : 1.0 - y; // |y| < 2^-65
      return ax > 1.0 === topy < 0x800 ? Infinity : 0.0;
    }
    if (topx === 0) {
      // Normalize subnormal x so the exponent becomes negative (k lowered by 52, as in log).
      xn *= TWO_P52;
      F64[0] = xn;
      hx = U32[HI]!;
      kadj = -52;
    }
  }
  let p: number, s: number, v: number, q: number, u: number;

  // log_inline: log(x) = k*Ln2 + log(c) + log1p(z/c - 1) as hi + lo with ~15 extra bits.
  const tmp = (hx - 0x3fe69555) | 0; // OFF = 0x3fe6955500000000
  const i = (tmp >>> 13) & 127;
  const k = tmp >> 20;
  const z = xn * POW2[1074 - k]!; // glibc: iz = ix - (tmp & 0xfff << 52)
  const kd = k + kadj;
  const invc = POW_TAB[3 * i]!;
  const logc = POW_TAB[3 * i + 1]!;
  const logctail = POW_TAB[3 * i + 2]!;
  // r = fma(z, invc, -1.0) is exact (invc has 8 significant bits and |r| < 1/N): split z in two
  // halves whose products with invc are exact, as glibc's non-fma path does.
  const zs = SPLIT * z;
  const zh = zs - (zs - z);
  const r = zh * invc - 1.0 + (z - zh) * invc;
  const t1 = kd * POW_LN2_HI + logc; // fused in glibc, but kd * Ln2hi is exact
  const t2 = t1 + r;
  const lo1 = roundSum(kd * POW_LN2_LO_H, kd * POW_LN2_LO_L, logctail); // fma(kd, Ln2lo, logctail)
  const lo2 = t1 - t2 + r;
  const ar = POW_A0 * r; // A[0] = -0.5
  const ar2 = r * ar;
  const ar3 = r * ar2;
  const lo3 = prodErr(ar, r, ar2); // fma(ar, r, -ar2)
  const hi = t2 + ar2;
  const lo4 = t2 - hi + ar2;
  p = r * POW_A2; s = p + POW_A1; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const a12 = Math.abs(p - (s - v) + (POW_A1 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(r, POW_A2, POW_A1);
  p = r * POW_A4; s = p + POW_A3; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const a34 = Math.abs(p - (s - v) + (POW_A3 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(r, POW_A4, POW_A3);
  p = r * POW_A6; s = p + POW_A5; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const a56 = Math.abs(p - (s - v) + (POW_A5 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(r, POW_A6, POW_A5);
  p = a56 * ar2; s = p + a34; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const a36 = Math.abs(p - (s - v) + (a34 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(a56, ar2, a34);
  p = ar2 * a36; s = p + a12; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const a16 = Math.abs(p - (s - v) + (a12 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(ar2, a36, a12);
  const lo = fmaExact(ar3, a16, lo1 + lo2 + lo3 + lo4);
  const lhi = hi + lo;
  const llo = hi - lhi + lo;

  // y * log(x) as ehi + elo.
  const ehi = y * lhi;
  const elo = fmaExact(y, llo, prodErr(y, lhi, ehi)); // y * lo + fma(y, hi, -ehi)

  // exp_inline(ehi, elo, sign): as exp() above, plus elo and the sign.
  F64[0] = ehi;
  const he = U32[HI]!;
  const abstop = (he >>> 20) & 0x7ff;
  if (abstop - 0x3c9 >>> 0 >= 0x3f) {
    if (abstop < 0x3c9) return neg ? -(1.0 + ehi) : 1.0 + ehi;
    if (abstop >= 0x409) {
      if (he >>> 31) return neg ? -0 : 0;
      return neg ? -Infinity : Infinity;
    }
    return expLarge(ehi, elo, neg, true);
  }
  p = ehi * EXP_INV_LN2N;
  let ed = p + EXP_SHIFT - EXP_SHIFT;
  if (Math.abs(p - ed) + Math.abs(p) * U >= 0.5) ed = fmaExact(ehi, EXP_INV_LN2N, EXP_SHIFT) - EXP_SHIFT;
  const ek = ed | 0;
  const er0 = ehi + ed * EXP_NEG_LN2_HI_N;
  p = ed * EXP_NEG_LN2_LO_N; s = p + er0; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const er1 = Math.abs(p - (s - v) + (er0 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(ed, EXP_NEG_LN2_LO_N, er0);
  const er = elo + er1;
  const j = ek & 127;
  const er2 = er * er;
  p = er * EXP_C3; s = p + EXP_C2; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const e23 = Math.abs(p - (s - v) + (EXP_C2 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(er, EXP_C3, EXP_C2);
  p = er * EXP_C5; s = p + EXP_C4; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const e45 = Math.abs(p - (s - v) + (EXP_C4 - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(er, EXP_C5, EXP_C4);
  const ert = er + EXP_TAIL[j]!;
  p = e23 * er2; s = p + ert; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const et = Math.abs(p - (s - v) + (ert - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(e23, er2, ert);
  const er4 = er2 * er2;
  p = er4 * e45; s = p + et; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const etmp = Math.abs(p - (s - v) + (et - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(er4, e45, et);
  const h = EXP_H[j]!;
  p = h * etmp; s = p + h; v = s - p; q = s * PHI; u = Math.abs(q - q * ONE_MINUS_U);
  const res = Math.abs(p - (s - v) + (h - v)) + Math.abs(p) * U < u * U && Math.abs(s) !== u ? s : fmaExact(h, etmp, h);
  const out = res * POW2[(ek >> 7) + 1074]!;
  return neg ? -out : out;
}
