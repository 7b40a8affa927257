/**
 * Exact sums (and sums of squares) for many groups at once: the state behind the grouped sum,
 * mean, var and std, so grouped results are the same to the bit for every partitioning.
 *
 * Three tiers per group, chosen value by value:
 *   - small: integer values (|x| < 2^31; for squares |x| ≤ 2^16) add to one double per group,
 *     exact because the state carries them into a second double (units of 2^32) at least every
 *     CARRY_EVERY rows. Integer data (delays in minutes, counts) never leaves this tier.
 *   - narrow: any other finite value puts the group in the exact tier: a window of a few 32-bit
 *     limbs (exact-sum.ts) around the magnitude of its first value;
 *   - wide: a value outside that window moves the group to the full range of limbs.
 * NaN and infinities set flags. Everything is typed arrays and numbers (structured clone).
 */
import {
  addAligned, addValuesExact, biasedExponent, type ExactSumState, pow2, HI_WORD, limbsToBigInt, limbsToDouble, newExactSum,
  normalizeLimbs, NORMALIZE_EVERY, roundRatio, type Scaled, SCALE_DOWN, SCALE_LIMBS, SCALE_UP, SPLITTER, SQ_BIAS, SQ_EXP_MAX, SQ_EXP_MIN, SQ_LIMBS, SUM_BIAS,
  SUM_EXP_MAX, SUM_EXP_MIN, SUM_LIMBS, exactVariance,
} from '../kernels/exact-sum.js';

const TWO32 = 4294967296;
const INV_TWO32 = 1 / TWO32;
const TWO53 = 9007199254740992;
/** Limbs in a narrow window: pieces land in all but the top one, which takes carries. */
const NARROW_SUM = 8;
const NARROW_SQ = 12;
/** Integers up to this magnitude have squares ≤ 2^32 (the small tier of squares). */
const SMALL_SQ_LIMIT = 65536;
/**
 * Rows between carries: small sums stay ≤ 2^53 (2^19 rows × 2^32) and every limb ≤ 2^52.
 */
const CARRY_EVERY = NORMALIZE_EVERY;

export const NAN_FLAG = 1;
export const POS_INF_FLAG = 2;
export const NEG_INF_FLAG = 4;

export interface GroupedExactSum {
  groups: number;
  squares: boolean;
  /** Non-null values per group. */
  count: Float64Array;
  small: Float64Array;
  /** Carried part of `small`, in units of 2^32. */
  smallHigh: Float64Array;
  /** Empty when squares are not kept. */
  smallSq: Float64Array;
  smallSqHigh: Float64Array;
  flags: Uint8Array;
  /** −1: small tier only; ≥ 0: a narrow slot; ≤ −2: wide slot −2 − slot. */
  slot: Int32Array;
  /** Per narrow slot: the global limb index of its window's first limb (−1: not placed yet). */
  narrowBase: Int32Array;
  narrowSqBase: Int32Array;
  narrow: Float64Array;
  narrowSq: Float64Array;
  narrowSlots: number;
  wide: Float64Array;
  wideSq: Float64Array;
  wideSlots: number;
  rowsSinceCarry: number;
}

export function newGroupedExactSum(squares: boolean): GroupedExactSum {
  // Each array its own (a transferred state detaches its buffers).
  const none = (): Float64Array => new Float64Array(0);
  return {
    groups: 0, squares, count: none(), small: none(), smallHigh: none(), smallSq: none(), smallSqHigh: none(),
    flags: new Uint8Array(0), slot: new Int32Array(0), narrowBase: new Int32Array(0), narrowSqBase: new Int32Array(0),
    narrow: none(), narrowSq: none(), narrowSlots: 0, wide: none(), wideSq: none(), wideSlots: 0, rowsSinceCarry: 0,
  };
}

function grownF64(a: Float64Array, size: number): Float64Array {
  if (a.length >= size) return a;
  const out = new Float64Array(Math.max(size, a.length * 2, 16));
  out.set(a);
  return out;
}

function grownI32(a: Int32Array, size: number, fill: number): Int32Array {
  if (a.length >= size) return a;
  const out = new Int32Array(Math.max(size, a.length * 2, 16));
  out.set(a);
  out.fill(fill, a.length);
  return out;
}

