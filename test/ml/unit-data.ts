/** The course unit's data, as numpy makes it: the examples' own maker (RandomState is bit-exact to numpy's). */
import { makeCvData } from '../../examples/tasks/cv.js';

/**
 * rs = RandomState(seed); X = rs.normal(size=(n, p)) (as columns here);
 * y = X1 + sqrt(|X2·X3|) + X2 − X3 + rs.normal(size=n).
 */
export function unitData(seed: number, n: number, p: number): { X: Float64Array[]; y: Float64Array } {
  const { X, y } = makeCvData(seed, n, p, 1);
  return { X, y };
}
