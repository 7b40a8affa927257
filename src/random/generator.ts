import type { BitGenerator } from './bit-generator.js';
import { boundedUint, boundedUintBig } from './bounded-integers.js';
import { checkProbabilities, choiceIndices } from './choice.js';
import { beta as betaSample } from './distributions/beta.js';
import { binomial as binomialSample } from './distributions/binomial.js';
import { gammaMinDraws, standardGamma as gammaSample } from './distributions/gamma.js';
import { poisson as poissonSample } from './distributions/poisson.js';
import {
  fillStandardExponential, fillStandardNormal, standardExponential as expSample, standardNormal as normSample,
} from './distributions/ziggurat.js';
import { DuskRandomError } from './errors.js';
import { PCG64 } from './pcg64.js';
import { shuffleInPlace, type Shuffleable } from './permute.js';
import { RawSource } from './raw-source.js';
import { binomialArgs, checkSize, gammaArgs, nonNegative, poissonLam, positive, toInt } from './validate.js';

/** Integer dtypes of Generator.integers and the JavaScript types they come back as. */
export type IntDtype = 'int64' | 'int32' | 'uint32' | 'bigint64';
export interface IntArrayOf { int64: Float64Array; int32: Int32Array; uint32: Uint32Array; bigint64: BigInt64Array }
export interface IntScalarOf { int64: number; int32: number; uint32: number; bigint64: bigint }

const INT_BOUNDS: Record<IntDtype, [bigint, bigint, string]> = {
  int64: [-(1n << 63n), (1n << 63n) - 1n, 'int64'],
  bigint64: [-(1n << 63n), (1n << 63n) - 1n, 'int64'],
  int32: [-(1n << 31n), (1n << 31n) - 1n, 'int32'],
  uint32: [0n, (1n << 32n) - 1n, 'uint32'],
};

/** numpy's size/dtype/out rules for the methods that take `out`. */
function outSize(size: number | undefined, dtype: string, out: Float64Array | undefined): number | undefined {
  if (dtype !== 'float64') {
    throw new DuskRandomError(`Unsupported dtype ${JSON.stringify(dtype)}: only 'float64' is implemented`, 'TypeError');
  }
  const n = checkSize(size);
  if (out === undefined) return n;
  if (!(out instanceof Float64Array)) throw new DuskRandomError('Supplied output array is not a Float64Array', 'TypeError');
  if (n !== undefined && n !== out.length) {
    throw new DuskRandomError(`size must match out.length (size ${n}, out.length ${out.length})`);
  }
  return out.length;
}

function toBigInt(v: number | bigint, name: string): bigint {
  return typeof v === 'bigint' ? v : BigInt(toInt(v, name));
}

/**
 * numpy's Generator: distributions on top of a bit generator, bit-identical to
 * numpy.random.Generator. Methods take numpy's positional arguments in numpy's order.
 * With `size` undefined a method returns one value; with a count it returns a typed array.
 */
export class Generator {
  readonly bitGenerator: BitGenerator;
  private readonly src: RawSource;

  constructor(bitGenerator: BitGenerator = new PCG64()) {
    this.bitGenerator = bitGenerator;
    this.src = new RawSource(bitGenerator);
  }

  /** numpy's Generator.spawn: independent child generators from the bit generator's SeedSequence. */
  spawn(nChildren: number): Generator[] {
    return this.bitGenerator.spawn(nChildren).map((bg) => new Generator(bg));
  }

  private done(): void {
    // Read-ahead must end exactly where numpy's draws end (see RawSource).
    if (!this.src.drained) throw new DuskRandomError('internal error: random stream read ahead');
  }

  private fill(size: number, minDraws: number, one: (src: RawSource) => number): Float64Array {
    const out = new Float64Array(size);
    const src = this.src;
    for (let i = 0; i < size; i++) {
      src.budget = minDraws * (size - i);
      out[i] = one(src);
    }
    src.budget = 1;
    this.done();
    return out;
  }

  private scalar(one: (src: RawSource) => number): number {
    this.src.budget = 1;
    const v = one(this.src);
    this.done();
    return v;
  }