/** Makes room for `groups` groups (new groups are empty). */
export function resizeGroupedExactSum(s: GroupedExactSum, groups: number): void {
  if (groups <= s.groups) return;
  if (s.count.length < groups) {
    s.count = grownF64(s.count, groups);
    s.small = grownF64(s.small, groups);
    s.smallHigh = grownF64(s.smallHigh, groups);
    if (s.squares) {
      s.smallSq = grownF64(s.smallSq, groups);
      s.smallSqHigh = grownF64(s.smallSqHigh, groups);
    }
    const flags = new Uint8Array(s.count.length);
    flags.set(s.flags);
    s.flags = flags;
    s.slot = grownI32(s.slot, s.count.length, -1);
  }
  s.groups = groups;
}

/** Carries the small tier into its high part and normalizes every slot's limbs. */
export function carryGroupedExactSum(s: GroupedExactSum): void {
  carrySmall(s.small, s.smallHigh, s.groups);
  if (s.squares) carrySmall(s.smallSq, s.smallSqHigh, s.groups);
  for (let sl = 0; sl < s.narrowSlots; sl++) {
    normalizeLimbs(s.narrow, sl * NARROW_SUM, (sl + 1) * NARROW_SUM);
    if (s.squares) normalizeLimbs(s.narrowSq, sl * NARROW_SQ, (sl + 1) * NARROW_SQ);
  }
  for (let w = 0; w < s.wideSlots; w++) {
    normalizeLimbs(s.wide, w * SUM_LIMBS, (w + 1) * SUM_LIMBS);
    if (s.squares) normalizeLimbs(s.wideSq, w * SQ_LIMBS, (w + 1) * SQ_LIMBS);
  }
  s.rowsSinceCarry = 0;
}

function carrySmall(small: Float64Array, high: Float64Array, n: number): void {
  for (let g = 0; g < n; g++) {
    const v = small[g]!;
    if (v >= 0 && v < TWO32) continue;
    const q = Math.floor(v * INV_TWO32);
    small[g] = v - q * TWO32;
    high[g] = high[g]! + q;
  }
}

/** Rows this state can take before it must carry; carries first when it has no room. */
function room(s: GroupedExactSum): number {
  if (s.rowsSinceCarry >= CARRY_EVERY) carryGroupedExactSum(s);
  return CARRY_EVERY - s.rowsSinceCarry;
}

// ---- the exact tier -------------------------------------------------------------------------

function allocNarrow(s: GroupedExactSum, g: number): number {
  const sl = s.narrowSlots++;
  if (s.narrowBase.length <= sl) {
    s.narrowBase = grownI32(s.narrowBase, sl + 1, -1);
    s.narrowSqBase = grownI32(s.narrowSqBase, sl + 1, -1);
  }
  s.narrowBase[sl] = -1;
  s.narrowSqBase[sl] = -1;
  s.narrow = grownF64(s.narrow, (sl + 1) * NARROW_SUM);
  s.narrow.fill(0, sl * NARROW_SUM, (sl + 1) * NARROW_SUM);
  if (s.squares) {
    s.narrowSq = grownF64(s.narrowSq, (sl + 1) * NARROW_SQ);
    s.narrowSq.fill(0, sl * NARROW_SQ, (sl + 1) * NARROW_SQ);
  }
  s.slot[g] = sl;
  return sl;
}

function allocWide(s: GroupedExactSum): number {
  const w = s.wideSlots++;
  s.wide = grownF64(s.wide, (w + 1) * SUM_LIMBS);
  s.wide.fill(0, w * SUM_LIMBS, (w + 1) * SUM_LIMBS);
  if (s.squares) {
    s.wideSq = grownF64(s.wideSq, (w + 1) * SQ_LIMBS);
    s.wideSq.fill(0, w * SQ_LIMBS, (w + 1) * SQ_LIMBS);
  }
  return w;
}

