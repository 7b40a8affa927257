import { DuskError } from '../core/errors.js';

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

/** Classification metrics of out-of-fold probabilities against the true classes. */
export interface ClassificationMetrics {
  /** The share of rows whose most probable class (argmax, the first on a tie) is the true one. */
  accuracy: number;
  /**
   * Mean −log of the true class's probability, probabilities clipped to [ε, 1 − ε] (ε = 2^−52)
   * and each row renormalised: scikit-learn's log_loss (eps='auto' for float64).
   */
  logLoss: number;
}

/** The most probable class of each row (row-major probabilities over classes; the first on a tie, as numpy's argmax). */
export function argmaxLabels(flat: Float64Array, classes: Float64Array): Float64Array {
  const K = classes.length, n = flat.length / K, out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (flat[i * K + k]! > flat[i * K + best]!) best = k;
    out[i] = classes[best]!;
  }
  return out;
}


const LOG_LOSS_EPS = 2.220446049250313e-16;

/**
 * Accuracy and log loss over `rows` (every row when omitted): probabilities row-major over
 * `classes` (sorted), y the true labels.
 */
export function classificationMetrics(y: ArrayLike<number>, probabilities: Float64Array, classes: Float64Array, rows?: ArrayLike<number>): ClassificationMetrics {
  const K = classes.length, n = rows ? rows.length : y.length;
  const codeOf = new Map<number, number>();
  classes.forEach((c, k) => codeOf.set(c, k));
  let correct = 0, loss = 0;
  for (let r = 0; r < n; r++) {
    const i = rows ? rows[r]! : r;
    const truth = codeOf.get(y[i]!);
    if (truth === undefined) throw new DuskError(`metrics: y[${i}] = ${y[i]} is not among the classes ${Array.from(classes).join(', ')}`);
    let best = 0, total = 0;
    for (let k = 0; k < K; k++) {
      const p = probabilities[i * K + k]!;
      if (p > probabilities[i * K + best]!) best = k;
      total += Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
    }
    if (best === truth) correct++;
    loss -= Math.log(Math.min(Math.max(probabilities[i * K + truth]!, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS) / total);
  }
  return { accuracy: correct / n, logLoss: loss / n };
}
