/**
 * Logistic regression with an L2 penalty on the coefficients (not the intercepts): scikit-learn's
 * LogisticRegression(C) objective, ½‖w‖² + C Σ log-loss — binary (one coefficient vector) for 2
 * classes, multinomial (one per class, softmax) for more, as its default lbfgs solver chooses.
 * Solved by Newton's method on the exact Hessian (Cholesky), with step halving while the objective
 * does not decrease: the same optimum as scikit-learn's, to its tolerance.
 */
import { DuskError } from '../core/errors.js';
import { choleskySolve } from './linear.js';
import type { ClassifierMethod } from './method.js';
import { encodeClasses } from './random-forest.js';

export interface LogisticRegressionOptions {
  /** Inverse of the penalty's strength (scikit-learn's C; default 1). */
  C?: number;
  /** Newton iterations at most (default 100). */
  maxIter?: number;
  /** Stop when no parameter moves by more than this (default 1e-10). */
  tol?: number;
}

/** A fitted logistic regression: for each class (one row for binary: the second class's), intercept then p coefficients. */
export interface LogisticModel {
  classes: Float64Array;
  /** Rows of 1 + p numbers: one (binary) or one per class (multinomial), flat. */
  weights: Float64Array;
  nFeatures: number;
}

export function logisticSettings(options: LogisticRegressionOptions) {
  for (const key of Object.keys(options)) if (!['C', 'maxIter', 'tol'].includes(key)) throw new DuskError(`logisticRegression: unknown option '${key}' (options: C, maxIter, tol)`);
  const { C = 1, maxIter = 100, tol = 1e-10 } = options;
  if (typeof C !== 'number' || !(C > 0) || !Number.isFinite(C)) throw new DuskError(`logisticRegression: C must be a finite number > 0, got ${String(C)}`);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new DuskError(`logisticRegression: maxIter must be a positive integer, got ${maxIter}`);
  if (!(tol > 0)) throw new DuskError(`logisticRegression: tol must be > 0, got ${tol}`);
  return { C, maxIter, tol };
}

/** Each row's linear scores: n × rows of weights (row-major). */
function scores(weights: Float64Array, rows: number, X: readonly Float64Array[], n: number): Float64Array {
  const d = X.length + 1, out = new Float64Array(n * rows);
  for (let r = 0; r < rows; r++) {
    const w = weights.subarray(r * d, (r + 1) * d);
    for (let i = 0; i < n; i++) out[i * rows + r] = w[0]!;
    for (let j = 0; j < X.length; j++) {
      const column = X[j]!, wj = w[j + 1]!;
      for (let i = 0; i < n; i++) out[i * rows + r] += wj * column[i]!;
    }
  }
  return out;
}

/** Class probabilities n × K (row-major) from the scores: sigmoid (binary) or softmax. */
function probabilities(z: Float64Array, rows: number, K: number, n: number): Float64Array {
  const out = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    if (rows === 1) {
      const p1 = 1 / (1 + Math.exp(-z[i]!));
      out[i * 2] = 1 - p1;
      out[i * 2 + 1] = p1;
      continue;
    }
    let max = -Infinity, total = 0;
    for (let k = 0; k < K; k++) max = Math.max(max, z[i * K + k]!);
    for (let k = 0; k < K; k++) total += out[i * K + k] = Math.exp(z[i * K + k]! - max);
    for (let k = 0; k < K; k++) out[i * K + k] = out[i * K + k]! / total;
  }
  return out;
}

/** log(1 + e^x) without overflow. */
const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

/** The objective ½‖w‖² + C Σ −log p(true class) (+ ½(Σ intercepts)², which pins the free direction of multinomial intercepts). */
function objective(weights: Float64Array, rows: number, K: number, X: readonly Float64Array[], codes: Int32Array, C: number): number {
  const d = X.length + 1, n = codes.length, z = scores(weights, rows, X, n);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    if (rows === 1) loss += softplus(z[i]!) - (codes[i] === 1 ? z[i]! : 0);
    else {
      let max = -Infinity, total = 0;
      for (let k = 0; k < K; k++) max = Math.max(max, z[i * K + k]!);
      for (let k = 0; k < K; k++) total += Math.exp(z[i * K + k]! - max);
      loss += max + Math.log(total) - z[i * K + codes[i]!]!;
    }
  }
  let penalty = 0, interceptSum = 0;
  for (let r = 0; r < rows; r++) {
    interceptSum += weights[r * d]!;
    for (let j = 1; j < d; j++) penalty += weights[r * d + j]! ** 2;
  }
  return 0.5 * penalty + C * loss + (rows > 1 ? 0.5 * interceptSum ** 2 : 0);
}

