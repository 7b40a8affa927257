/**
 * The task crossValidate runs, one per (method, fold): workers import this module to find it,
 * so it does no work at the top level.
 */
import { DuskError } from '../core/errors.js';
import { resolveFunction } from '../kernels/function-ref.js';
import { task } from '../frame/task.js';
import { builtinMethod } from './builtin-methods.js';
import type { AnyMethod, MethodSpec } from './method.js';
import { encodeClasses, type RandomForestModel, type RandomForestOptions, trainForestTrees } from './random-forest.js';

/**
 * The method a spec names: a built-in, or the one the user's factory task builds from its params;
 * refused when it is not the kind (regression, classification) the spec says.
 */
export async function resolveMethod(spec: MethodSpec): Promise<AnyMethod> {
  let method: AnyMethod;
  if ('builtin' in spec) method = builtinMethod(spec.builtin, spec.params);
  else {
    const factory = await resolveFunction(spec.factory);
    method = (await factory(spec.params)) as AnyMethod;
  }
  const want = spec.kind ?? 'regression', got = method.kind ?? 'regression';
  if (want !== got) {
    throw new DuskError(
      got === 'classification'
        ? `method '${spec.name}' is a classifier (kind: 'classification'); say so: ml.method(factory, params, { kind: 'classification' })`
        : `method '${spec.name}' was given as a classifier but its factory built a regression method (no kind: 'classification', predict instead of predictProba)`,
    );
  }
  return method;
}

/**
 * A classifier's probabilities for n rows as one Float64Array, row-major over `classes` (all of
 * y's classes, sorted): a class the model did not see in training gets probability 0.
 */
export function probabilitiesOver(method: AnyMethod & { kind: 'classification' }, model: unknown, X: readonly Float64Array[], n: number, classes: Float64Array, name: string): Float64Array {
  const { classes: seen, probabilities } = method.predictProba(model, X);
  if (!(seen instanceof Float64Array) || !Array.isArray(probabilities) || probabilities.length !== seen.length || probabilities.some((c) => !(c instanceof Float64Array) || c.length !== n)) {
    throw new DuskError(`method '${name}': predictProba must return { classes: Float64Array, probabilities: one Float64Array of ${n} values per class }`);
  }
  const K = classes.length, out = new Float64Array(n * K);
  seen.forEach((label, s) => {
    const k = classes.indexOf(label);
    if (k < 0) throw new DuskError(`method '${name}': predictProba gave class ${label}, which is not among y's classes ${Array.from(classes).join(', ')}`);
    const column = probabilities[s]!;
    for (let i = 0; i < n; i++) out[i * K + k] = column[i]!;
  });
  return out;
}

/** The columns' values at `rows`. */
function take(X: readonly Float64Array[], rows: Int32Array): Float64Array[] {
  return X.map((column) => {
    const out = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) out[k] = column[rows[k]!]!;
    return out;
  });
}

/**
 * Fits `spec` on the rows outside `fold`; its predictions for the rows of `fold`, in row order
 * (a classifier's: the probabilities of y's classes, row-major, see probabilitiesOver).
 * The function's name differs from the constant's and is unlikely elsewhere: the bundler renames
 * a function that shares a name in the bundle, and workers find the task by this name.
 */
export const fitPredictFold = task(import.meta.url, async function duskMlFitPredictFold(spec: MethodSpec, X: Float64Array[], y: Float64Array, folds: Int32Array, fold: number): Promise<Float64Array> {
  const method = await resolveMethod(spec);
  let nTest = 0;
  for (let i = 0; i < folds.length; i++) if (folds[i] === fold) nTest++;
  const train = new Int32Array(folds.length - nTest), test = new Int32Array(nTest);
  for (let i = 0, a = 0, b = 0; i < folds.length; i++) {
    if (folds[i] === fold) test[b++] = i;
    else train[a++] = i;
  }
  const trainY = new Float64Array(train.length);
  for (let k = 0; k < train.length; k++) trainY[k] = y[train[k]!]!;
  const model = method.fit(take(X, train), trainY);
  if (method.kind === 'classification') return probabilitiesOver(method, model, take(X, test), nTest, encodeClasses(y, `method '${spec.name}'`).classes, spec.name);
  const predictions = method.predict(model, take(X, test));
  if (!(predictions instanceof Float64Array) || predictions.length !== nTest) {
    throw new DuskError(`method '${spec.name}': predict must return a Float64Array of one prediction per row (${nTest} rows in fold ${fold}), got ${predictions instanceof Float64Array ? `${predictions.length} values` : typeof predictions}`);
  }
  return predictions;
});

/** Fits `spec` on every row (superLearner's refit): the model, plain data. Named as fitPredictFold is, for the bundler. */
export const fitAllRows = task(import.meta.url, async function duskMlFitAllRows(spec: MethodSpec, X: Float64Array[], y: Float64Array): Promise<unknown> {
  const method = await resolveMethod(spec);
  return method.fit(X, y);
});

/** Trees first … first + count − 1 of a randomForest spec's forest (ml.fit's and superLearner's nJobs tasks). */
export const fitForestTrees = task(import.meta.url, function duskMlFitForestTrees(options: RandomForestOptions, X: Float64Array[], y: Float64Array, first: number, count: number, kind: 'regression' | 'classification' = 'regression'): RandomForestModel {
  return trainForestTrees(options, X, y, first, count, kind);
});
