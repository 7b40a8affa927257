import type { BitGenerator } from './bit-generator.js';
import { boundedUint } from './bounded-integers.js';
import { DuskRandomError } from './errors.js';
import { shuffleInt } from './permute.js';

/** numpy's kahan_sum, used to check that p sums to 1. */
function kahanSum(p: ArrayLike<number>): number {
  let sum = p[0]!;
  let c = 0.0;
  for (let i = 1; i < p.length; i++) {
    const y = p[i]! - c;
    const t = sum + y;
    c = t - sum - y;
    sum = t;
  }
  return sum;
}

/** Validate p as numpy's Generator.choice does and return it as float64. */
export function checkProbabilities(p: ArrayLike<number>, popSize: number): Float64Array {
  const q = Float64Array.from(p as ArrayLike<number>);
  if (q.length !== popSize) throw new DuskRandomError(`a and p must have same size (${popSize} vs ${q.length})`);
  const atol = Math.sqrt(2.220446049250313e-16);
  const pSum = q.length === 0 ? 0 : kahanSum(q);
  if (Number.isNaN(pSum)) throw new DuskRandomError('Probabilities contain NaN');
  if (q.some((v) => v < 0)) throw new DuskRandomError('Probabilities are not non-negative');
  if (Math.abs(pSum - 1) > atol) {
    throw new DuskRandomError(`Probabilities do not sum to 1 (sum is ${pSum}, tolerance ${atol})`);
  }
  return q;
}

/** Normalised running sum, as numpy's p.cumsum() followed by cdf /= cdf[-1]. */
function cdfOf(p: Float64Array): Float64Array {
  const cdf = new Float64Array(p.length);
  let s = 0;
  for (let i = 0; i < p.length; i++) cdf[i] = s += p[i]!;
  const last = cdf[cdf.length - 1]!;
  for (let i = 0; i < cdf.length; i++) cdf[i] = cdf[i]! / last;
  return cdf;
}

/** searchsorted(cdf, u, side='right'): the first index with cdf[i] > u. */
function searchRight(cdf: Float64Array, u: number): number {
  let lo = 0, hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! <= u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface ChoiceDraws {
  bitGen: BitGenerator;
  /** Generator.random(n), consuming exactly n doubles. */
  random(n: number): Float64Array;
  /** Generator.integers(0, high, n) with int64 semantics. */
  integers(high: number, n: number): Float64Array;
}

/** numpy's smallest all-ones mask ≥ max (gen_mask), for max < 2**53. */
function genMask(max: number): number {
  let mask = 1;
  while (mask - 1 < max) mask *= 2;
  return mask - 1;
}

/**
 * The index-sampling core of numpy's Generator.choice for a 1-D population of `popSize`,
 * `size` draws; every branch follows numpy's code path and draw order.
 */
export function choiceIndices(
  g: ChoiceDraws, popSize: number, size: number, replace: boolean, p: Float64Array | undefined, shuffle: boolean,
): Float64Array {
  if (size === 0) return new Float64Array(0); // numpy draws nothing for an empty sample
  if (replace) {
    if (p !== undefined) {
      const cdf = cdfOf(p);
      const u = g.random(size);
      const out = new Float64Array(size);
      for (let i = 0; i < size; i++) out[i] = searchRight(cdf, u[i]!);
      return out;
    }
    return g.integers(popSize, size);
  }
  if (size > popSize) {
    throw new DuskRandomError(
      `Cannot take a larger sample than population when replace is False (size ${size} > population ${popSize})`,
    );
  }
  if (p !== undefined) {
    let nonzero = 0;
    for (const v of p) if (v > 0) nonzero++;
    if (nonzero < size) throw new DuskRandomError(`Fewer non-zero entries in p than size (${nonzero} < ${size})`);
    const q = p.slice();
    const found = new Float64Array(size);
    let nUniq = 0;
    while (nUniq < size) {
      const x = g.random(size - nUniq);
      if (nUniq > 0) for (let i = 0; i < nUniq; i++) q[found[i]!] = 0;
      const cdf = cdfOf(q);
      // Keep the first occurrence of each new index, in draw order (np.unique + sort of indices).
      const seen = new Set<number>();
      for (let i = 0; i < x.length; i++) {
        const k = searchRight(cdf, x[i]!);
        if (!seen.has(k)) {
          seen.add(k);
          found[nUniq++] = k;
        }
      }
    }
    return found;
  }
  const cutoff = shuffle ? 50 : 20;
  if (popSize > 10000 && size > Math.floor(popSize / cutoff)) {
    // Partial Fisher–Yates over the tail of 0..popSize-1.
    const idx = new Float64Array(popSize);
    for (let i = 0; i < popSize; i++) idx[i] = i;
    shuffleInt(g.bitGen, popSize, Math.max(popSize - size, 1), idx);
    return idx.slice(popSize - size);
  }
  // Floyd's algorithm with an open-addressing set, as numpy does.
  const idx = new Float64Array(size);
  const mask = genMask(Math.trunc(1.2 * size));
  const setSize = mask + 1;
  const hashSet = new Float64Array(setSize).fill(-1);
  for (let j = popSize - size; j < popSize; j++) {
    const val = boundedUint(g.bitGen, j);
    let loc = val % setSize;
    while (hashSet[loc] !== -1 && hashSet[loc] !== val) loc = (loc + 1) % setSize;
    if (hashSet[loc] === -1) {
      hashSet[loc] = val;
      idx[j - popSize + size] = val;
    } else {
      loc = j % setSize;
      while (hashSet[loc] !== -1) loc = (loc + 1) % setSize;
      hashSet[loc] = j;
      idx[j - popSize + size] = j;
    }
  }
  if (shuffle) shuffleInt(g.bitGen, size, 1, idx);
  return idx;
}
