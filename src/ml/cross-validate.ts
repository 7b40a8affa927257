import type { ComputeOptions } from '../config.js';
import { DuskError } from '../core/errors.js';
import { compute } from '../frame/compute.js';
import { delayed } from '../frame/delayed.js';
import { type Shared, shared } from '../frame/shared.js';
import type { LegacySeed } from '../random/random-state.js';
import { fitPredictFold } from './cv-task.js';
import { kFold } from './folds.js';
import { type FeaturesSource, resolveFeatures } from './features.js';
import type { ClassifierSpec, MethodSpec } from './method.js';
import { argmaxLabels, type ClassificationMetrics, classificationMetrics, type RegressionMetrics, regressionMetrics } from './metrics.js';
import { encodeClasses } from './random-forest.js';

export interface CrossValidateData {
  /**
   * The features, all of y's length: one Float64Array column each, an Arrow Table of numeric
   * columns (no nulls), or a Dusk DataFrame of them (computed first: df.select([...]) the features).
   */
  X: FeaturesSource;
  /** The target: numbers (regression) or class labels (classifiers). */
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

export interface ClassifierFoldMetrics extends ClassificationMetrics {
  fold: number;
  n: number;
}

export interface ClassifierResult {
  name: string;
  /** Out-of-fold predicted class of every row (the most probable; the first of classes on a tie). */
  predictions: Float64Array;
  /** Out-of-fold probabilities: one Float64Array per class of `classes`, aligned with the rows. */
  probabilities: Float64Array[];
  metrics: ClassificationMetrics;
  perFold: ClassifierFoldMetrics[];
}

/** crossValidate's result for classifiers. */
export interface ClassificationCrossValidateResult {
  folds: Int32Array;
  /** y's classes, sorted: the order of every probabilities array. */
  classes: Float64Array;
  methods: ClassifierResult[];
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
export interface CrossValidationPlan<Result = CrossValidateResult> {
  /** X and y as shared with the workers (once), for other tasks of the same graph. */
  sharedX: Shared<Float64Array>[];
  sharedY: Shared<Float64Array>;
  /** One per (method, fold), method-major. */
  tasks: unknown[];
  computeOptions: ComputeOptions;
  /** The result, from the tasks' values (in the order of `tasks`). */
  finish(results: readonly Float64Array[]): Result;
}

/** Whether the methods are classifiers (all) or regression methods (all); a mix is refused. */
export function methodsKind(methods: readonly MethodSpec[], where: string): 'regression' | 'classification' {
  const kinds = new Set(methods.map((m) => m.kind ?? 'regression'));
  if (kinds.size > 1) {
    const classifiers = methods.filter((m) => m.kind === 'classification').map((m) => m.name);
    throw new DuskError(`${where}: classifiers (${classifiers.join(', ')}) and regression methods cannot be cross-validated together: their predictions and metrics differ`);
  }
  return kinds.has('classification') ? 'classification' : 'regression';
}

/** Checks the arguments and builds crossValidate's tasks; `where` names the caller in errors. X is resolveFeatures' columns. */
export function planCrossValidation(methods: readonly MethodSpec[], X: readonly Float64Array[], y: Float64Array, options: CrossValidateOptions, where = 'crossValidate'): CrossValidationPlan<CrossValidateResult | ClassificationCrossValidateResult> {
  if (methods.length === 0) throw new DuskError(`${where}: no methods given`);
  const kind = methodsKind(methods, where);
  const classes = kind === 'classification' ? encodeClasses(y, where).classes : undefined;
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

  const finishClassifiers = (results: readonly Float64Array[]): ClassificationCrossValidateResult => {
    const K = classes!.length;
    return {
      folds,
      classes: classes!,
      methods: methods.map((spec, m) => {
        const flat = new Float64Array(y.length * K);
        foldIds.forEach((fold, f) => {
          const foldRows = results[m * foldIds.length + f]!;
          rowsOf.get(fold)!.forEach((row, k) => flat.set(foldRows.subarray(k * K, (k + 1) * K), row * K));
        });
        const perFold = foldIds.map((fold) => ({ fold, n: rowsOf.get(fold)!.length, ...classificationMetrics(y, flat, classes!, rowsOf.get(fold)!) }));
        const probabilities = Array.from({ length: K }, (_, k) => Float64Array.from({ length: y.length }, (_, i) => flat[i * K + k]!));
        return { name: spec.name, predictions: argmaxLabels(flat, classes!), probabilities, metrics: classificationMetrics(y, flat, classes!), perFold };
      }),
    };
  };
  const finishRegression = (results: readonly Float64Array[]): CrossValidateResult => ({
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
  return { sharedX, sharedY, tasks, computeOptions, finish: kind === 'classification' ? finishClassifiers : finishRegression };
}

/** y checked, and X resolved to columns of y's length (a table or DataFrame converted). */
export async function resolveData(data: CrossValidateData, where: string): Promise<{ X: Float64Array[]; y: Float64Array }> {
  const { y } = data;
  if (!(y instanceof Float64Array)) throw new DuskError(`${where}: y must be a Float64Array`);
  return { X: await resolveFeatures(data.X, where, y.length), y };
}

/**
 * Cross-validates every method: one task per (method, fold), all in one graph, each fitting on
 * the rows outside its fold and predicting the fold. X, y and the folds are shared with the
 * workers once (not copied per task). Classifiers (all methods ml.randomForestClassifier(),
 * ml.logisticRegression() or kind 'classification') give each row's out-of-fold class
 * probabilities and predicted class, with accuracy and log loss. Predictions do not depend on the scheduler or the number
 * of workers: each task's work is fixed by its (method, fold), and metrics are summed here in
 * row order.
 */
export async function crossValidate(methods: readonly ClassifierSpec[], data: CrossValidateData, options?: CrossValidateOptions): Promise<ClassificationCrossValidateResult>;
export async function crossValidate(methods: readonly MethodSpec[], data: CrossValidateData, options?: CrossValidateOptions): Promise<CrossValidateResult>;
export async function crossValidate(methods: readonly MethodSpec[], data: CrossValidateData, options: CrossValidateOptions = {}): Promise<CrossValidateResult | ClassificationCrossValidateResult> {
  const { X, y } = await resolveData(data, 'crossValidate');
  const plan = planCrossValidation(methods, X, y, options);
  const [results] = await compute(plan.tasks, plan.computeOptions);
  return plan.finish(results as Float64Array[]);
}