/** Moves group g from its narrow windows to a wide slot; returns the new (encoded) slot. */
function promote(s: GroupedExactSum, g: number): number {
  const sl = s.slot[g]!;
  const w = allocWide(s);
  const base = s.narrowBase[sl]!;
  if (base >= 0) for (let i = 0; i < NARROW_SUM; i++) s.wide[w * SUM_LIMBS + base + i] += s.narrow[sl * NARROW_SUM + i]!;
  const sqBase = s.narrowSqBase[sl]!;
  if (s.squares && sqBase >= 0) for (let i = 0; i < NARROW_SQ; i++) s.wideSq[w * SQ_LIMBS + sqBase + i] += s.narrowSq[sl * NARROW_SQ + i]!;
  s.slot[g] = -2 - w;
  return -2 - w;
}

/** Adds v (a multiple of 2^low, |v| < 2^(low+54)) to group g's sum; `bias` is the limb of bit 0. */
function addSumPiece(s: GroupedExactSum, g: number, v: number, low: number, bias: number): void {
  const k = (low >> 5) + bias;
  let sl = s.slot[g]!;
  if (sl === -1) sl = allocNarrow(s, g);
  if (sl >= 0) {
    let base = s.narrowBase[sl]!;
    if (base < 0) base = s.narrowBase[sl] = Math.min(Math.max(k - 2, 0), SUM_LIMBS - NARROW_SUM);
    const rel = k - base;
    if (rel >= 0 && rel <= NARROW_SUM - 4) {
      addAligned(s.narrow, v, low, sl * NARROW_SUM - base + bias);
      return;
    }
    sl = promote(s, g);
  }
  addAligned(s.wide, v, low, (-2 - sl) * SUM_LIMBS + bias);
}

function addSquarePiece(s: GroupedExactSum, g: number, v: number, low: number, bias: number): void {
  const k = (low >> 5) + bias;
  let sl = s.slot[g]!;
  if (sl === -1) sl = allocNarrow(s, g);
  if (sl >= 0) {
    let base = s.narrowSqBase[sl]!;
    if (base < 0) base = s.narrowSqBase[sl] = Math.min(Math.max(k - 5, 0), SQ_LIMBS - NARROW_SQ);
    const rel = k - base;
    if (rel >= 0 && rel <= NARROW_SQ - 4) {
      addAligned(s.narrowSq, v, low, sl * NARROW_SQ - base + bias);
      return;
    }
    sl = promote(s, g);
  }
  addAligned(s.wideSq, v, low, (-2 - sl) * SQ_LIMBS + bias);
}

/** Adds a value the small tier cannot take (finite non-integer, big, or NaN/±∞). */
function addOther(s: GroupedExactSum, g: number, x: number, e: number): void {
  if (e === 2047) {
    s.flags[g]! |= x !== x ? NAN_FLAG : x > 0 ? POS_INF_FLAG : NEG_INF_FLAG;
    return;
  }
  if (x === 0) return;
  if (e >= SUM_EXP_MIN && e <= SUM_EXP_MAX) {
    addSumPiece(s, g, x, e - 1075, SUM_BIAS);
  } else if (e < SUM_EXP_MIN) {
    const w = x * SCALE_UP;
    addSumPiece(s, g, w, biasedExponent(w) - 1075, SUM_BIAS - SCALE_LIMBS);
  } else {
    const w = x * SCALE_DOWN;
    addSumPiece(s, g, w, biasedExponent(w) - 1075, SUM_BIAS + SCALE_LIMBS);
  }
  if (s.squares) addSquareOf(s, g, x, e);
}

/** x² = p + err exactly (Dekker), p a multiple of 2^(2t−52) ≤ 2^(2t+2), |err| ≤ 2^(2t−52). */
function addSquareOf(s: GroupedExactSum, g: number, x: number, e: number): void {
  let bias = SQ_BIAS;
  if (e < SQ_EXP_MIN) {
    x *= SCALE_UP;
    e = biasedExponent(x);
    bias -= 2 * SCALE_LIMBS;
  } else if (e > SQ_EXP_MAX) {
    x *= SCALE_DOWN;
    e = biasedExponent(x);
    bias += 2 * SCALE_LIMBS;
  }
  const t = e - 1023;
  const c = SPLITTER * x;
  const h = c - (c - x);
  const l = x - h;
  const p = x * x;
  const err = h * h - p + 2 * h * l + l * l;
  addSquarePiece(s, g, p, 2 * t - 52, bias);
  if (err !== 0) addSquarePiece(s, g, err, 2 * t - 104, bias);
}

