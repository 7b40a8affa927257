import { describe, expect, it } from 'vitest';
import {
  Generator, MT19937, PCG64, Philox, SeedSequence,
} from '../../src/random/index.js';
import { refuses } from './fixtures.js';

const g = (): Generator => new Generator(new PCG64(1));


describe("numpy's refusals", () => {
  it('an unexpected option is a TypeError naming it and the closest valid one', () => {
    const js = <T>(options: object) => options as T; // what a JavaScript caller can pass
    refuses(() => new SeedSequence(1, js({ spawn_key: [1] })), /^SeedSequence: unknown option 'spawn_key'\. Did you mean 'spawnKey'\?/, 'TypeError');
    refuses(() => new SeedSequence(1, js({ poolsize: 8 })), /unknown option 'poolsize'\. Did you mean 'poolSize'\?/, 'TypeError');
    refuses(() => new Philox(undefined, js({ counter: 1, keys: 2 })), /^Philox: unknown option 'keys'\. Did you mean 'key'\?/, 'TypeError');
    expect(new SeedSequence(1, { spawnKey: [1], poolSize: 8 }).poolSize).toBe(8);
  });

  it('seeds must be non-negative integers', () => {
    refuses(() => new SeedSequence(-1), 'expected non-negative integer');
    refuses(() => new SeedSequence(-1n), 'expected non-negative integer');
    refuses(() => new SeedSequence([1, -2]), 'expected non-negative integer');
    refuses(() => new SeedSequence(1.5), 'SeedSequence expects int or sequence of ints', 'TypeError');
    refuses(() => new SeedSequence(1, { spawnKey: [-1] }), 'expected non-negative integer');
    refuses(() => new PCG64(-3), 'expected non-negative integer');
    refuses(() => new MT19937(2.5), 'SeedSequence expects int', 'TypeError');
    refuses(() => new SeedSequence(1, { poolSize: 3 }), 'The size of the entropy pool should be at least 4');
  });

  it('generateState and spawn check their arguments', () => {
    const ss = new SeedSequence(1);
    refuses(() => ss.generateState(-1), 'negative dimensions are not allowed');
    refuses(() => ss.generateState(2, 'int32' as 'uint32'), 'only support uint32 or uint64');
    refuses(() => ss.spawn(-1), 'must be non-negative');
    refuses(() => ss.spawn(1.5), 'must be an integer', 'TypeError');
  });

  it('integers: low >= high and out-of-range bounds', () => {
    refuses(() => g().integers(5, 5), 'low >= high');
    refuses(() => g().integers(5, 4, undefined, 'int64', true), 'low > high');
    refuses(() => g().integers(-(2n ** 63n) - 1n, 0n, undefined, 'bigint64'), 'low is out of bounds for int64');
    refuses(() => g().integers(0, 2n ** 64n, undefined, 'bigint64'), 'high is out of bounds for int64');
    refuses(() => g().integers(0, 2 ** 31 + 1, 2, 'int32'), 'high is out of bounds for int32');
    refuses(() => g().integers(-1, 5, 2, 'uint32'), 'low is out of bounds for uint32');
    refuses(() => g().integers(0, 2 ** 60), "use dtype 'bigint64'");
    refuses(() => g().integers(Number.NaN, 5), 'cannot convert NaN to integer');
    expect(g().integers(5, 5, undefined, 'int64', true)).toBe(5);
  });

  it('size must be a non-negative integer', () => {
    refuses(() => g().random(-1), 'negative dimensions are not allowed');
    refuses(() => g().random(2.5), 'size must be a non-negative integer', 'TypeError');
    refuses(() => g().normal(0, 1, -2), 'negative dimensions are not allowed');
    refuses(() => g().integers(0, 3, 1.5), 'size must be a non-negative integer', 'TypeError');
    refuses(() => g().permutation(-1), 'negative dimensions are not allowed');
  });

  it('distribution parameters', () => {
    refuses(() => g().normal(0, -1), 'scale < 0');
    refuses(() => g().normal(0, -0), 'scale < 0');
    refuses(() => g().exponential(-1), 'scale < 0');
    refuses(() => g().gamma(-1), 'shape < 0');
    refuses(() => g().gamma(1, -1), 'scale < 0');
    refuses(() => g().standardGamma(-1), 'shape < 0');
    refuses(() => g().beta(0, 1), 'a <= 0');
    refuses(() => g().beta(1, -1), 'b <= 0');
    refuses(() => g().poisson(-1), 'lam < 0 or lam is NaN');
    refuses(() => g().poisson(Number.NaN), 'lam < 0 or lam is NaN');
    refuses(() => g().poisson(1e19), 'lam value too large');
    refuses(() => g().binomial(-1, 0.5), 'n < 0');
    refuses(() => g().binomial(10, 1.5), 'p < 0, p > 1 or p is NaN');
    refuses(() => g().binomial(10, Number.NaN), 'p < 0, p > 1 or p is NaN');
    refuses(() => g().uniform(1, 0, 2), 'high - low < 0');
    refuses(() => g().uniform(0, Infinity), 'high - low range exceeds valid bounds', 'OverflowError');
    // NaN parameters pass through as in numpy.
    expect(Number.isNaN(g().normal(0, Number.NaN))).toBe(true);
  });

  it('choice', () => {
    refuses(() => g().choice(5, 6, false), 'Cannot take a larger sample than population when replace is False');
    refuses(() => g().choice(5, 2, true, [0.1, 0.1, 0.1, 0.1, 0.1]), 'Probabilities do not sum to 1');
    refuses(() => g().choice(5, 2, true, [0.5, 0.5, 0.1, -0.1, 0]), 'Probabilities are not non-negative');
    refuses(() => g().choice(3, 2, true, [0.5, 0.5, Number.NaN]), 'Probabilities contain NaN');
    refuses(() => g().choice(5, 2, true, [0.5, 0.5, 0.0]), 'a and p must have same size');
    refuses(() => g().choice(0, 2), 'a must be a positive integer unless no samples are taken');
    refuses(() => g().choice([], 2), 'a cannot be empty unless no samples are taken');
    refuses(() => g().choice(5, 3, false, [0.5, 0.5, 0, 0, 0]), 'Fewer non-zero entries in p than size');
    expect(g().choice(0, 0)).toHaveLength(0);
  });

  it('bit generator options', () => {
    refuses(() => new Philox(1, { key: 1 }), 'seed and key cannot be both used');
    refuses(() => new Philox(undefined, { key: -1 }), 'key must be positive and less than 2**128.');
    refuses(() => new Philox(1).advance(-1), 'step must be positive and less than 2**256.');
    refuses(() => new PCG64(1).advance(0.5), 'delta must be an integer', 'TypeError');
    refuses(() => new PCG64(1).jumped(1.5), 'jumps must be an integer', 'TypeError');
    const p = new PCG64(1);
    refuses(() => {
      p.state = { ...p.state, bitGenerator: 'MT19937' };
    }, 'state must be for a PCG64 PRNG');
  });
});
