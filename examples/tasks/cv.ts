/**
 * The course unit's simulated data for its cross-validation scenarios (1A, 3, 5A), made exactly
 * as the unit's Python makes it (numpy's legacy RandomState, which dusk/random reproduces to the
 * bit):
 *
 *   np.random.seed(1)
 *   X = np.random.normal(size = (n, p))
 *   Y = X1 + sqrt(|X2 · X3|) + X2 − X3 + np.random.normal(size = n)
 *   folds = np.random.permutation(np.repeat(np.arange(n_folds), n / n_folds))
 */
import { RandomState } from 'dusk/random';

export interface CvData {
  n: number;
  p: number;
  /** The features, one Float64Array column each (what ddf.ml takes). */
  X: Float64Array[];
  y: Float64Array;
  /** The fold (0 … nFolds−1) of each row. */
  folds: Int32Array;
}

/** The unit's data set (n = 1000, p = 50, 10 folds by default), deterministic from the seed. */
export function makeCvData(seed = 1, n = 1000, p = 50, nFolds = 10): CvData {
  if (n % nFolds !== 0) throw new Error(`makeCvData: n = ${n} is not a multiple of nFolds = ${nFolds} (the unit repeats each fold n / nFolds times)`);
  const rs = new RandomState(seed);
  const flat = rs.normal(0, 1, n * p); // row-major, as numpy fills an (n, p) array
  const X = Array.from({ length: p }, (_, j) => Float64Array.from({ length: n }, (_, i) => flat[i * p + j]!));
  const noise = rs.normal(0, 1, n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x1 = X[0]![i]!, x2 = X[1]![i]!, x3 = X[2]![i]!;
    y[i] = x1 + Math.sqrt(Math.abs(x2 * x3)) + x2 - x3 + noise[i]!;
  }
  const repeated = Int32Array.from({ length: n }, (_, i) => Math.floor(i / (n / nFolds))); // np.repeat(arange(k), n / k)
  const folds = rs.permutation(repeated);
  return { n, p, X, y, folds };
}