// ---- updates -------------------------------------------------------------------------------

function isNull(validity: Uint8Array | null, i: number): boolean {
  return validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0;
}

/** Adds rows [0, rowCount) of a float64 column to groups ids[i]. */
export function addFloat64(s: GroupedExactSum, ids: Int32Array, values: Float64Array, validity: Uint8Array | null, rowCount: number): void {
  for (let from = 0; from < rowCount; ) {
    const to = Math.min(rowCount, from + room(s));
    if (s.squares) addFloat64Squares(s, ids, values, validity, from, to);
    else addFloat64Sums(s, ids, values, validity, from, to);
    s.rowsSinceCarry += to - from;
    from = to;
  }
}

function addFloat64Sums(s: GroupedExactSum, ids: Int32Array, values: Float64Array, validity: Uint8Array | null, from: number, to: number): void {
  const count = s.count;
  const small = s.small;
  const pending = reservePending(to - from);
  let np = 0;
  for (let i = from; i < to; i++) {
    if (validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0) continue;
    const g = ids[i]!;
    const x = values[i]!;
    count[g]! += 1;
    if ((x | 0) === x) small[g]! += x;
    else {
      pending.groups[np] = g;
      pending.values[np++] = x;
    }
  }
  if (np > 0) addPending(s, np);
}

function addFloat64Squares(s: GroupedExactSum, ids: Int32Array, values: Float64Array, validity: Uint8Array | null, from: number, to: number): void {
  const count = s.count;
  const small = s.small;
  const smallSq = s.smallSq;
  const pending = reservePending(to - from);
  let np = 0;
  for (let i = from; i < to; i++) {
    if (validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0) continue;
    const g = ids[i]!;
    const x = values[i]!;
    count[g]! += 1;
    if ((x | 0) === x && x <= SMALL_SQ_LIMIT && x >= -SMALL_SQ_LIMIT) {
      small[g]! += x;
      smallSq[g]! += x * x;
    } else {
      pending.groups[np] = g;
      pending.values[np++] = x;
    }
  }
  if (np > 0) addPending(s, np);
}

// ---- values for the exact tier, a batch at a time --------------------------------------------

/** Scratch (module-level, reused): the rows of one chunk that need the exact tier. */
const pending = { groups: new Int32Array(0), values: new Float64Array(0), sorted: new Float64Array(0), start: new Int32Array(0), touched: new Int32Array(0) };
const scratchSums: ExactSumState[] = [newExactSum(false), newExactSum(true)];
/** Below this many values of a group in one chunk, each goes to the group's limbs on its own. */
const SORTED_MIN = 8;

function reservePending(n: number): typeof pending {
  if (pending.groups.length < n) {
    pending.groups = new Int32Array(n);
    pending.values = new Float64Array(n);
    pending.sorted = new Float64Array(n);
  }
  return pending;
}

/**
 * Adds the chunk's pending values. Groups with many of them are summed the way a Series is
 * (values sorted by group, then the superaccumulator's loop, exact-sum.ts addValuesExact, into a
 * full-range scratch) and the scratch is folded into the group's limbs once; the others are
 * added value by value. Exact either way.
 */
