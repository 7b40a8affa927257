import type { BitGenerator } from './bit-generator.js';
import { randomInterval } from './bounded-integers.js';
import { checkProbabilities, choiceIndices } from './choice.js';
import { legacyBinomial } from './distributions/binomial.js';
import { type GammaSources, standardGammaFrom } from './distributions/gamma.js';
import { poisson as poissonSample } from './distributions/poisson.js';
import { DuskRandomError } from './errors.js';
import { log, sqrt } from './libm.js';
import { MT19937, type LegacySeed } from './mt19937.js';
import { shuffleInPlace, type Shuffleable } from './permute.js';
import { RawSource } from './raw-source.js';
import { binomialArgs, checkSize, gammaArgs, nonNegative, poissonLam, toInt } from './validate.js';

export type { LegacySeed } from './mt19937.js';

/** Integer dtypes of RandomState.randint and the JavaScript types they come back as. */
export type RandintDtype = 'int64' | 'int32';
export interface RandintArrayOf { int64: Float64Array; int32: Int32Array }

const RANDINT_BOUNDS: Record<RandintDtype, [bigint, bigint]> = {
  // int64 results come back as numbers, so they must be exact doubles.
  int64: [-(2n ** 53n - 1n), 2n ** 53n - 1n],
  int32: [-(1n << 31n), (1n << 31n) - 1n],
};

/** The legacy RandomState state: the MT19937 key and position plus the cached Gaussian. */
export interface RandomStateState {
  key: Uint32Array;
  pos: number;
  hasGauss: boolean;
  gauss: number;
}

/**
 * numpy's legacy bounded integer in [0, rng] (random_bounded_uint64 with use_masked = true):
 * rejection on 32-bit draws masked to the smallest all-ones mask ≥ rng, or on 64-bit draws
 * for wider ranges.
 */
function maskedBounded(bg: BitGenerator, rng: bigint): number {
  if (rng === 0n) return 0;
  if (rng === 0xffffffffn) return bg.next32();
  // random_interval is exactly the masked rejection, for both widths.
  return randomInterval(bg, Number(rng));
}

/**
 * numpy's legacy `RandomState`: MT19937 with the legacy seeding, and the legacy samplers
 * (polar Gaussian with a cached second value, masked bounded integers, -log(1 - U)
 * exponentials, ...), bit-identical to numpy.random.RandomState and so to the module-level
 * `np.random.seed(s); np.random.normal(...)` functions. With `size` undefined a method
 * returns one value; with a count it returns a typed array.
 */
export class RandomState {
  readonly bitGenerator: BitGenerator;
  // No read-ahead (budget stays 1): every draw is fetched as numpy makes it.
  private readonly src: RawSource;
  private hasGauss = false;
  private gaussValue = 0;

  /** `seed`: an integer in [0, 2**32 - 1], an array of them, a bit generator, or nothing (fresh entropy). */
  constructor(seed?: LegacySeed | BitGenerator) {
    if (seed !== undefined && typeof seed === 'object' && 'next32' in seed) {
      this.bitGenerator = seed;
    } else {
      const mt = new MT19937();
      if (seed !== undefined) mt.legacySeeding(seed);
      this.bitGenerator = mt;
    }
    this.src = new RawSource(this.bitGenerator);
  }

  /** Reseed in place as np.random.seed does (the Gaussian cache is cleared). */
  seed(seed?: LegacySeed): void {
    if (!(this.bitGenerator instanceof MT19937)) {
      throw new DuskRandomError('can only re-seed a MT19937 BitGenerator', 'TypeError');
    }
    if (seed === undefined) this.bitGenerator.state = new MT19937().state;
    else this.bitGenerator.legacySeeding(seed);
    this.hasGauss = false;
    this.gaussValue = 0;
  }

  /** numpy's get_state() as an object (MT19937 only). */
  getState(): RandomStateState {
    if (!(this.bitGenerator instanceof MT19937)) throw new DuskRandomError('getState needs a MT19937 bit generator', 'TypeError');
    const s = this.bitGenerator.state.state;
    return { key: s.key, pos: s.pos, hasGauss: this.hasGauss, gauss: this.gaussValue };
  }

