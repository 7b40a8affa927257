/**
 * One replicate of the course unit's scenario 7 simulation study. Workers import this module
 * to find the task: keep it free of top-level work.
 */
import * as ddf from 'dusk';
import { taskGenerator } from 'dusk/random';

/** The true model: y = ALPHA + BETA x + e, e ~ Student t with DF degrees of freedom (heavy tails). */
export const ALPHA = 1;
export const BETA = 2;
export const DF = 3;

/** Least-squares slope. */
export function olsSlope(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

/** Theil–Sen slope: the median of the slopes between all pairs of points (robust to outliers). */
export function theilSenSlope(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) slopes[k++] = (y[j]! - y[i]!) / (x[j]! - x[i]!);
  slopes.sort();
  const m = slopes.length >> 1;
  return slopes.length % 2 ? slopes[m]! : (slopes[m - 1]! + slopes[m]!) / 2;
}

/**
 * Replicate i: draws a data set from task i's own random stream — taskGenerator(seed, i) is
 * numpy's Generator(PCG64(SeedSequence(seed).spawn(n)[i])) — and fits both estimators. The
 * stream depends only on (seed, i): not on the worker, the scheduler or the order of tasks.
 */
export const replicate = ddf.task(import.meta.url, function replicate(seed: number, i: number, n: number): [ols: number, theilSen: number] {
  const g = taskGenerator(seed, i);
  const x = g.uniform(0, 10, n);
  const z = g.standardNormal(n);
  const chi2 = g.gamma(DF / 2, 2, n); // χ²(DF) = Gamma(DF/2, scale 2)
  const y = new Float64Array(n);
  for (let j = 0; j < n; j++) y[j] = ALPHA + BETA * x[j]! + z[j]! / Math.sqrt(chi2[j]! / DF);
  return [olsSlope(x, y), theilSenSlope(x, y)];
});
