/**
 * Exact sums of doubles (and of their squares), mergeable in any grouping, rounded once.
 *
 * Why: a float sum computed in a different order (another partitioning, another number of
 * workers) differs in the last bits. Summing exactly and rounding once gives the same answer to
 * the bit for every order.
 *
 * How: a superaccumulator of "limbs". Limb k holds an integer count (a double, exact below
 * 2^53) of units of 2^(32·(k − bias)). A double v with a known bit position `low` (v is a
 * multiple of 2^low and |v| < 2^(low+53)) is split exactly, with the add-and-subtract rounding
 * trick (no branches, no integer extraction), into three pieces on the 32-bit limb grid; each
 * piece adds at most 2^31 units to its limb. After at most NORMALIZE_EVERY values the limbs
 * are carried (normalizeLimbs) so they stay exact. Merging adds limbs; the value is exact, so
 * the rounded result does not depend on how values were split or ordered.
 *
 * Squares: x = h + l (Veltkamp split, 26 + 26 bits), x² = h² + 2hl + l², each term exact, each
 * added with its own known bit position. Values too large or too small for the tables' range
 * (|x| outside [2^-895, 2^897) for sums, [2^-440, 2^440) for squares) are scaled by 2^∓640 first,
 * which is exact, and added 20 limbs (40 for squares) away.
 *
 * Rounding: limbsToDouble rounds to nearest-even from the top three limbs plus a sticky bit (no
 * BigInt); ratios (mean, variance) are rounded once with BigInt (roundRatio).
 */

export const LIMB_BITS = 32;
const TWO32 = 4294967296;
const INV_TWO32 = 1 / TWO32;

/** Limbs of a sum of doubles: limb k ↔ 2^(32·(k − 36)), covering [2^-1152, 2^1152). */
export const SUM_LIMBS = 72;
export const SUM_BIAS = 36;
/** Limbs of a sum of squares: limb k ↔ 2^(32·(k − 71)), covering [2^-2272, 2^2208). */
export const SQ_LIMBS = 140;
export const SQ_BIAS = 71;

/**
 * Values one limb array may take between two normalizations. A value adds at most 2^31 units to
 * a limb for a sum and 3·2^31 for a square (its three terms may share a limb); a normalized
 * limb is below 2^32. 2^19 values keep every limb below 2^52.
 */
export const NORMALIZE_EVERY = 1 << 19;

const POW2_MIN = -1074;
const POW2 = new Float64Array(1023 - POW2_MIN + 1);
{
  // Built by exact doubling and halving (Math.pow need not be exact).
  let p = 1;
  for (let e = 0; e <= 1023; e++, p *= 2) POW2[e - POW2_MIN] = p;
  p = 1;
  for (let e = 0; e >= POW2_MIN; e--, p /= 2) POW2[e - POW2_MIN] = p;
}

/** 2^e exactly, for e in [-1074, 1023]. */
export function pow2(e: number): number {
  return POW2[e - POW2_MIN]!;
}

/** Per limb position j (bit 32·j), j in [-TABLE_HALF, TABLE_HALF): 1.5·2^(52+32j) and 2^(-32j). */
const TABLE_HALF = 40;
const SIGMA = new Float64Array(2 * TABLE_HALF);
const INV = new Float64Array(2 * TABLE_HALF);
for (let j = -TABLE_HALF; j < TABLE_HALF; j++) {
  const b = 32 * j;
  SIGMA[j + TABLE_HALF] = 52 + b <= 1023 && 52 + b >= -1022 ? 1.5 * pow2(52 + b) : Number.NaN;
  INV[j + TABLE_HALF] = -b <= 1023 && -b >= -1022 ? pow2(-b) : Number.NaN;
}

/** Biased exponents (0..2047) whose values take the table path for sums and for squares. */
export const SUM_EXP_MIN = 1023 - 895;
export const SUM_EXP_MAX = 1023 + 896;
export const SQ_EXP_MIN = 1023 - 440;
export const SQ_EXP_MAX = 1023 + 439;
/** The exact scaling for values outside those ranges, and the limb shift it implies. */
const SCALE_BITS = 640;
export const SCALE_UP = pow2(SCALE_BITS - 1) * 2;
export const SCALE_DOWN = pow2(-SCALE_BITS);
export const SCALE_LIMBS = SCALE_BITS / LIMB_BITS;

