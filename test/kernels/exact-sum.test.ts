import { describe, expect, it } from 'vitest';
import { limbsToBigInt, limbsToDouble, roundRatio, roundScaled, SUM_BIAS, SUM_LIMBS } from '../../src/kernels/exact-sum.js';
import { rng } from '../helpers.js';

describe('rounding an exact sum once', () => {
  it('limbsToDouble (top limbs + sticky bit) equals BigInt rounding for random signed limbs', () => {
    const r = rng(5);
    for (let trial = 0; trial < 3000; trial++) {
      const limbs = new Float64Array(SUM_LIMBS);
      const top = Math.floor(r() * (SUM_LIMBS - 2));
      const width = 1 + Math.floor(r() * 6);
      for (let k = Math.max(0, top - width); k <= top; k++) {
        // Unnormalized, signed limbs, sometimes exact halves and zero runs (ties and sticky bits).
        const kind = r();
        limbs[k] = kind < 0.2 ? 0 : kind < 0.3 ? 2 ** 31 : Math.floor((r() - 0.4) * 2 ** (20 + r() * 30));
      }
      const { n, exp } = limbsToBigInt(limbs, SUM_BIAS);
      expect(Object.is(limbsToDouble(limbs, SUM_BIAS), roundScaled(n, exp)), `trial ${trial}`).toBe(true);
    }
  });

  it('roundScaled: ties to even, sticky bits, subnormals and overflow', () => {
    expect(roundScaled((1n << 53n) + 1n, 0)).toBe(2 ** 53);
    expect(roundScaled((1n << 53n) + 3n, 0)).toBe(2 ** 53 + 4);
    expect(roundScaled((1n << 53n) + 1n, 0, true)).toBe(2 ** 53 + 2);
    expect(roundScaled(3n, -1076)).toBe(5e-324); // 0.75 of the smallest subnormal rounds up
    expect(roundScaled(1n, -1075)).toBe(0); // exactly half of it: ties to even (0)
    expect(roundScaled(1n, 1024)).toBe(Infinity);
    expect(roundScaled(-((1n << 53n) - 1n), 971)).toBe(-Number.MAX_VALUE);
  });

  it('roundRatio rounds a quotient once', () => {
    expect(roundRatio(1n, 3n, 0)).toBe(1 / 3);
    expect(roundRatio(-2n, 3n, 0)).toBe(-2 / 3);
    expect(roundRatio(10n ** 30n + 1n, 10n ** 30n, 0)).toBe(1);
    expect(roundRatio(1n, 10n, -1074)).toBe(0); // 0.1 of the smallest subnormal
  });
});
