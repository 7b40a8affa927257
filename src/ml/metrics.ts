/** Regression metrics of predictions against the truth. */
export interface RegressionMetrics {
  mse: number;
  rmse: number;
  mae: number;
  /** 1 − SSE / SST, SST about the mean of these rows' y (scikit-learn's r2_score). */
  r2: number;
}

/** The metrics over `rows` (row indices, in order), or over every row when rows is omitted. */
export function regressionMetrics(y: ArrayLike<number>, predictions: ArrayLike<number>, rows?: ArrayLike<number>): RegressionMetrics {
  const n = rows ? rows.length : y.length;
  const at = rows ? (k: number) => rows[k]! : (k: number) => k;
  let yMean = 0;
  for (let k = 0; k < n; k++) yMean += y[at(k)]!;
  yMean /= n;
  let sse = 0, sae = 0, sst = 0;
  for (let k = 0; k < n; k++) {
    const i = at(k);
    const e = y[i]! - predictions[i]!;
    sse += e * e;
    sae += Math.abs(e);
    sst += (y[i]! - yMean) ** 2;
  }
  const mse = sse / n;
  return { mse, rmse: Math.sqrt(mse), mae: sae / n, r2: 1 - sse / sst };
}