/** Veltkamp's splitter for 53-bit doubles: 2^27 + 1. */
export const SPLITTER = 134217729;

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Index of the high 32-bit word of a double in a Uint32Array view. */
export const HI_WORD = LITTLE_ENDIAN ? 1 : 0;

/** The biased exponent field (0..2047) of a double. */
export function biasedExponent(v: number): number {
  scratch[0] = v;
  return (scratchWords[HI_WORD]! >>> 20) & 0x7ff;
}

/**
 * Adds v exactly, given that v is a multiple of 2^low and |v| < 2^(low+53); `base` is the limb
 * index of bit 0 (the bias, plus any scaling shift). The caller keeps low's limb inside the
 * tables (SIGMA/INV) and normalizes in time.
 */
export function addAligned(limbs: Float64Array, v: number, low: number, base: number): void {
  const j = (low >> 5) + TABLE_HALF;
  const s2 = SIGMA[j + 2]!;
  const p2 = v + s2 - s2;
  const r = v - p2;
  const s1 = SIGMA[j + 1]!;
  const p1 = r + s1 - s1;
  const p0 = r - p1;
  const k = (low >> 5) + base;
  limbs[k] = limbs[k]! + p0 * INV[j]!;
  limbs[k + 1] = limbs[k + 1]! + p1 * INV[j + 1]!;
  limbs[k + 2] = limbs[k + 2]! + p2 * INV[j + 2]!;
}

/**
 * Adds a finite nonzero double whose biased exponent is `e` (from its bits) to limbs whose bit 0
 * is limb `bias`. Zeros need no add; NaN and infinities are the caller's (they have e = 2047).
 */
export function addFinite(limbs: Float64Array, v: number, e: number, bias = SUM_BIAS): void {
  if (e >= SUM_EXP_MIN && e <= SUM_EXP_MAX) {
    addAligned(limbs, v, e - 1075, bias);
  } else if (e < SUM_EXP_MIN) {
    const w = v * SCALE_UP;
    addAligned(limbs, w, biasedExponent(w) - 1075, bias - SCALE_LIMBS);
  } else {
    const w = v * SCALE_DOWN;
    addAligned(limbs, w, biasedExponent(w) - 1075, bias + SCALE_LIMBS);
  }
}

/** Adds x² exactly for a finite nonzero x of biased exponent e. */
export function addSquare(sq: Float64Array, x: number, e: number): void {
  let base = SQ_BIAS;
  if (e < SQ_EXP_MIN) {
    x *= SCALE_UP;
    e = biasedExponent(x);
    base -= 2 * SCALE_LIMBS;
  } else if (e > SQ_EXP_MAX) {
    x *= SCALE_DOWN;
    e = biasedExponent(x);
    base += 2 * SCALE_LIMBS;
  }
  // x in [2^t, 2^(t+1)); h has 26 bits (a multiple of 2^(t-25)), l = x - h has ≤ 26 bits.
  const t = e - 1023;
  const c = SPLITTER * x;
  const h = c - (c - x);
  const l = x - h;
  addAligned(sq, h * h, 2 * t - 50, base);
  addAligned(sq, 2 * h * l, 2 * t - 76, base);
  addAligned(sq, l * l, 2 * t - 104, base);
}

/**
 * Adds an integer given as hi·2^32 + lo (lo unsigned 32-bit, hi signed 32-bit: an int64's two
 * words), and optionally its square, exactly.
 */
export function addInt64Words(limbs: Float64Array, sq: Float64Array | null, hi: number, lo: number): void {
  if (hi !== 0) addAligned(limbs, hi * TWO32, 32, SUM_BIAS);
  if (lo !== 0) addAligned(limbs, lo, 0, SUM_BIAS);
  if (sq === null) return;
  // v = a·2^42 + b·2^21 + c with a signed (22 bits), b and c in [0, 2^21): six exact products.
  const b = ((hi & 0x3ff) * 2048 + (lo >>> 21)) % 2097152;
  const c = lo & 0x1fffff;
  const a = (hi - (hi & 0x3ff)) / 1024;
  const terms: [number, number][] = [
    [a * a, 84], [2 * a * b, 63], [2 * a * c, 42], [b * b, 42], [2 * b * c, 21], [c * c, 0],
  ];
  for (const [v, low] of terms) if (v !== 0) addAligned(sq, v * pow2(low), low, SQ_BIAS);
}

