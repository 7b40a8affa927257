/**
 * Data and fits for the course unit's cross-validation scenarios (3: 10-fold CV of a random
 * forest via client.map; 5A: folds × methods in nested loops). Workers import this module to
 * find the tasks: it does no work at the top level.
 */
import { threadId } from 'node:worker_threads';
import { RandomForestRegression } from 'ml-random-forest';
import * as ddf from 'dusk';
import { Generator, PCG64 } from 'dusk/random';

/** The simulated data set: X is n × p, row-major. */
export interface CvData {
  n: number;
  p: number;
  X: Float64Array;
  y: Float64Array;
  /** The fold (0 … nFolds−1) of each row. */
  folds: Int32Array;
}

/**
 * The unit's data: X ~ N(0, 1) (n × p), Y = X1 + sqrt(|X2·X3|) + X2 − X3 + N(0, 1), and
 * folds = permutation(repeat(0:nFolds, n / nFolds)); deterministic from the seed.
 */
export function makeCvData(seed = 1, n = 1000, p = 50, nFolds = 10): CvData {
  const g = new Generator(new PCG64(seed));
  const X = g.normal(0, 1, n * p);
  const noise = g.normal(0, 1, n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x1 = X[i * p]!, x2 = X[i * p + 1]!, x3 = X[i * p + 2]!;
    y[i] = x1 + Math.sqrt(Math.abs(x2 * x3)) + x2 - x3 + noise[i]!;
  }
  const folds = Int32Array.from(g.permutation(Float64Array.from({ length: n }, (_, i) => i % nFolds)));
  return { n, p, X, y, folds };
}

/** Rows of X (as number[][], what ml-random-forest takes) and their y, split by fold. */
function split(X: Float64Array, y: Float64Array, folds: Int32Array, p: number, fold: number) {
  const train: number[][] = [], trainY: number[] = [], test: number[][] = [], testY: number[] = [], testIdx: number[] = [];
  for (let i = 0; i < folds.length; i++) {
    const row = Array.from(X.subarray(i * p, (i + 1) * p));
    if (folds[i] === fold) {
      test.push(row);
      testY.push(y[i]!);
      testIdx.push(i);
    } else {
      train.push(row);
      trainY.push(y[i]!);
    }
  }
  return { train, trainY, test, testY, testIdx };
}

export interface FoldResult {
  fold: number;
  method: Method;
  /** Rows of the test fold and their predictions (to put back in the order of the data). */
  testIdx: number[];
  predictions: number[];
  mse: number;
  seconds: number;
  /** Worker thread id (0 = the calling thread) and process id. */
  threadId: number;
  pid: number;
}

export type Method = 'mean' | 'ols' | 'rf';

/** Ordinary least squares with an intercept (normal equations, Cholesky). */
function olsPredict(train: number[][], trainY: number[], test: number[][]): number[] {
  const k = train[0]!.length + 1;
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let r = 0; r < train.length; r++) {
    const row = [1, ...train[r]!];
    for (let i = 0; i < k; i++) {
      b[i]! += row[i]! * trainY[r]!;
      for (let j = 0; j <= i; j++) A[i * k + j]! += row[i]! * row[j]!;
    }
  }
  // A = L Lᵀ (lower triangle), then solve L z = b and Lᵀ β = z.
  for (let j = 0; j < k; j++) {
    let d = A[j * k + j]!;
    for (let m = 0; m < j; m++) d -= A[j * k + m]! ** 2;
    A[j * k + j] = Math.sqrt(d);
    for (let i = j + 1; i < k; i++) {
      let s = A[i * k + j]!;
      for (let m = 0; m < j; m++) s -= A[i * k + m]! * A[j * k + m]!;
      A[i * k + j] = s / A[j * k + j]!;
    }
  }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i]!;
    for (let m = 0; m < i; m++) s -= A[i * k + m]! * z[m]!;
    z[i] = s / A[i * k + i]!;
  }
  const beta = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let m = i + 1; m < k; m++) s -= A[m * k + i]! * beta[m]!;
    beta[i] = s / A[i * k + i]!;
  }
  return test.map((row) => row.reduce((s, v, i) => s + v * beta[i + 1]!, beta[0]!));
}

/** Fits one method on every fold but `fold` and predicts that fold. */
export function fitFold(data: Pick<CvData, 'X' | 'y' | 'folds' | 'p'>, fold: number, method: Method, trees = 8): FoldResult {
  const t0 = performance.now();
  const { train, trainY, test, testY, testIdx } = split(data.X, data.y, data.folds, data.p, fold);
  let predictions: number[];
  if (method === 'mean') {
    const m = trainY.reduce((a, v) => a + v, 0) / trainY.length;
    predictions = test.map(() => m);
  } else if (method === 'ols') {
    predictions = olsPredict(train, trainY, test);
  } else {
    // ml-random-forest's trees try every split point (O(rows²) per feature): keep them small.
    const model = new RandomForestRegression({
      nEstimators: trees,
      maxFeatures: 0.2,
      replacement: false,
      useSampleBagging: true,
      noOOB: true,
      seed: 1000 + fold,
      treeOptions: { maxDepth: 5, minNumSamples: 5 },
    });
    model.train(train, trainY);
    predictions = model.predict(test);
  }
  const mse = predictions.reduce((s, v, i) => s + (v - testY[i]!) ** 2, 0) / predictions.length;
  return { fold, method, testIdx, predictions, mse, seconds: (performance.now() - t0) / 1000, threadId, pid: process.pid };
}

/** One map item of scenario 3: the fold, and the data (scattered once to the workers). */
export interface CvItem {
  fold: number;
  X: Float64Array;
  y: Float64Array;
  folds: Int32Array;
  p: number;
  trees: number;
}

/** The unit's cv_fit(fold_idx): a random forest trained without the fold, predicting it. */
export const cvFit = ddf.task(import.meta.url, function cvFit(item: CvItem): FoldResult {
  return fitFold(item, item.fold, 'rf', item.trees);
});

/** Scenario 5A: one (fold, method) fit; data arrives as scattered (shared) arrays. */
export const fitMethod = ddf.task(import.meta.url, function fitMethod(fold: number, method: Method, X: Float64Array, y: Float64Array, folds: Int32Array, p: number): FoldResult {
  return fitFold({ X, y, folds, p }, fold, method, 5);
});