  /**
   * Uniform doubles in [0, 1) (numpy's random(size, dtype, out)). Passing `out` fills that
   * array instead of allocating one, as numpy's out= does (only float64 is supported).
   */
  random(size?: undefined, dtype?: 'float64'): number;
  random(size: number | undefined, dtype: 'float64' | undefined, out: Float64Array): Float64Array;
  random(size: number, dtype?: 'float64', out?: Float64Array): Float64Array;
  random(size?: number, dtype: 'float64' = 'float64', out?: Float64Array): number | Float64Array {
    const n = outSize(size, dtype, out);
    if (n === undefined) return this.bitGenerator.nextDouble();
    const res = out ?? new Float64Array(n);
    this.bitGenerator.fillDoubles(res, 0, n);
    return res;
  }

  /**
   * Integers in [low, high) (or [low, high] with endpoint), numpy's Lemire-based algorithm.
   * dtype 'int64' (numpy's default) returns numbers / Float64Array and needs |low|, |high| ≤
   * 2**53 - 1; 'bigint64' is the same int64 stream as bigint / BigInt64Array for any range.
   */
  integers<D extends IntDtype = 'int64'>(
    low: number | bigint, high?: number | bigint | null, size?: undefined, dtype?: D, endpoint?: boolean,
  ): IntScalarOf[D];
  integers<D extends IntDtype = 'int64'>(
    low: number | bigint, high: number | bigint | null | undefined, size: number, dtype?: D, endpoint?: boolean,
  ): IntArrayOf[D];
  integers(
    low: number | bigint, high?: number | bigint | null, size?: number, dtype: IntDtype = 'int64', endpoint = false,
  ): number | bigint | Float64Array | Int32Array | Uint32Array | BigInt64Array {
    if (!(dtype in INT_BOUNDS)) throw new DuskRandomError(`Unsupported dtype ${String(dtype)} for integers`, 'TypeError');
    const n = checkSize(size);
    if (n === 0) {
      // numpy returns an empty array for size 0 before looking at the bounds.
      return dtype === 'bigint64' ? new BigInt64Array(0) : dtype === 'int32' ? new Int32Array(0)
        : dtype === 'uint32' ? new Uint32Array(0) : new Float64Array(0);
    }
    if (high === undefined || high === null) {
      high = low;
      low = 0;
    }
    const lo = toBigInt(low, 'low');
    let hi = toBigInt(high, 'high');
    if (!endpoint) hi -= 1n;
    const [min, max, name] = INT_BOUNDS[dtype];
    if (lo < min) throw new DuskRandomError(`low is out of bounds for ${name} (low=${lo})`);
    if (hi > max) throw new DuskRandomError(`high is out of bounds for ${name} (high=${hi}${endpoint ? '' : ' after excluding the endpoint'})`);
    if (lo > hi) throw new DuskRandomError(endpoint ? `low > high (${lo} > ${hi})` : `low >= high (${lo} >= ${hi + 1n})`);
    if (dtype === 'int64' && (lo < -(2n ** 53n - 1n) || hi > 2n ** 53n - 1n)) {
      throw new DuskRandomError(
        `integers: bounds beyond ±(2**53 - 1) cannot be returned exactly as numbers; use dtype 'bigint64'`,
      );
    }
    const bg = this.bitGenerator;
    const rng = hi - lo;
    if (dtype === 'bigint64') {
      if (n === undefined) return lo + boundedUintBig(bg, rng);
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) out[i] = lo + boundedUintBig(bg, rng);
      return out;
    }
    const off = Number(lo);
    const r = Number(rng);
    if (n === undefined) return off + boundedUint(bg, r);
    const out = dtype === 'int32' ? new Int32Array(n) : dtype === 'uint32' ? new Uint32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = off + boundedUint(bg, r);
    return out;
  }

  /** Uniform doubles in [low, high): low + (high - low) * U, as numpy computes it. */
  uniform(low?: number, high?: number, size?: undefined): number;
  uniform(low: number | undefined, high: number | undefined, size: number): Float64Array;
  uniform(low = 0.0, high = 1.0, size?: number): number | Float64Array {
    const n = checkSize(size);
    const range = high - low;
    if (!Number.isFinite(range)) {
      throw new DuskRandomError(`high - low range exceeds valid bounds (low=${low}, high=${high})`, 'OverflowError');
    }
    nonNegative(range, 'high - low');
    if (n === undefined) return low + range * this.bitGenerator.nextDouble();
    const out = new Float64Array(n);
    this.bitGenerator.fillDoubles(out, 0, n);
    for (let i = 0; i < n; i++) out[i] = low + range * out[i]!;
    return out;
  }

  /** Standard normals by numpy's ziggurat; `out` as in random(). */
  standardNormal(size?: undefined, dtype?: 'float64'): number;
  standardNormal(size: number | undefined, dtype: 'float64' | undefined, out: Float64Array): Float64Array;
  standardNormal(size: number, dtype?: 'float64', out?: Float64Array): Float64Array;
  standardNormal(size?: number, dtype: 'float64' = 'float64', out?: Float64Array): number | Float64Array {
    const n = outSize(size, dtype, out);
    if (n === undefined) return this.scalar(normSample);
    const res = out ?? new Float64Array(n);
    fillStandardNormal(this.src, res, 0, 1, true);
    this.done();
    return res;
  }

  /** Normal(loc, scale): loc + scale * standard_normal (ziggurat). */
  normal(loc?: number, scale?: number, size?: undefined): number;
  normal(loc: number | undefined, scale: number | undefined, size: number): Float64Array;
  normal(loc = 0.0, scale = 1.0, size?: number): number | Float64Array {
    nonNegative(scale, 'scale');
    const n = checkSize(size);
    if (n === undefined) return loc + scale * this.scalar(normSample);
    const out = new Float64Array(n);
    fillStandardNormal(this.src, out, loc, scale, false);
    this.done();
    return out;
  }

  /** Standard exponentials by numpy's ziggurat (method='zig'); `out` as in random(). */
  standardExponential(size?: undefined, dtype?: 'float64'): number;
  standardExponential(size: number | undefined, dtype: 'float64' | undefined, out: Float64Array): Float64Array;
  standardExponential(size: number, dtype?: 'float64', out?: Float64Array): Float64Array;
  standardExponential(size?: number, dtype: 'float64' = 'float64', out?: Float64Array): number | Float64Array {
    const n = outSize(size, dtype, out);
    if (n === undefined) return this.scalar(expSample);
    const res = out ?? new Float64Array(n);
    fillStandardExponential(this.src, res, 1, true);
    this.done();
    return res;
  }

  exponential(scale?: number, size?: undefined): number;
  exponential(scale: number | undefined, size: number): Float64Array;
  exponential(scale = 1.0, size?: number): number | Float64Array {
    nonNegative(scale, 'scale');
    const n = checkSize(size);
    if (n === undefined) return scale * this.scalar(expSample);
    const out = new Float64Array(n);
    fillStandardExponential(this.src, out, scale, false);
    this.done();
    return out;
  }

  standardGamma(shape: number, size?: undefined): number;
  standardGamma(shape: number, size: number): Float64Array;
  standardGamma(shape: number, size?: number): number | Float64Array {
    nonNegative(shape, 'shape');
    const n = checkSize(size);
    const one = (src: RawSource): number => gammaSample(src, shape);
    return n === undefined ? this.scalar(one) : this.fill(n, gammaMinDraws(shape), one);
  }

  gamma(shape: number, scale?: number, size?: undefined): number;
  gamma(shape: number, scale: number | undefined, size: number): Float64Array;
  gamma(shape: number, scale = 1.0, size?: number): number | Float64Array {
    gammaArgs(shape, scale);
    const n = checkSize(size);
    const one = (src: RawSource): number => scale * gammaSample(src, shape);
    return n === undefined ? this.scalar(one) : this.fill(n, gammaMinDraws(shape), one);
  }

  beta(a: number, b: number, size?: undefined): number;
  beta(a: number, b: number, size: number): Float64Array;
  beta(a: number, b: number, size?: number): number | Float64Array {
    positive(a, 'a');
    positive(b, 'b');
    const n = checkSize(size);
    const one = (src: RawSource): number => betaSample(src, a, b);
    return n === undefined ? this.scalar(one) : this.fill(n, 1, one);
  }

  /** Poisson counts (numpy returns int64; here exact integers as numbers). */
  poisson(lam?: number, size?: undefined): number;
  poisson(lam: number | undefined, size: number): Float64Array;
  poisson(lam = 1.0, size?: number): number | Float64Array {
    poissonLam(lam);
    const n = checkSize(size);
    const one = (src: RawSource): number => poissonSample(src, lam);
    return n === undefined ? this.scalar(one) : this.fill(n, lam === 0 ? 0 : 1, one);
  }

  /** Binomial counts; n is truncated to an integer as numpy's int64 cast does. */
  binomial(n: number, p: number, size?: undefined): number;
  binomial(n: number, p: number, size: number): Float64Array;
  binomial(n: number, p: number, size?: number): number | Float64Array {
    const trials = binomialArgs(n, p);
    const count = checkSize(size);
    const one = (src: RawSource): number => binomialSample(src, trials, p);
    return count === undefined ? this.scalar(one) : this.fill(count, trials === 0 || p === 0 ? 0 : 1, one);
  }

  /**
   * numpy's choice(a, size, replace, p, axis, shuffle) for a 1-D population: `a` is a count
   * (draw indices) or an array (draw its elements). Only axis 0 exists for 1-D data.
   */
  choice(a: number, size?: undefined, replace?: boolean, p?: ArrayLike<number>, axis?: 0, shuffle?: boolean): number;
  choice(a: number, size: number, replace?: boolean, p?: ArrayLike<number>, axis?: 0, shuffle?: boolean): Float64Array;
  choice<T>(a: ArrayLike<T>, size?: undefined, replace?: boolean, p?: ArrayLike<number>, axis?: 0, shuffle?: boolean): T;
  choice<T>(a: ArrayLike<T>, size: number, replace?: boolean, p?: ArrayLike<number>, axis?: 0, shuffle?: boolean): T[];
  choice<T>(
    a: number | ArrayLike<T>, size?: number, replace = true, p?: ArrayLike<number>, axis: 0 = 0, shuffle = true,
  ): number | Float64Array | T | T[] {
    if (axis !== 0) throw new DuskRandomError(`axis ${String(axis)} is out of bounds for a 1-dimensional population`);
    const n = checkSize(size);
    const count = n ?? 1;
    let popSize: number;
    if (typeof a === 'number') {
      if (!Number.isInteger(a)) throw new DuskRandomError(`a must be a sequence or an integer, not ${a}`);
      popSize = a;
      if (popSize <= 0 && count !== 0) {
        throw new DuskRandomError(`a must be a positive integer unless no samples are taken (a=${a})`);
      }
    } else {
      popSize = a.length;
      if (popSize === 0 && count !== 0) throw new DuskRandomError('a cannot be empty unless no samples are taken');
    }
    const probs = p === undefined ? undefined : checkProbabilities(p, popSize);
    const idx = choiceIndices(
      {
        bitGen: this.bitGenerator,
        random: (k) => this.random(k),
        integers: (high, k) => this.integers(0, high, k),
      },
      popSize, count, replace, probs, shuffle,
    );
    if (typeof a === 'number') return n === undefined ? idx[0]! : idx;
    const picked = Array.from(idx, (i) => a[i]!);
    return n === undefined ? picked[0]! : picked;
  }

  /** Shuffle a 1-D array in place (numpy's Generator.shuffle). */
  shuffle<T>(x: Shuffleable<T>): void {
    shuffleInPlace(this.bitGenerator, x as { length: number; [i: number]: T });
  }

  /** A shuffled copy of `x`, or of 0..x-1 when `x` is a count (numpy's permutation). */
  permutation(x: number): Float64Array;
  permutation<A extends Shuffleable<unknown>>(x: A): A;
  permutation<T>(x: number | Shuffleable<T>): Float64Array | Shuffleable<T> {
    if (typeof x === 'number') {
      const n = checkSize(toInt(x, 'x'));
      const arr = new Float64Array(n ?? 0);
      for (let i = 0; i < arr.length; i++) arr[i] = i;
      this.shuffle(arr);
      return arr;
    }
    const copy = x.slice() as Shuffleable<T>;
    this.shuffle(copy);
    return copy;
  }
}