/**
 * Carries every limb but the top into [0, 2^32), so each again has room for NORMALIZE_EVERY
 * values. The value is unchanged; the top limb keeps the sign.
 */
export function normalizeLimbs(limbs: Float64Array, from = 0, to = limbs.length): void {
  for (let k = from; k < to - 1; k++) {
    const v = limbs[k]!;
    if (v >= 0 && v < TWO32) continue;
    const q = Math.floor(v * INV_TWO32);
    limbs[k] = v - q * TWO32;
    limbs[k + 1] = limbs[k + 1]! + q;
  }
}

/** into += from, limb by limb; both normalized first so the sums stay exact. */
export function addLimbs(into: Float64Array, from: Float64Array, intoOffset = 0, fromOffset = 0, length = from.length - fromOffset): void {
  for (let k = 0; k < length; k++) into[intoOffset + k] = into[intoOffset + k]! + from[fromOffset + k]!;
}

/** Counts of the values an exact sum cannot hold: they decide the result's NaN or infinity. */
export interface SpecialCounts {
  nan: number;
  posInf: number;
  negInf: number;
}

/** The value of an exact sum with these special values in it, or null when it has none. */
export function specialSum(s: SpecialCounts): number | null {
  if (s.nan > 0 || (s.posInf > 0 && s.negInf > 0)) return Number.NaN;
  if (s.posInf > 0) return Infinity;
  if (s.negInf > 0) return -Infinity;
  return null;
}

/** The exact value of limbs[offset .. offset+length) as N·2^exp, N a BigInt (0n when zero). */
export function limbsToBigInt(limbs: Float64Array, bias: number, offset = 0, length = limbs.length - offset): { n: bigint; exp: number } {
  let lo = 0;
  while (lo < length && limbs[offset + lo] === 0) lo++;
  if (lo === length) return { n: 0n, exp: 0 };
  let hi = length - 1;
  while (limbs[offset + hi] === 0) hi--;
  let n = 0n;
  for (let k = hi; k >= lo; k--) n = (n << 32n) + BigInt(limbs[offset + k]!);
  return { n, exp: LIMB_BITS * (lo - bias) };
}

const workLimbs = new Float64Array(SQ_LIMBS);

/**
 * The exact value of the limbs rounded to the nearest double (ties to even): ±Infinity only
 * when the exact value overflows. Rounds from the top three limbs and a sticky bit; values that
 * round to subnormals go through BigInt.
 */
export function limbsToDouble(limbs: Float64Array, bias: number, offset = 0, length = limbs.length - offset): number {
  const a = length <= workLimbs.length ? workLimbs : new Float64Array(length);
  for (let k = 0; k < length; k++) a[k] = limbs[offset + k]!;
  normalizeLimbs(a, 0, length);
  let sign = 1;
  if (a[length - 1]! < 0) {
    // Negate: -Σ a[k]·2^(32k), then carry again so every limb but the top is in [0, 2^32).
    sign = -1;
    for (let k = 0; k < length; k++) a[k] = -a[k]!;
    normalizeLimbs(a, 0, length);
  }
  let top = length - 1;
  while (top >= 0 && a[top] === 0) top--;
  if (top < 0) return 0;
  if (top === length - 1 && a[top]! >= TWO32) return sign * Infinity;
  if (top < 2) return roundTiny(a, bias, length, sign);
  const hiLimb = a[top]!;
  const mid = a[top - 1]!;
  const low = a[top - 2]!;
  let sticky = false;
  for (let k = top - 3; k >= 0 && !sticky; k--) sticky = a[k] !== 0;
  // M = hiLimb·2^64 + mid·2^32 + low; keep its top 53 bits (K), drop D bits (remainder R).
  const nb = 32 - Math.clz32(hiLimb);
  const drop = nb + 11;
  let kept: number;
  let rest: number;
  if (drop >= 32) {
    const e = drop - 32;
    kept = hiLimb * pow2(32 - e) + (mid >>> e);
    rest = (mid - (mid >>> e) * pow2(e)) * TWO32 + low;
  } else {
    kept = hiLimb * pow2(64 - drop) + mid * pow2(32 - drop) + (low >>> drop);
    rest = low - (low >>> drop) * pow2(drop);
  }
  const half = pow2(drop - 1);
  if (rest > half || (rest === half && (sticky || kept % 2 === 1))) kept += 1;
  const ulpExp = LIMB_BITS * (top - 2 - bias) + drop;
  if (ulpExp < POW2_MIN) return roundTiny(a, bias, length, sign);
  if (ulpExp > 971) return sign * Infinity;
  return sign * kept * pow2(ulpExp);
}

