import type { ComputeOptions } from '../config.js';
import { DuskError } from '../core/errors.js';
import { compute } from '../frame/compute.js';
import { delayed } from '../frame/delayed.js';
import { type Shared, shared } from '../frame/shared.js';
import type { CrossValidateData } from './cross-validate.js';
import { fitAllRows, fitForestTrees, probabilitiesOver, resolveMethod } from './cv-task.js';
import type { MethodSpec } from './method.js';
import { argmaxLabels } from './metrics.js';
import { resolveFeatures, type FeaturesSource } from './features.js';
import { encodeClasses, mergeForests, type RandomForestModel, type RandomForestOptions, treeRuns } from './random-forest.js';

/** A method fitted on all rows by ml.fit: plain data, for ml.predict. */
export interface FittedModel {
  readonly kind: 'method';
  readonly spec: MethodSpec;
  readonly model: unknown;
  /** A classifier's classes (y's distinct labels, sorted); absent for regression. */
  readonly classes?: Float64Array;
}

/** A fitted superLearner: each method's spec, weight and model refit on every row (plain data). */
export interface SuperLearnerModel {
  readonly kind: 'superLearner';
  readonly members: readonly { readonly spec: MethodSpec; readonly weight: number; readonly model: unknown }[];
  /** For classifiers: y's classes; the ensemble's probabilities are the weighted sum of its members'. */
  readonly classes?: Float64Array;
}

/**
 * The tasks that fit `spec` on all rows, and how their values make the model: one task, or for
 * randomForest({ nJobs }) nJobs tasks of contiguous runs of trees, merged in tree order.
 */
export function planFit(spec: MethodSpec, X: Shared<Float64Array>[], y: Shared<Float64Array>): { tasks: unknown[]; finish(values: readonly unknown[]): unknown } {
  if ('builtin' in spec && (spec.builtin === 'randomForest' || spec.builtin === 'randomForestClassifier')) {
    const options = spec.params as RandomForestOptions;
    const runs = treeRuns(options.nEstimators ?? 100, options.nJobs ?? 1);
    const train = delayed(fitForestTrees, { pure: true });
    const kind = spec.builtin === 'randomForest' ? 'regression' : 'classification';
    return { tasks: runs.map(([first, count]) => train(options, X, y, first, count, kind)), finish: (values) => mergeForests(values as RandomForestModel[]) };
  }
  return { tasks: [delayed(fitAllRows, { pure: true })(spec, X, y)], finish: (values) => values[0] };
}

function computeOptionsOf(options: Pick<ComputeOptions, 'scheduler' | 'numWorkers' | 'chunksize'>): ComputeOptions {
  const out: ComputeOptions = {};
  if (options.scheduler !== undefined) out.scheduler = options.scheduler;
  if (options.numWorkers !== undefined) out.numWorkers = options.numWorkers;
  if (options.chunksize !== undefined) out.chunksize = options.chunksize;
  return out;
}

/**
 * Fits one method on all rows, on the executor: for randomForest({ nEstimators, nJobs, seed })
 * the trees are trained in nJobs tasks and merged into one forest, the same to the bit for any
 * nJobs and scheduler (each tree has its own seed from SeedSequence(seed).spawn).
 */
export async function fit(spec: MethodSpec, data: CrossValidateData, options: Pick<ComputeOptions, 'scheduler' | 'numWorkers' | 'chunksize'> = {}): Promise<FittedModel> {
  const { y } = data;
  if (!(y instanceof Float64Array)) throw new DuskError('ml.fit: y must be a Float64Array');
  const X = await resolveFeatures(data.X, 'ml.fit', y.length);
  const classes = spec.kind === 'classification' ? encodeClasses(y, 'ml.fit').classes : undefined;
  const plan = planFit(spec, X.map((column) => shared(column)), shared(y));
  const [values] = await compute(plan.tasks, computeOptionsOf(options));
  const model = plan.finish(values as unknown[]);
  return classes === undefined ? { kind: 'method', spec, model } : { kind: 'method', spec, model, classes };
}