function addPending(s: GroupedExactSum, np: number): void {
  const { groups, values } = pending;
  if (np < 4 * SORTED_MIN) {
    for (let k = 0; k < np; k++) addOther(s, groups[k]!, values[k]!, biasedExponent(values[k]!));
    return;
  }
  // Counting sort by group: start[g] counts, then offsets; `touched` lists the groups seen.
  if (pending.start.length < s.groups + 1) {
    pending.start = new Int32Array(Math.max(s.groups + 1, 2 * pending.start.length));
    pending.touched = new Int32Array(pending.start.length);
  }
  const start = pending.start;
  const touched = pending.touched;
  let nt = 0;
  for (let k = 0; k < np; k++) {
    const g = groups[k]!;
    if (start[g]++ === 0) touched[nt++] = g;
  }
  let offset = 0;
  for (let t = 0; t < nt; t++) {
    const g = touched[t]!;
    const c = start[g]!;
    start[g] = offset;
    offset += c;
  }
  const sorted = pending.sorted;
  for (let k = 0; k < np; k++) sorted[start[groups[k]!]!++] = values[k]!;
  // start[g] is now the end of g's run; walk the runs in touched order.
  const words = new Uint32Array(sorted.buffer, 0, 2 * np);
  const scratch = scratchSums[s.squares ? 1 : 0]!;
  let from = 0;
  for (let t = 0; t < nt; t++) {
    const g = touched[t]!;
    const to = start[g]!;
    start[g] = 0;
    if (to - from < SORTED_MIN) {
      for (let k = from; k < to; k++) addOther(s, g, sorted[k]!, biasedExponent(sorted[k]!));
    } else {
      scratch.nan = scratch.posInf = scratch.negInf = 0;
      addValuesExact(scratch, sorted, words, null, from, to);
      if (scratch.nan > 0) s.flags[g]! |= NAN_FLAG;
      if (scratch.posInf > 0) s.flags[g]! |= POS_INF_FLAG;
      if (scratch.negInf > 0) s.flags[g]! |= NEG_INF_FLAG;
      foldLimbs(s, g, scratch.limbs, false);
      if (s.squares) foldLimbs(s, g, scratch.sqLimbs!, true);
    }
    from = to;
  }
}

/**
 * Adds a full-range scratch accumulator to group g and zeroes it. Balanced carries (limbs in
 * [−2^31, 2^31]) keep a negative total on its own limbs, so it fits the group's narrow window.
 */
function foldLimbs(s: GroupedExactSum, g: number, limbs: Float64Array, squares: boolean): void {
  let lo = -1;
  let hi = -1;
  for (let k = 0; k < limbs.length - 1; k++) {
    const v = limbs[k]!;
    if (v === 0) continue;
    if (v < -2147483648 || v > 2147483648) {
      const q = Math.round(v * INV_TWO32);
      limbs[k] = v - q * TWO32;
      limbs[k + 1] = limbs[k + 1]! + q;
    }
    if (limbs[k] !== 0) {
      if (lo < 0) lo = k;
      hi = k;
    }
  }
  if (limbs[limbs.length - 1] !== 0) hi = limbs.length - 1;
  if (hi < 0) return;
  if (lo < 0) lo = hi;
  let sl = s.slot[g]!;
  if (sl === -1) sl = allocNarrow(s, g);
  const bases = squares ? s.narrowSqBase : s.narrowBase;
  if (sl >= 0 && bases[sl]! < 0) {
    // Place the new window around these limbs, with room on both sides.
    const width = squares ? NARROW_SQ : NARROW_SUM;
    bases[sl] = Math.min(Math.max(lo - Math.max(1, (width - 1 - (hi - lo + 1)) >> 1), 0), (squares ? SQ_LIMBS : SUM_LIMBS) - width);
  }
  for (let k = lo; k <= hi; k++) {
    const c = limbs[k]!;
    if (c !== 0) addLimbCount(s, g, k, c, squares);
    limbs[k] = 0;
  }
}

/** int32 and bool columns (read as numbers by `read`). */
export function addInt32(s: GroupedExactSum, ids: Int32Array, values: Int32Array, validity: Uint8Array | null, rowCount: number): void {
  for (let from = 0; from < rowCount; ) {
    const to = Math.min(rowCount, from + room(s));
    const count = s.count;
    const small = s.small;
    const smallSq = s.smallSq;
    const squares = s.squares;
    for (let i = from; i < to; i++) {
      if (isNull(validity, i)) continue;
      const g = ids[i]!;
      const x = values[i]!;
      count[g]! += 1;
      if (!squares) small[g]! += x;
      else if (x <= SMALL_SQ_LIMIT && x >= -SMALL_SQ_LIMIT) {
        small[g]! += x;
        smallSq[g]! += x * x;
      } else {
        addOther(s, g, x, biasedExponent(x));
      }
    }
    s.rowsSinceCarry += to - from;
    from = to;
  }
}

