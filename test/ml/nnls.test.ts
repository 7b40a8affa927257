import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nnls, nnlsGram } from '../../src/ml/index.js';
import { RandomState } from '../../src/random/random-state.js';

/** Written by test/ml/make-nnls-vectors.py: scipy.optimize.nnls on random problems. */
interface Vectors {
  scipy: string;
  cases: { seed: number; kind: string; A: number[][]; b: number[]; x: number[]; rnorm: number }[];
}
const V = JSON.parse(readFileSync(fileURLToPath(new URL('./nnls-vectors.json', import.meta.url)), 'utf8')) as Vectors;

function residual(A: readonly Float64Array[], b: Float64Array, x: ArrayLike<number>): number {
  let s = 0;
  for (let r = 0; r < b.length; r++) {
    let v = -b[r]!;
    A.forEach((column, j) => (v += column[r]! * x[j]!));
    s += v * v;
  }
  return Math.sqrt(s);
}

/** By enumeration: for every set of free columns, the unconstrained fit (Gaussian elimination); the best feasible one. */
function bruteForce(A: readonly Float64Array[], b: Float64Array): Float64Array {
  const k = A.length;
  let best = new Float64Array(k), bestR = residual(A, b, best);
  for (let mask = 1; mask < 1 << k; mask++) {
    const idx = [...Array(k).keys()].filter((j) => mask & (1 << j));
    const m = idx.length;
    const M = idx.map((i) => [...idx.map((j) => A[i]!.reduce((s, v, r) => s + v * A[j]![r]!, 0)), A[i]!.reduce((s, v, r) => s + v * b[r]!, 0)]);
    let singular = false;
    for (let p = 0; p < m; p++) {
      let piv = p;
      for (let r = p + 1; r < m; r++) if (Math.abs(M[r]![p]!) > Math.abs(M[piv]![p]!)) piv = r;
      [M[p], M[piv]] = [M[piv]!, M[p]!];
      if (Math.abs(M[p]![p]!) < 1e-300) { singular = true; break; }
      for (let r = 0; r < m; r++) {
        if (r === p) continue;
        const f = M[r]![p]! / M[p]![p]!;
        for (let c = p; c <= m; c++) M[r]![c]! -= f * M[p]![c]!;
      }
    }
    if (singular) continue;
    const x = new Float64Array(k);
    idx.forEach((j, a) => (x[j] = M[a]![m]! / M[a]![a]!));
    if (x.some((v) => v < 0)) continue;
    const r = residual(A, b, x);
    if (r < bestR) (best = x), (bestR = r);
  }
  return best;
}

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