  /** numpy's set_state(): restores the generator and the Gaussian cache. */
  setState(state: RandomStateState): void {
    if (!(this.bitGenerator instanceof MT19937)) throw new DuskRandomError('setState needs a MT19937 bit generator', 'TypeError');
    this.bitGenerator.state = { bitGenerator: 'MT19937', state: { key: state.key, pos: state.pos } };
    this.hasGauss = Boolean(state.hasGauss);
    this.gaussValue = this.hasGauss ? state.gauss : 0;
  }

  private fill(size: number, one: () => number): Float64Array {
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = one();
    return out;
  }

  private many(size: number | undefined, one: () => number): number | Float64Array {
    const n = checkSize(size);
    return n === undefined ? one() : this.fill(n, one);
  }

  /** legacy_gauss: Marsaglia's polar method; the second value of each pair is kept for the next call. */
  private gauss(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const v = this.gaussValue;
      this.gaussValue = 0;
      return v;
    }
    const bg = this.bitGenerator;
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2.0 * bg.nextDouble() - 1.0;
      x2 = 2.0 * bg.nextDouble() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = sqrt((-2.0 * log(r2)) / r2);
    this.gaussValue = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** legacy_standard_exponential: -log(1 - U). */
  private stdExp(): number {
    return -log(1.0 - this.bitGenerator.nextDouble());
  }

  /** legacy_standard_gamma's draws: −log(1 − U) exponentials and the cached polar Gaussian (its shape > 1 branch). */
  private readonly gammaSources: GammaSources = {
    double: () => this.bitGenerator.nextDouble(),
    standardExponential: () => this.stdExp(),
    standardNormal: () => this.gauss(),
  };

  /** legacy_standard_gamma: the Generator's loops on the legacy draws. */
  private stdGamma(shape: number): number {
    return standardGammaFrom(this.gammaSources, shape);
  }

  /** Uniform doubles in [0, 1) with 53 random bits (numpy's random_sample). */
  randomSample(size?: undefined): number;
  randomSample(size: number): Float64Array;
  randomSample(size?: number): number | Float64Array {
    const n = checkSize(size);
    if (n === undefined) return this.bitGenerator.nextDouble();
    const out = new Float64Array(n);
    this.bitGenerator.fillDoubles(out, 0, n);
    return out;
  }

  /** Alias of randomSample (numpy's RandomState.random). */
  random(size?: undefined): number;
  random(size: number): Float64Array;
  random(size?: number): number | Float64Array {
    return size === undefined ? this.randomSample() : this.randomSample(size);
  }

  /** Standard normals by the legacy polar method. */
  standardNormal(size?: undefined): number;
  standardNormal(size: number): Float64Array;
  standardNormal(size?: number): number | Float64Array {
    return this.many(size, () => this.gauss());
  }

  /** Normal(loc, scale): loc + scale * gauss. */
  normal(loc?: number, scale?: number, size?: undefined): number;
  normal(loc: number | undefined, scale: number | undefined, size: number): Float64Array;
  normal(loc = 0.0, scale = 1.0, size?: number): number | Float64Array {
    nonNegative(scale, 'scale');
    return this.many(size, () => loc + scale * this.gauss());
  }

  /** low + (high - low) * U. As in numpy's RandomState, high < low is allowed (values in (high, low]). */
  uniform(low?: number, high?: number, size?: undefined): number;
  uniform(low: number | undefined, high: number | undefined, size: number): Float64Array;
  uniform(low = 0.0, high = 1.0, size?: number): number | Float64Array {
    if (typeof low !== 'number' || typeof high !== 'number') {
      throw new DuskRandomError('uniform: low and high must be numbers', 'TypeError');
    }
    const range = high - low;
    if (!Number.isFinite(range)) {
      throw new DuskRandomError(`Range exceeds valid bounds (low=${low}, high=${high})`, 'OverflowError');
    }
    return this.many(size, () => low + range * this.bitGenerator.nextDouble());
  }