export function addBool(s: GroupedExactSum, ids: Int32Array, bits: Uint8Array, validity: Uint8Array | null, rowCount: number): void {
  for (let from = 0; from < rowCount; ) {
    const to = Math.min(rowCount, from + room(s));
    for (let i = from; i < to; i++) {
      if (isNull(validity, i)) continue;
      const g = ids[i]!;
      const x = (bits[i >> 3]! >> (i & 7)) & 1;
      s.count[g]! += 1;
      s.small[g]! += x;
      if (s.squares) s.smallSq[g]! += x;
    }
    s.rowsSinceCarry += to - from;
    from = to;
  }
}

const LOW_WORD = HI_WORD === 1 ? 0 : 1;

export function addInt64(s: GroupedExactSum, ids: Int32Array, values: BigInt64Array, validity: Uint8Array | null, rowCount: number): void {
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let from = 0; from < rowCount; ) {
    const to = Math.min(rowCount, from + room(s));
    for (let i = from; i < to; i++) {
      if (isNull(validity, i)) continue;
      const g = ids[i]!;
      const hi = words[2 * i + HI_WORD]!;
      const lo = words[2 * i + LOW_WORD]! >>> 0;
      s.count[g]! += 1;
      // Values in int32 range take the small tier; others are added as hi·2^32 and lo exactly.
      if ((hi === 0 && lo < 0x80000000) || (hi === -1 && lo >= 0x80000000)) {
        const x = hi === 0 ? lo : lo - TWO32;
        if (!s.squares) s.small[g]! += x;
        else if (x <= SMALL_SQ_LIMIT && x >= -SMALL_SQ_LIMIT) {
          s.small[g]! += x;
          s.smallSq[g]! += x * x;
        } else addOther(s, g, x, biasedExponent(x));
        continue;
      }
      addInt64Words(s, g, hi, lo);
    }
    s.rowsSinceCarry += to - from;
    from = to;
  }
}

function addInt64Words(s: GroupedExactSum, g: number, hi: number, lo: number): void {
  if (hi !== 0) addSumPiece(s, g, hi * TWO32, 32, SUM_BIAS);
  if (lo !== 0) addSumPiece(s, g, lo, 0, SUM_BIAS);
  if (!s.squares) return;
  // v = a·2^42 + b·2^21 + c (a signed, b and c in [0, 2^21)): six exact products.
  const b = (hi & 0x3ff) * 2048 + (lo >>> 21);
  const c = lo & 0x1fffff;
  const a = (hi - (hi & 0x3ff)) / 1024;
  const terms = [a * a, 84, 2 * a * b, 63, 2 * a * c, 42, b * b, 42, 2 * b * c, 21, c * c, 0];
  for (let t = 0; t < terms.length; t += 2) if (terms[t] !== 0) addSquarePiece(s, g, terms[t]! * pow2(terms[t + 1]!), terms[t + 1]!, SQ_BIAS);
}

// ---- merge ---------------------------------------------------------------------------------

/** Adds group fg of `from` into group ig of `into`. Both are carried (limbs normalized). */
function mergeSlot(into: GroupedExactSum, ig: number, from: GroupedExactSum, fs: number): void {
  const forEachLimb = (squares: boolean, fn: (globalIndex: number, count: number) => void): void => {
    const width = squares ? NARROW_SQ : NARROW_SUM;
    if (fs >= 0) {
      const base = squares ? from.narrowSqBase[fs]! : from.narrowBase[fs]!;
      if (base < 0) return;
      const pool = squares ? from.narrowSq : from.narrow;
      for (let i = 0; i < width; i++) {
        const c = pool[fs * width + i]!;
        if (c !== 0) fn(base + i, c);
      }
    } else {
      const w = -2 - fs;
      const size = squares ? SQ_LIMBS : SUM_LIMBS;
      const pool = squares ? from.wideSq : from.wide;
      for (let i = 0; i < size; i++) {
        const c = pool[w * size + i]!;
        if (c !== 0) fn(i, c);
      }
    }
  };
  forEachLimb(false, (k, c) => addLimbCount(into, ig, k, c, false));
  if (into.squares && from.squares) forEachLimb(true, (k, c) => addLimbCount(into, ig, k, c, true));
}