function roundTiny(a: Float64Array, bias: number, length: number, sign: number): number {
  const { n, exp } = limbsToBigInt(a, bias, 0, length);
  return sign * roundScaled(n, exp);
}

/** Number of bits of |n| (0 for 0). */
export function bitLength(n: bigint): number {
  if (n < 0n) n = -n;
  if (n === 0n) return 0;
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

/**
 * n·2^exp rounded to the nearest double, ties to even; `sticky` says the exact value is a bit
 * above n·2^exp (a nonzero remainder below n's last bit). Overflow gives ±Infinity.
 */
export function roundScaled(n: bigint, exp: number, sticky = false): number {
  if (n === 0n) return 0;
  const neg = n < 0n;
  const m = neg ? -n : n;
  const topBit = bitLength(m) - 1 + exp;
  const ulpExp = Math.max(topBit - 52, POW2_MIN);
  const shift = ulpExp - exp;
  let kept: bigint;
  if (shift <= 0) {
    kept = m << BigInt(-shift);
  } else {
    kept = m >> BigInt(shift);
    const rest = m - (kept << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    if (rest > half || (rest === half && (sticky || (kept & 1n) === 1n))) kept += 1n;
  }
  if (ulpExp > 971) return neg ? -Infinity : Infinity;
  const v = Number(kept) * pow2(ulpExp);
  return neg ? -v : v;
}

/** (num / den)·2^exp rounded once to the nearest double (den > 0). */
export function roundRatio(num: bigint, den: bigint, exp: number): number {
  if (num === 0n) return 0;
  const neg = num < 0n;
  const a = neg ? -num : num;
  // Enough quotient bits (≥ 56) that the remainder only acts as a sticky bit below them.
  const shift = Math.max(0, 56 + bitLength(den) - bitLength(a));
  const scaled = a << BigInt(shift);
  const q = scaled / den;
  const r = scaled - q * den;
  const v = roundScaled((q << 1n) | (r === 0n ? 0n : 1n), exp - shift - 1);
  return neg ? -v : v;
}

/** An exact value as N·2^exp. */
export interface Scaled {
  n: bigint;
  exp: number;
}

/**
 * The variance Σ(x − mean)² / (n − ddof) = (n·Σx² − (Σx)²) / (n·(n − ddof)), computed exactly
 * from exact sums and rounded once (NaN when n ≤ ddof).
 */
export function exactVariance(count: number, sum: Scaled, sumSquares: Scaled, ddof: number): number {
  if (count - ddof <= 0) return Number.NaN;
  // n·S2 − S1², with S1 = A·2^a and S2 = B·2^b, over the common exponent m.
  const n = BigInt(count);
  const twoA = 2 * sum.exp;
  const m = Math.min(sumSquares.exp, twoA);
  const num = ((n * sumSquares.n) << BigInt(sumSquares.exp - m)) - ((sum.n * sum.n) << BigInt(twoA - m));
  if (num <= 0n) return 0;
  return roundRatio(num, n * BigInt(count - ddof), m);
}

/** (Σx)/n rounded once, from an exact sum. */
export function exactMean(count: number, sum: Scaled): number {
  return roundRatio(sum.n, BigInt(count), sum.exp);
}

/**
 * One exact sum (and optionally sum of squares) as plain data: typed arrays and numbers, so it
 * survives structured clone and transfer between workers.
 */
export interface ExactSumState extends SpecialCounts {
  limbs: Float64Array;
  /** Limbs of Σx², or null when squares are not kept. */
  sqLimbs: Float64Array | null;
  /** Values added since the limbs were last normalized. */
  pending: number;
}

export function newExactSum(squares: boolean): ExactSumState {
  return { limbs: new Float64Array(SUM_LIMBS), sqLimbs: squares ? new Float64Array(SQ_LIMBS) : null, nan: 0, posInf: 0, negInf: 0, pending: 0 };
}

/** Normalizes the limbs if `incoming` more values could exceed their headroom. */
export function reserve(state: ExactSumState, incoming: number): void {
  if (state.pending + incoming <= NORMALIZE_EVERY) return;
  normalizeLimbs(state.limbs);
  if (state.sqLimbs !== null) normalizeLimbs(state.sqLimbs);
  state.pending = 0;
}

/** Adds one double (and its square when kept), whatever its value. */
export function addNumber(state: ExactSumState, v: number): void {
  reserve(state, 1);
  state.pending++;
  const e = biasedExponent(v);
  if (e === 2047) {
    if (v !== v) state.nan++;
    else if (v > 0) state.posInf++;
    else state.negInf++;
    return;
  }
  if (v === 0) return;
  addFinite(state.limbs, v, e);
  if (state.sqLimbs !== null) addSquare(state.sqLimbs, v, e);
}

/**
 * Per biased exponent of x (in the squares' table range): the two split constants for x² = p + e
 * (p = fl(x²), e its exact rounding error): 1.5·2^(52 + 2t − 25) and 1.5·2^(52 + 2t − 77).
 */
const SQ_SPLIT_P = new Float64Array(2048);
const SQ_SPLIT_E = new Float64Array(2048);
for (let e = SQ_EXP_MIN; e <= SQ_EXP_MAX; e++) {
  const t = e - 1023;
  SQ_SPLIT_P[e] = 1.5 * pow2(52 + 2 * t - 25);
  SQ_SPLIT_E[e] = 1.5 * pow2(52 + 2 * t - 77);
}
/**
 * Scratch per-exponent accumulators of squares (4 per exponent: the high and low halves of p
 * and of e, each a 26- or 27-bit count on a grid fixed by the exponent, so sums of up to 2^26
 * of them are exact). Folded into the limbs and zeroed at the end of each call.
 */
const sqByExponent = new Float64Array(2048 * 4);
const NO_RUN = 1 << 30;

/**
 * Adds values[from..to) whose validity bit is set (validity null: all), exactly. `words` is a
 * Uint32Array view of the same memory as `values` (the exponent is read from the bits).
 * At most NORMALIZE_EVERY values per call; the caller reserves.
 *
 * Speed: consecutive values on the same 32-bit limb window (the usual case: similar
 * magnitudes) add their pieces to three local variables, flushed to the limbs when the window
 * changes; squares add to per-exponent accumulators, so values of different exponents do not
 * wait on each other's memory.
 */
export function addValuesExact(state: ExactSumState, values: Float64Array, words: Uint32Array, validity: Uint8Array | null, from: number, to: number): void {
  const limbs = state.limbs;
  const sq = state.sqLimbs;
  const acc = sqByExponent;
  let run = NO_RUN;
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let eLo = 2048;
  let eHi = -1;
  for (let i = from; i < to; i++) {
    if (validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0) continue;
    const v = values[i]!;
    const e = (words[2 * i + HI_WORD]! >>> 20) & 0x7ff;
    if (e === 2047) {
      if (v !== v) state.nan++;
      else if (v > 0) state.posInf++;
      else state.negInf++;
      continue;
    }
    if (v === 0) continue;
    if (e >= SUM_EXP_MIN && e <= SUM_EXP_MAX) {
      const window = (e - 1075) >> 5;
      if (window !== run) {
        if (run !== NO_RUN) flushRun(limbs, run, a0, a1, a2);
        run = window;
        a0 = 0;
        a1 = 0;
        a2 = 0;
      }
      const j = window + TABLE_HALF;
      const s2 = SIGMA[j + 2]!;
      const p2 = v + s2 - s2;
      const r = v - p2;
      const s1 = SIGMA[j + 1]!;
      const p1 = r + s1 - s1;
      a0 += r - p1;
      a1 += p1;
      a2 += p2;
    } else {
      addFinite(limbs, v, e);
    }
    if (sq === null) continue;
    if (e >= SQ_EXP_MIN && e <= SQ_EXP_MAX) {
      const c = SPLITTER * v;
      const h = c - (c - v);
      const l = v - h;
      const p = v * v;
      const err = h * h - p + 2 * h * l + l * l;
      const sp = SQ_SPLIT_P[e]!;
      const pHigh = p + sp - sp;
      const se = SQ_SPLIT_E[e]!;
      const eHigh = err + se - se;
      const k = e << 2;
      acc[k] = acc[k]! + pHigh;
      acc[k + 1] = acc[k + 1]! + (p - pHigh);
      acc[k + 2] = acc[k + 2]! + eHigh;
      acc[k + 3] = acc[k + 3]! + (err - eHigh);
      if (e < eLo) eLo = e;
      if (e > eHi) eHi = e;
    } else {
      addSquare(sq, v, e);
    }
  }
  if (run !== NO_RUN) flushRun(limbs, run, a0, a1, a2);
  if (sq !== null) foldSquares(sq, eLo, eHi);
  state.pending += to - from;
}

function flushRun(limbs: Float64Array, window: number, a0: number, a1: number, a2: number): void {
  const j = window + TABLE_HALF;
  const k = window + SUM_BIAS;
  limbs[k] = limbs[k]! + a0 * INV[j]!;
  limbs[k + 1] = limbs[k + 1]! + a1 * INV[j + 1]!;
  limbs[k + 2] = limbs[k + 2]! + a2 * INV[j + 2]!;
}

/**
 * Adds the per-exponent square accumulators of exponents eLo..eHi to the limbs and zeroes
 * them. For x in [2^t, 2^(t+1)): p is a multiple of 2^(2t−52) below 2^(2t+2), split at 2^(2t−25);
 * e is a multiple of 2^(2t−104) of magnitude ≤ 2^(2t−52), split at 2^(2t−77). Each accumulator
 * holds at most NORMALIZE_EVERY (2^19) pieces, so its bit span stays below 53.
 */
function foldSquares(sq: Float64Array, eLo: number, eHi: number): void {
  const acc = sqByExponent;
  for (let e = eLo; e <= eHi; e++) {
    const k = e << 2;
    const t = e - 1023;
    if (acc[k] !== 0) addAligned(sq, acc[k]!, 2 * t - 25, SQ_BIAS);
    if (acc[k + 1] !== 0) addAligned(sq, acc[k + 1]!, 2 * t - 52, SQ_BIAS);
    if (acc[k + 2] !== 0) addAligned(sq, acc[k + 2]!, 2 * t - 77, SQ_BIAS);
    if (acc[k + 3] !== 0) addAligned(sq, acc[k + 3]!, 2 * t - 104, SQ_BIAS);
    acc[k] = 0;
    acc[k + 1] = 0;
    acc[k + 2] = 0;
    acc[k + 3] = 0;
  }
}

/** Adds one finite double (a fast path's exact total) to limbs whose bit 0 is limb `bias`. */
export function addExactTotal(limbs: Float64Array, v: number, bias: number): void {
  if (v === 0) return;
  addFinite(limbs, v, biasedExponent(v), bias);
}

/** into += from (from is left normalized, its value unchanged). */
export function mergeExactSum(into: ExactSumState, from: ExactSumState): void {
  normalizeLimbs(from.limbs);
  normalizeLimbs(into.limbs);
  addLimbs(into.limbs, from.limbs);
  if (into.sqLimbs !== null && from.sqLimbs !== null) {
    normalizeLimbs(from.sqLimbs);
    normalizeLimbs(into.sqLimbs);
    addLimbs(into.sqLimbs, from.sqLimbs);
  } else if (into.sqLimbs !== null) {
    throw new Error('mergeExactSum: the merged state keeps no squares');
  }
  from.pending = 0;
  // Two normalized limbs add to below 2^33: as much as a few values' worth of headroom.
  into.pending = 4;
  into.nan += from.nan;
  into.posInf += from.posInf;
  into.negInf += from.negInf;
}

/** The sum rounded once: NaN if any NaN or both infinities, ±Infinity if either. */
export function exactSumValue(state: ExactSumState): number {
  return specialSum(state) ?? limbsToDouble(state.limbs, SUM_BIAS);
}

export function exactSumScaled(state: ExactSumState): Scaled {
  return limbsToBigInt(state.limbs, SUM_BIAS);
}

export function exactSquaresScaled(state: ExactSumState): Scaled {
  if (state.sqLimbs === null) throw new Error('exactSquaresScaled: this sum keeps no squares');
  return limbsToBigInt(state.sqLimbs, SQ_BIAS);
}