  /**
   * Integers in [low, high) (or [0, low) without high), numpy's legacy masked rejection.
   * dtype 'int64' (numpy's default int) returns numbers / Float64Array and needs bounds
   * within ±(2**53 - 1); 'int32' returns an Int32Array (the same draws).
   */
  randint<D extends RandintDtype = 'int64'>(low: number, high?: number | null, size?: undefined, dtype?: D): number;
  randint<D extends RandintDtype = 'int64'>(low: number, high: number | null | undefined, size: number, dtype?: D): RandintArrayOf[D];
  randint(low: number, high?: number | null, size?: number, dtype: RandintDtype = 'int64'): number | Float64Array | Int32Array {
    if (!(dtype in RANDINT_BOUNDS)) throw new DuskRandomError(`Unsupported dtype ${String(dtype)} for randint`, 'TypeError');
    const n = checkSize(size);
    if (n === 0) return dtype === 'int32' ? new Int32Array(0) : new Float64Array(0);
    if (high === undefined || high === null) {
      high = low;
      low = 0;
    }
    const lo = BigInt(toInt(low, 'low'));
    const hi = BigInt(toInt(high, 'high')) - 1n;
    const [min, max] = RANDINT_BOUNDS[dtype];
    if (lo < min) throw new DuskRandomError(`low is out of bounds for ${dtype} (low=${lo})`);
    if (hi > max) throw new DuskRandomError(`high is out of bounds for ${dtype} (high=${hi + 1n})`);
    if (lo > hi) throw new DuskRandomError(`low >= high (${lo} >= ${hi + 1n})`);
    const rng = hi - lo;
    const off = Number(lo);
    const bg = this.bitGenerator;
    if (n === undefined) return off + maskedBounded(bg, rng);
    const out = dtype === 'int32' ? new Int32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = off + maskedBounded(bg, rng);
    return out;
  }