/** Adds c units of global limb k to group g (promoting it when k is outside its window). */
function addLimbCount(s: GroupedExactSum, g: number, k: number, c: number, squares: boolean): void {
  let sl = s.slot[g]!;
  if (sl === -1) sl = allocNarrow(s, g);
  if (sl >= 0) {
    const width = squares ? NARROW_SQ : NARROW_SUM;
    const bases = squares ? s.narrowSqBase : s.narrowBase;
    let base = bases[sl]!;
    if (base < 0) base = bases[sl] = Math.min(Math.max(k - (squares ? 5 : 2), 0), (squares ? SQ_LIMBS : SUM_LIMBS) - width);
    const rel = k - base;
    if (rel >= 0 && rel < width) {
      const pool = squares ? s.narrowSq : s.narrow;
      pool[sl * width + rel] += c;
      return;
    }
    sl = promote(s, g);
  }
  if (squares) s.wideSq[(-2 - sl) * SQ_LIMBS + k] += c;
  else s.wide[(-2 - sl) * SUM_LIMBS + k] += c;
}

/** into[mapping[g]] += from[g] for every group of `from`; `into` must have room for them. */
export function mergeGroupedExactSum(into: GroupedExactSum, from: GroupedExactSum, mapping: Int32Array): void {
  carryGroupedExactSum(from);
  carryGroupedExactSum(into);
  for (let g = 0; g < from.groups; g++) {
    const m = mapping[g]!;
    if (m < 0) continue;
    into.count[m]! += from.count[g]!;
    into.small[m]! += from.small[g]!;
    into.smallHigh[m]! += from.smallHigh[g]!;
    if (into.squares) {
      into.smallSq[m]! += from.smallSq[g]!;
      into.smallSqHigh[m]! += from.smallSqHigh[g]!;
    }
    into.flags[m]! |= from.flags[g]!;
    const fs = from.slot[g]!;
    if (fs !== -1) mergeSlot(into, m, from, fs);
  }
  // Two carried parts add to below 2^33: a few rows' worth of the headroom.
  into.rowsSinceCarry = 4;
}

// ---- results -------------------------------------------------------------------------------

const fullSum = new Float64Array(SUM_LIMBS);
const fullSq = new Float64Array(SQ_LIMBS);

/** Group g's limbs (sum or squares) with its small tier added, in a shared scratch array. */
function groupLimbs(s: GroupedExactSum, g: number, squares: boolean): Float64Array {
  const full = squares ? fullSq : fullSum;
  full.fill(0);
  const sl = s.slot[g]!;
  if (sl >= 0) {
    const width = squares ? NARROW_SQ : NARROW_SUM;
    const base = squares ? s.narrowSqBase[sl]! : s.narrowBase[sl]!;
    const pool = squares ? s.narrowSq : s.narrow;
    if (base >= 0) for (let i = 0; i < width; i++) full[base + i] = pool[sl * width + i]!;
  } else if (sl <= -2) {
    const size = squares ? SQ_LIMBS : SUM_LIMBS;
    full.set((squares ? s.wideSq : s.wide).subarray((-2 - sl) * size, (-1 - sl) * size));
  }
  const bias = squares ? SQ_BIAS : SUM_BIAS;
  const small = squares ? s.smallSq[g]! : s.small[g]!;
  const high = squares ? s.smallSqHigh[g]! : s.smallHigh[g]!;
  normalizeLimbs(full);
  // Integers: limb `bias` holds units of 2^0, limb bias+1 units of 2^32.
  full[bias] += small;
  full[bias + 1] += high;
  return full;
}

/** The flags' verdict on a sum: NaN, ±Infinity, or null when the group has only finite values. */
export function specialOf(flags: number): number | null {
  if ((flags & NAN_FLAG) !== 0 || (flags & (POS_INF_FLAG | NEG_INF_FLAG)) === (POS_INF_FLAG | NEG_INF_FLAG)) return Number.NaN;
  if ((flags & POS_INF_FLAG) !== 0) return Infinity;
  if ((flags & NEG_INF_FLAG) !== 0) return -Infinity;
  return null;
}

