import type { ComputeOptions } from '../config.js';
import { DuskError } from '../core/errors.js';
import { compute } from '../frame/compute.js';
import { delayed } from '../frame/delayed.js';
import { type Shared, shared } from '../frame/shared.js';
import type { LegacySeed } from '../random/random-state.js';
import { fitPredictFold } from './cv-task.js';
import { kFold } from './folds.js';
import type { MethodSpec } from './method.js';
import { type RegressionMetrics, regressionMetrics } from './metrics.js';

export interface CrossValidateData {
  /** The features, one Float64Array column each, all of y's length. */
  X: readonly Float64Array[];
  y: Float64Array;
}

export interface CrossValidateOptions extends Pick<ComputeOptions, 'scheduler' | 'numWorkers' | 'chunksize'> {
  /** The fold of every row (Int32Array, values >= 0), or a number k of folds cut by kFold (default 5). */
  folds?: Int32Array | number;
  /** With folds = k: shuffle the rows before cutting (kFold's shuffle; default false). */
  shuffle?: boolean;
  /** With folds = k and shuffle: kFold's seed (scikit-learn's random_state). */
  seed?: LegacySeed;
}

export interface FoldMetrics extends RegressionMetrics {
  fold: number;
  /** Rows in the fold. */
  n: number;
}

export interface MethodResult {
  name: string;
  /** Out-of-fold predictions, aligned with the rows. */
  predictions: Float64Array;
  /** Over every row's out-of-fold prediction. */
  metrics: RegressionMetrics;
  perFold: FoldMetrics[];
}

export interface CrossValidateResult {
  folds: Int32Array;
  methods: MethodResult[];
}

function foldsOf(options: CrossValidateOptions, n: number): Int32Array {
  const { folds = 5, shuffle, seed } = options;
  if (typeof folds === 'number') {
    return kFold(n, folds, seed === undefined ? { shuffle: shuffle ?? false } : { shuffle: shuffle ?? false, seed });
  }
  if (!(folds instanceof Int32Array)) throw new DuskError(`crossValidate: folds must be a number of folds or an Int32Array (the fold of every row), got ${typeof folds}`);
  if (folds.length !== n) throw new DuskError(`crossValidate: folds has ${folds.length} entries, y has ${n} rows`);
  if (shuffle !== undefined || seed !== undefined) throw new DuskError('crossValidate: shuffle and seed apply only when folds is a number k; these folds are given row by row');
  folds.forEach((f, i) => {
    if (f < 0) throw new DuskError(`crossValidate: folds[${i}] is ${f}; folds are numbered from 0`);
  });
  return folds;
}

/** crossValidate's graph, before it runs: superLearner adds its refits to the same graph. */
export interface CrossValidationPlan {
  /** X and y as shared with the workers (once), for other tasks of the same graph. */
  sharedX: Shared<Float64Array>[];
  sharedY: Shared<Float64Array>;
  /** One per (method, fold), method-major. */
  tasks: unknown[];
  computeOptions: ComputeOptions;
  /** The result, from the tasks' values (in the order of `tasks`). */
  finish(results: readonly Float64Array[]): CrossValidateResult;
}

/** Checks the arguments and builds crossValidate's tasks; `where` names the caller in errors. */
export function planCrossValidation(methods: readonly MethodSpec[], data: CrossValidateData, options: CrossValidateOptions, where = 'crossValidate'): CrossValidationPlan {
  const { X, y } = data;
  if (!(y instanceof Float64Array)) throw new DuskError(`${where}: y must be a Float64Array`);
  if (!Array.isArray(X) || X.length === 0) throw new DuskError(`${where}: X must be a non-empty array of Float64Array columns`);
  X.forEach((column, j) => {
    if (!(column instanceof Float64Array)) throw new DuskError(`${where}: X[${j}] must be a Float64Array`);
    if (column.length !== y.length) throw new DuskError(`${where}: X[${j}] has ${column.length} rows, y has ${y.length}`);
  });
  if (methods.length === 0) throw new DuskError(`${where}: no methods given`);
  const names = new Set<string>();
  for (const m of methods) {
    if (names.has(m.name)) throw new DuskError(`${where}: two methods are named '${m.name}'; give one another name (ml.method(factory, params, name))`);
    names.add(m.name);
  }
  const folds = foldsOf(options, y.length);
  const foldIds = [...new Set(folds)].sort((a, b) => a - b);
  if (foldIds.length < 2) throw new DuskError(`${where}: every row is in fold ${foldIds[0]}; at least 2 folds are needed`);
  const rowsOf = new Map<number, number[]>(foldIds.map((f) => [f, []]));
  folds.forEach((f, i) => rowsOf.get(f)!.push(i));

  const sharedX = X.map((column) => shared(column));
  const sharedY = shared(y), sharedFolds = shared(folds);
  const fit = delayed(fitPredictFold, { pure: true });
  const tasks = methods.flatMap((spec) => foldIds.map((fold) => fit(spec, sharedX, sharedY, sharedFolds, fold)));
  const computeOptions: ComputeOptions = {};
  if (options.scheduler !== undefined) computeOptions.scheduler = options.scheduler;
  if (options.numWorkers !== undefined) computeOptions.numWorkers = options.numWorkers;
  if (options.chunksize !== undefined) computeOptions.chunksize = options.chunksize;

  const finish = (results: readonly Float64Array[]): CrossValidateResult => ({
    folds,
    methods: methods.map((spec, m) => {
      const predictions = new Float64Array(y.length);
      const perFold = foldIds.map((fold, f) => {
        const rows = rowsOf.get(fold)!;
        const foldPredictions = results[m * foldIds.length + f]!;
        rows.forEach((row, k) => (predictions[row] = foldPredictions[k]!));
        return { fold, n: rows.length, ...regressionMetrics(y, predictions, rows) };
      });
      return { name: spec.name, predictions, metrics: regressionMetrics(y, predictions), perFold };
    }),
  });
  return { sharedX, sharedY, tasks, computeOptions, finish };
}

/**
 * Cross-validates every method: one task per (method, fold), all in one graph, each fitting on
 * the rows outside its fold and predicting the fold. X, y and the folds are shared with the
 * workers once (not copied per task). Predictions do not depend on the scheduler or the number
 * of workers: each task's work is fixed by its (method, fold), and metrics are summed here in
 * row order.
 */
export async function crossValidate(methods: readonly MethodSpec[], data: CrossValidateData, options: CrossValidateOptions = {}): Promise<CrossValidateResult> {
  const plan = planCrossValidation(methods, data, options);
  const [results] = await compute(plan.tasks, plan.computeOptions);
  return plan.finish(results as Float64Array[]);
}