  /** Shuffle a 1-D array in place: Fisher–Yates from the end with random_interval, as numpy. */
  shuffle<T>(x: Shuffleable<T>): void {
    if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
      throw new DuskRandomError('shuffle: x must be an array or typed array', 'TypeError');
    }
    shuffleInPlace(this.bitGenerator, x as { length: number; [i: number]: T });
  }

  /** A shuffled copy of `x`, or of 0..x-1 when `x` is a count (numpy's permutation). */
  permutation(x: number): Float64Array;
  permutation<A extends Shuffleable<unknown>>(x: A): A;
  permutation<T>(x: number | Shuffleable<T>): Float64Array | Shuffleable<T> {
    if (typeof x === 'number') {
      if (!Number.isInteger(x)) throw new DuskRandomError(`x must be an integer or at least 1-dimensional (got ${x})`);
      const arr = new Float64Array(checkSize(x) ?? 0);
      for (let i = 0; i < arr.length; i++) arr[i] = i;
      this.shuffle(arr);
      return arr;
    }
    if (x === null || typeof x !== 'object' || typeof x.slice !== 'function') {
      throw new DuskRandomError('x must be an integer or at least 1-dimensional', 'TypeError');
    }
    const copy = x.slice() as Shuffleable<T>;
    this.shuffle(copy);
    return copy;
  }

  /**
   * numpy's legacy choice(a, size, replace, p) for a 1-D population: `a` a count (draw
   * indices) or an array (draw its elements). Without p it draws with randint (replace) or
   * takes the head of a full permutation (no replace), as RandomState does.
   */
  choice(a: number, size?: undefined, replace?: boolean, p?: ArrayLike<number>): number;
  choice(a: number, size: number, replace?: boolean, p?: ArrayLike<number>): Float64Array;
  choice<T>(a: ArrayLike<T>, size?: undefined, replace?: boolean, p?: ArrayLike<number>): T;
  choice<T>(a: ArrayLike<T>, size: number, replace?: boolean, p?: ArrayLike<number>): T[];
  choice<T>(a: number | ArrayLike<T>, size?: number, replace = true, p?: ArrayLike<number>): number | Float64Array | T | T[] {
    const n = checkSize(size);
    const count = n ?? 1;
    let popSize: number;
    if (typeof a === 'number') {
      if (!Number.isInteger(a)) throw new DuskRandomError(`a must be 1-dimensional or an integer (got ${a})`);
      popSize = a;
      if (popSize <= 0 && count !== 0) {
        throw new DuskRandomError(`a must be greater than 0 unless no samples are taken (a=${a})`);
      }
    } else {
      if (a === null || typeof a !== 'object' || typeof a.length !== 'number') {
        throw new DuskRandomError('a must be 1-dimensional or an integer', 'TypeError');
      }
      popSize = a.length;
      if (popSize === 0 && count !== 0) throw new DuskRandomError("'a' cannot be empty unless no samples are taken");
    }
    const probs = p === undefined ? undefined : checkProbabilities(p, popSize);
    let idx: Float64Array;
    if (probs !== undefined) {
      // With p, RandomState and Generator share one algorithm (cdf + searchsorted on random_sample).
      const draws = {
        bitGen: this.bitGenerator,
        random: (k: number) => this.randomSample(k),
        integers: (high: number, k: number) => this.randint(0, high, k),
      };
      idx = choiceIndices(draws, popSize, count, replace, probs, false);
    } else if (replace) {
      idx = count === 0 ? new Float64Array(0) : this.randint(0, popSize, count);
    } else {
      if (count > popSize) {
        throw new DuskRandomError(
          `Cannot take a larger sample than population when 'replace=False' (size ${count} > population ${popSize})`,
        );
      }
      idx = this.permutation(popSize).slice(0, count);
    }
    if (typeof a === 'number') return n === undefined ? idx[0]! : idx;
    const picked = Array.from(idx, (i) => a[i]!);
    return n === undefined ? picked[0]! : picked;
  }

  /** scale * (-log(1 - U)) (legacy_exponential). */
  exponential(scale?: number, size?: undefined): number;
  exponential(scale: number | undefined, size: number): Float64Array;
  exponential(scale = 1.0, size?: number): number | Float64Array {
    nonNegative(scale, 'scale');
    return this.many(size, () => scale * this.stdExp());
  }

  /** Standard exponentials, -log(1 - U). */
  standardExponential(size?: undefined): number;
  standardExponential(size: number): Float64Array;
  standardExponential(size?: number): number | Float64Array {
    return this.many(size, () => this.stdExp());
  }

  /** legacy_standard_gamma. */
  standardGamma(shape: number, size?: undefined): number;
  standardGamma(shape: number, size: number): Float64Array;
  standardGamma(shape: number, size?: number): number | Float64Array {
    nonNegative(shape, 'shape');
    return this.many(size, () => this.stdGamma(shape));
  }

  /** scale * legacy_standard_gamma(shape). */
  gamma(shape: number, scale?: number, size?: undefined): number;
  gamma(shape: number, scale: number | undefined, size: number): Float64Array;
  gamma(shape: number, scale = 1.0, size?: number): number | Float64Array {
    gammaArgs(shape, scale);
    return this.many(size, () => scale * this.stdGamma(shape));
  }

  /** Binomial counts by numpy's legacy_random_binomial (n is truncated to an integer). */
  binomial(n: number, p: number, size?: undefined): number;
  binomial(n: number, p: number, size: number): Float64Array;
  binomial(n: number, p: number, size?: number): number | Float64Array {
    const trials = binomialArgs(n, p);
    return this.many(size, () => legacyBinomial(this.src, trials, p));
  }

  /** Poisson counts (numpy's random_poisson, which legacy_random_poisson calls). */
  poisson(lam?: number, size?: undefined): number;
  poisson(lam: number | undefined, size: number): Float64Array;
  poisson(lam = 1.0, size?: number): number | Float64Array {
    poissonLam(lam);
    return this.many(size, () => poissonSample(this.src, lam));
  }
}