/** The exact sum of group g (finite values only) as N·2^exp. */
export function groupSumScaled(s: GroupedExactSum, g: number): Scaled {
  if (s.slot[g] === -1) return { n: (BigInt(s.smallHigh[g]!) << 32n) + BigInt(s.small[g]!), exp: 0 };
  return limbsToBigInt(groupLimbs(s, g, false), SUM_BIAS);
}

function groupSquaresScaled(s: GroupedExactSum, g: number): Scaled {
  if (s.slot[g] === -1) return { n: (BigInt(s.smallSqHigh[g]!) << 32n) + BigInt(s.smallSq[g]!), exp: 0 };
  return limbsToBigInt(groupLimbs(s, g, true), SQ_BIAS);
}

/** Sum of group g rounded once (0 for a group with no values). */
export function groupSum(s: GroupedExactSum, g: number): number {
  const special = specialOf(s.flags[g]!);
  if (special !== null) return special;
  // One IEEE addition of two exact doubles is the correctly rounded exact sum.
  if (s.slot[g] === -1) return s.smallHigh[g]! * TWO32 + s.small[g]!;
  return limbsToDouble(groupLimbs(s, g, false), SUM_BIAS);
}

/** The exact integer sum of group g (integer columns: no fraction, no NaN). */
export function groupIntegerSum(s: GroupedExactSum, g: number): bigint {
  const { n, exp } = groupSumScaled(s, g);
  return exp >= 0 ? n << BigInt(exp) : n >> BigInt(-exp);
}

/** Exact mean rounded once; NaN for a group with no values. */
export function groupMean(s: GroupedExactSum, g: number): number {
  const n = s.count[g]!;
  if (n === 0) return Number.NaN;
  const special = specialOf(s.flags[g]!);
  if (special !== null) return special;
  if (s.slot[g] === -1) {
    const high = s.smallHigh[g]!;
    // |sum| < 2^53: an exact double, and one IEEE division rounds the exact mean once.
    if (high > -2097152 && high < 2097151) return (high * TWO32 + s.small[g]!) / n;
  }
  const sum = groupSumScaled(s, g);
  return roundRatio(sum.n, BigInt(n), sum.exp);
}

/** Exact variance (ddof) rounded once; NaN for fewer than ddof + 1 values or any NaN/∞. */
export function groupVariance(s: GroupedExactSum, g: number, ddof: number): number {
  const n = s.count[g]!;
  if (n - ddof <= 0 || s.flags[g] !== 0) return Number.NaN;
  if (s.slot[g] === -1) {
    const s1 = s.smallHigh[g]! * TWO32 + s.small[g]!;
    const s2 = s.smallSqHigh[g]! * TWO32 + s.smallSq[g]!;
    const nS2 = n * s2;
    const s1Squared = s1 * s1;
    const den = n * (n - ddof);
    // Every operand an exact integer below 2^53: the difference is exact, the division rounds once.
    if (Math.abs(s1) < TWO53 && s2 < TWO53 && nS2 < TWO53 && s1Squared < TWO53 && den < TWO53) {
      const num = nS2 - s1Squared;
      return num <= 0 ? 0 : num / den;
    }
  }
  return exactVariance(n, groupSumScaled(s, g), groupSquaresScaled(s, g), ddof);
}

/** Adds a numeric or bool column's rows to their groups. */
export function addColumn(s: GroupedExactSum, ids: Int32Array, column: import('../core/column-data.js').ColumnData, rowCount: number): void {
  switch (column.dtype) {
    case 'float64':
      return addFloat64(s, ids, column.values, column.validity, rowCount);
    case 'int32':
      return addInt32(s, ids, column.values, column.validity, rowCount);
    case 'int64':
      return addInt64(s, ids, column.values, column.validity, rowCount);
    case 'bool':
      return addBool(s, ids, column.values, column.validity, rowCount);
    default:
      throw new Error(`exact sums of a ${column.dtype} column`);
  }
}