function checkModel(model: FittedModel | SuperLearnerModel, where: string): void {
  const kind = model !== null && typeof model === 'object' ? (model as { kind?: unknown }).kind : undefined;
  if (kind !== 'method' && !(kind === 'superLearner' && Array.isArray((model as SuperLearnerModel).members))) {
    throw new DuskError(`${where}: the model must be what ml.fit returns or the model of a superLearner result (result.model)`);
  }
}

function membersOf(model: FittedModel | SuperLearnerModel) {
  return model.kind === 'method' ? [{ spec: model.spec, weight: 1, model: model.model }] : model.members;
}

/**
 * A fitted model's predictions for the rows of X (Float64Array columns, or an Arrow table of
 * numeric columns): ml.fit's model, or a superLearner's (the weighted sum of its members'
 * predictions; members of weight 0 are not run). A classifier's are the most probable class of
 * each row (predictProba's argmax, the first class on a tie). Runs here, not on the workers: a
 * user's method is built from its factory task, as on a worker.
 */
export async function predict(model: FittedModel | SuperLearnerModel, XInput: FeaturesSource): Promise<Float64Array> {
  checkModel(model, 'ml.predict');
  if (model.classes !== undefined) {
    const { classes, flat } = await probabilityRows(model, XInput, 'ml.predict');
    return argmaxLabels(flat, classes);
  }
  const X = await resolveFeatures(XInput, 'ml.predict');
  const n = X[0]!.length;
  const members = membersOf(model);
  const out = new Float64Array(n);
  for (const member of members) {
    if (member.weight === 0) continue;
    const method = await resolveMethod(member.spec);
    if (method.kind === 'classification') throw new DuskError(`ml.predict: method '${member.spec.name}' is a classifier, but the model has no classes`);
    const p = method.predict(member.model, X);
    if (!(p instanceof Float64Array) || p.length !== n) {
      throw new DuskError(`ml.predict: method '${member.spec.name}' must predict a Float64Array of ${n} values, got ${p instanceof Float64Array ? `${p.length} values` : typeof p}`);
    }
    if (model.kind === 'method') return p;
    for (let i = 0; i < n; i++) out[i] = out[i]! + member.weight * p[i]!;
  }
  return out;
}

/** A classifier model's probabilities (its members' weighted sum), row-major over its classes. */
async function probabilityRows(model: FittedModel | SuperLearnerModel, XInput: FeaturesSource, where: string): Promise<{ classes: Float64Array; flat: Float64Array }> {
  const classes = model.classes;
  if (classes === undefined) throw new DuskError(`${where}: the model is a regression model; probabilities are for classifiers`);
  const X = await resolveFeatures(XInput, where);
  const n = X[0]!.length, K = classes.length;
  const flat = new Float64Array(n * K);
  for (const member of membersOf(model)) {
    if (member.weight === 0) continue;
    const method = await resolveMethod(member.spec);
    if (method.kind !== 'classification') throw new DuskError(`${where}: method '${member.spec.name}' is not a classifier`);
    const rows = probabilitiesOver(method, member.model, X, n, classes, member.spec.name);
    for (let i = 0; i < rows.length; i++) flat[i] = flat[i]! + member.weight * rows[i]!;
  }
  return { classes, flat };
}

/** A classifier model's probabilities for the rows of X: one Float64Array per class of `classes`. */
export async function predictProba(model: FittedModel | SuperLearnerModel, XInput: FeaturesSource): Promise<{ classes: Float64Array; probabilities: Float64Array[] }> {
  checkModel(model, 'ml.predictProba');
  const { classes, flat } = await probabilityRows(model, XInput, 'ml.predictProba');
  const K = classes.length, n = flat.length / K;
  return { classes, probabilities: Array.from({ length: K }, (_, k) => Float64Array.from({ length: n }, (_, i) => flat[i * K + k]!)) };
}
