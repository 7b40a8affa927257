import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nnls, nnlsGram } from '../../src/ml/index.js';
import { RandomState } from '../../src/random/random-state.js';
import { bruteForceNnls as bruteForce, residual } from './nnls-reference.js';

/** Written by test/ml/make-nnls-vectors.py: scipy.optimize.nnls on random problems. */
interface Vectors {
  scipy: string;
  cases: { seed: number; kind: string; A: number[][]; b: number[]; x: number[]; rnorm: number }[];
}
const V = JSON.parse(readFileSync(fileURLToPath(new URL('./nnls-vectors.json', import.meta.url)), 'utf8')) as Vectors;

describe(`nnls equals scipy ${V.scipy}'s optimize.nnls`, () => {
  for (const c of V.cases) {
    it(`${c.kind} problem, seed ${c.seed}, ${c.b.length} × ${c.A.length} (${c.x.filter((v) => v === 0).length} active constraints)`, () => {
      const A = c.A.map((col) => Float64Array.from(col)), b = Float64Array.from(c.b);
      const x = nnls(A, b);
      const scale = Math.max(1, ...c.x.map(Math.abs));
      // The collinear case's two columns differ by 1e-4: the normal equations lose ~8 digits there.
      const tolerance = c.kind === 'collinear' ? 1e-4 : 1e-9;
      expect(Math.max(...Array.from(x, (v, j) => Math.abs(v - c.x[j]!))) / scale).toBeLessThan(tolerance);
      expect(Array.from(x, (v) => v === 0)).toEqual(c.x.map((v) => v === 0));
      expect(residual(A, b, x)).toBeCloseTo(c.rnorm, c.kind === 'collinear' ? 6 : 9);
    });
  }
});

describe('nnls', () => {
  it('equals a brute-force search over the free sets on small random problems', () => {
    const rs = new RandomState(11);
    for (let trial = 0; trial < 40; trial++) {
      const k = 1 + (trial % 5), n = 8 + trial;
      const A = Array.from({ length: k }, () => Float64Array.from(rs.normal(0, 1, n)));
      const b = Float64Array.from(rs.normal(0, 1, n));
      const x = nnls(A, b), want = bruteForce(A, b);
      expect(x.every((v) => v >= 0)).toBe(true);
      expect(Math.max(...Array.from(x, (v, j) => Math.abs(v - want[j]!)))).toBeLessThan(1e-10);
    }
  });

  it('leaves an exact copy of a column at 0 (singular passive system) and still fits', () => {
    const a = Float64Array.of(1, 2, 3, 4), d = Float64Array.of(1, 0, 1, 0);
    const x = nnls([a, a, d], Float64Array.of(2, 4, 7, 8));
    expect(x[0]! * x[1]!).toBe(0);
    expect(residual([a, a, d], Float64Array.of(2, 4, 7, 8), x)).toBeLessThan(residual([a, d], Float64Array.of(2, 4, 7, 8), [1.9, 0]));
  });

  it('refuses non-finite input and mismatched sizes, naming the entry', () => {
    expect(() => nnlsGram(Float64Array.of(1, NaN, 0, 1), Float64Array.of(1, 1))).toThrow(/nnls: G\[0\]\[1\] is NaN/);
    expect(() => nnls([Float64Array.of(1, 2)], Float64Array.of(1, 2, 3))).toThrow(/nnls: A\[0\] has 2 rows, b has 3/);
  });
});