export function fitLogistic(X: readonly Float64Array[], y: Float64Array, options: LogisticRegressionOptions = {}): LogisticModel {
  const { C, maxIter, tol } = logisticSettings(options);
  const n = y.length, p = X.length, d = p + 1;
  const { classes, codes } = encodeClasses(y, 'logisticRegression');
  const K = classes.length;
  if (K < 2) throw new DuskError(`logisticRegression: y has one class (${classes[0]}); at least 2 are needed`);
  const rows = K === 2 ? 1 : K, size = rows * d;
  let weights: Float64Array = new Float64Array(size);
  let current = objective(weights, rows, K, X, codes, C);
  for (let iter = 0; iter < maxIter; iter++) {
    const prob = probabilities(scores(weights, rows, X, n), rows, K, n);
    const gradient = new Float64Array(size), hessian = new Float64Array(size * size);
    const xi = new Float64Array(d);
    xi[0] = 1;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) xi[j + 1] = X[j]![i]!;
      for (let r = 0; r < rows; r++) {
        const k = rows === 1 ? 1 : r;
        const residual = prob[i * K + k]! - (codes[i] === k ? 1 : 0);
        for (let a = 0; a < d; a++) gradient[r * d + a] += C * residual * xi[a]!;
        for (let s = 0; s <= r; s++) {
          const l = rows === 1 ? 1 : s;
          const curvature = C * prob[i * K + k]! * ((k === l ? 1 : 0) - prob[i * K + l]!);
          if (curvature === 0) continue;
          for (let a = 0; a < d; a++) {
            const ca = curvature * xi[a]!, row = (r * d + a) * size + s * d;
            for (let b = 0; b < d; b++) hessian[row + b] += ca * xi[b]!;
          }
        }
      }
    }
    let interceptSum = 0;
    for (let r = 0; r < rows; r++) interceptSum += weights[r * d]!;
    for (let r = 0; r < rows; r++) {
      for (let j = 1; j < d; j++) {
        gradient[r * d + j] += weights[r * d + j]!;
        hessian[(r * d + j) * size + r * d + j] += 1;
      }
      if (rows > 1) {
        gradient[r * d] += interceptSum;
        for (let s = 0; s <= r; s++) hessian[(r * d) * size + s * d] += 1;
      }
    }
    const step = choleskySolve(hessian, gradient, size, 'logisticRegression', () => 'the Hessian is singular (the classes may be perfectly separated by a constant column); lower C');
    let scale = 1, next: Float64Array, value: number;
    for (;;) {
      next = weights.map((w, a) => w - scale * step[a]!);
      value = objective(next, rows, K, X, codes, C);
      if (value <= current || scale < 1e-10) break;
      scale /= 2;
    }
    const moved = step.reduce((m, s) => Math.max(m, Math.abs(s * scale)), 0);
    weights = next;
    current = value;
    if (moved < tol) break;
  }
  return { classes, weights, nFeatures: p };
}

export function predictLogisticProba(model: LogisticModel, X: readonly Float64Array[]): { classes: Float64Array; probabilities: Float64Array[] } {
  if (X.length !== model.nFeatures) throw new DuskError(`logisticRegression: X has ${X.length} features, the model was fitted on ${model.nFeatures}`);
  const n = X.length === 0 ? 0 : X[0]!.length, K = model.classes.length, rows = K === 2 ? 1 : K;
  const flat = probabilities(scores(model.weights, rows, X, n), rows, K, n);
  return { classes: model.classes, probabilities: Array.from({ length: K }, (_, k) => Float64Array.from({ length: n }, (_, i) => flat[i * K + k]!)) };
}

/** scikit-learn's LogisticRegression(C) as a classifier method. */
export function logisticRegressionMethod(options: LogisticRegressionOptions = {}): ClassifierMethod<LogisticModel> {
  logisticSettings(options);
  return { name: 'logisticRegression', kind: 'classification', fit: (X, y) => fitLogistic(X, y, options), predictProba: predictLogisticProba };
}
