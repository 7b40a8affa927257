import { DuskError } from '../core/errors.js';
import type { Method } from './method.js';

/** A linear model: prediction = intercept + Σ coef[j] · X[j]. */
export interface LinearModel {
  intercept: number;
  coef: Float64Array;
}

function checkColumns(X: readonly Float64Array[], n: number, where: string): void {
  X.forEach((column, j) => {
    if (!(column instanceof Float64Array)) throw new DuskError(`${where}: X[${j}] must be a Float64Array column`);
    if (column.length !== n) throw new DuskError(`${where}: X[${j}] has ${column.length} rows, y has ${n}`);
  });
}

/**
 * Least squares with an intercept and an L2 penalty `lambda` on the coefficients only (not the
 * intercept), by the normal equations solved with a Cholesky factorisation: the columns are
 * centred first (which leaves the intercept unpenalised and the system better conditioned),
 * then (XcᵀXc + λI) β = Xcᵀ yc and intercept = ȳ − x̄ᵀβ. lambda = 0 is ordinary least squares.
 */
export function fitLinear(X: readonly Float64Array[], y: Float64Array, lambda: number, where = 'ols'): LinearModel {
  const n = y.length, p = X.length;
  checkColumns(X, n, where);
  if (n === 0) throw new DuskError(`${where}: cannot fit on 0 rows`);
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new DuskError(`${where}: lambda must be a finite number >= 0, got ${lambda}`);
  let yMean = 0;
  for (let i = 0; i < n; i++) yMean += y[i]!;
  yMean /= n;
  const means = new Float64Array(p);
  const centred = X.map((column, j) => {
    let m = 0;
    for (let i = 0; i < n; i++) m += column[i]!;
    m /= n;
    means[j] = m;
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = column[i]! - m;
    return c;
  });
  // A = XcᵀXc + λI (lower triangle, row-major p × p), b = Xcᵀ yc.
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const cj = centred[j]!;
    let s = 0;
    for (let i = 0; i < n; i++) s += cj[i]! * (y[i]! - yMean);
    b[j] = s;
    for (let k = 0; k <= j; k++) {
      const ck = centred[k]!;
      let t = 0;
      for (let i = 0; i < n; i++) t += cj[i]! * ck[i]!;
      A[j * p + k] = t;
    }
    A[j * p + j]! += lambda;
  }
  const coef = choleskySolve(A, b, p, where);
  let intercept = yMean;
  for (let j = 0; j < p; j++) intercept -= means[j]! * coef[j]!;
  return { intercept, coef };
}

/** Solves A x = b for symmetric positive definite A (lower triangle read, overwritten by L); `singular` says why it may not be. */
export function choleskySolve(A: Float64Array, b: Float64Array, p: number, where: string, singular?: (column: number) => string): Float64Array {
  for (let j = 0; j < p; j++) {
    let d = A[j * p + j]!;
    for (let m = 0; m < j; m++) d -= A[j * p + m]! ** 2;
    if (!(d > 0)) {
      if (singular) throw new DuskError(`${where}: ${singular(j)}`);
      throw new DuskError(`${where}: the normal equations are singular (column ${j} is constant or a combination of the others, or there are fewer rows than columns); use ridge(lambda) with lambda > 0`);
    }
    const l = Math.sqrt(d);
    A[j * p + j] = l;
    for (let i = j + 1; i < p; i++) {
      let s = A[i * p + j]!;
      for (let m = 0; m < j; m++) s -= A[i * p + m]! * A[j * p + m]!;
      A[i * p + j] = s / l;
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let m = 0; m < i; m++) s -= A[i * p + m]! * z[m]!;
    z[i] = s / A[i * p + i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let m = i + 1; m < p; m++) s -= A[m * p + i]! * x[m]!;
    x[i] = s / A[i * p + i]!;
  }
  return x;
}

export function predictLinear(model: LinearModel, X: readonly Float64Array[]): Float64Array {
  if (X.length !== model.coef.length) throw new DuskError(`linear model: fitted on ${model.coef.length} columns, given ${X.length}`);
  const n = X.length === 0 ? 0 : X[0]!.length;
  const out = new Float64Array(n).fill(model.intercept);
  X.forEach((column, j) => {
    const c = model.coef[j]!;
    for (let i = 0; i < n; i++) out[i]! += c * column[i]!;
  });
  return out;
}

/** Ordinary least squares with an intercept. */
export const olsMethod: Method<LinearModel> = {
  name: 'ols',
  fit: (X, y) => fitLinear(X, y, 0, 'ols'),
  predict: predictLinear,
};

/** Ridge regression: the intercept is not penalised. */
export function ridgeMethod(lambda: number): Method<LinearModel> {
  return {
    name: `ridge(${lambda})`,
    fit: (X, y) => fitLinear(X, y, lambda, `ridge(${lambda})`),
    predict: predictLinear,
  };
}
