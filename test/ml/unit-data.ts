/** The course unit's data, as numpy makes it (RandomState is bit-exact to numpy's). */
import { RandomState } from '../../src/random/random-state.js';

/**
 * rs = RandomState(seed); X = rs.normal(size=(n, p)) (as columns here);
 * y = X1 + sqrt(|X2·X3|) + X2 − X3 + rs.normal(size=n).
 */
export function unitData(seed: number, n: number, p: number): { X: Float64Array[]; y: Float64Array } {
  const rs = new RandomState(seed);
  const flat = rs.normal(0, 1, n * p);
  const X = Array.from({ length: p }, (_, j) => Float64Array.from({ length: n }, (_, i) => flat[i * p + j]!));
  const noise = rs.normal(0, 1, n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x1 = X[0]![i]!, x2 = X[1]![i]!, x3 = X[2]![i]!;
    y[i] = x1 + Math.sqrt(Math.abs(x2 * x3)) + x2 - x3 + noise[i]!;
  }
  return { X, y };
}
