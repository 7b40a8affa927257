import type { ComputeOptions } from '../config.js';
import { DuskError } from '../core/errors.js';
import { compute } from '../frame/compute.js';
import { delayed } from '../frame/delayed.js';
import { type Shared, shared } from '../frame/shared.js';
import type { CrossValidateData } from './cross-validate.js';
import { fitAllRows, fitForestTrees, resolveMethod } from './cv-task.js';
import type { MethodSpec } from './method.js';
import { mergeForests, type RandomForestModel, type RandomForestOptions, treeRuns } from './random-forest.js';

/** A method fitted on all rows by ml.fit: plain data, for ml.predict. */
export interface FittedModel {
  readonly kind: 'method';
  readonly spec: MethodSpec;
  readonly model: unknown;
}

/** A fitted superLearner: each method's spec, weight and model refit on every row (plain data). */
export interface SuperLearnerModel {
  readonly kind: 'superLearner';
  readonly members: readonly { readonly spec: MethodSpec; readonly weight: number; readonly model: unknown }[];
}

/**
 * The tasks that fit `spec` on all rows, and how their values make the model: one task, or for
 * randomForest({ nJobs }) nJobs tasks of contiguous runs of trees, merged in tree order.
 */
export function planFit(spec: MethodSpec, X: Shared<Float64Array>[], y: Shared<Float64Array>): { tasks: unknown[]; finish(values: readonly unknown[]): unknown } {
  if ('builtin' in spec && spec.builtin === 'randomForest') {
    const options = spec.params as RandomForestOptions;
    const runs = treeRuns(options.nEstimators ?? 50, options.nJobs ?? 1);
    const train = delayed(fitForestTrees, { pure: true });
    return { tasks: runs.map(([first, count]) => train(options, X, y, first, count)), finish: (values) => mergeForests(values as RandomForestModel[]) };
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
  const { X, y } = data;
  if (!(y instanceof Float64Array)) throw new DuskError('ml.fit: y must be a Float64Array');
  checkColumns(X, y.length, 'ml.fit', 'y has');
  const plan = planFit(spec, X.map((column) => shared(column)), shared(y));
  const [values] = await compute(plan.tasks, computeOptionsOf(options));
  return { kind: 'method', spec, model: plan.finish(values as unknown[]) };
}

function checkColumns(X: readonly Float64Array[], n: number, where: string, against: string): void {
  if (!Array.isArray(X) || X.length === 0) throw new DuskError(`${where}: X must be a non-empty array of Float64Array columns`);
  X.forEach((column, j) => {
    if (!(column instanceof Float64Array)) throw new DuskError(`${where}: X[${j}] must be a Float64Array`);
    if (column.length !== n) throw new DuskError(`${where}: X[${j}] has ${column.length} rows, ${against} ${n}`);
  });
}

/**
 * A fitted model's predictions for the rows of X (Float64Array columns): ml.fit's model, or a
 * superLearner's (the weighted sum of its members' predictions; members of weight 0 are not
 * run). Runs here, not on the workers: a user's method is built from its factory task, as on a worker.
 */
export async function predict(model: FittedModel | SuperLearnerModel, X: readonly Float64Array[]): Promise<Float64Array> {
  const kind = model !== null && typeof model === 'object' ? (model as { kind?: unknown }).kind : undefined;
  if (kind !== 'method' && !(kind === 'superLearner' && Array.isArray((model as SuperLearnerModel).members))) {
    throw new DuskError('ml.predict: the model must be what ml.fit returns or the model of a superLearner result (result.model)');
  }
  checkColumns(X, Array.isArray(X) && X[0] instanceof Float64Array ? X[0].length : 0, 'ml.predict', 'X[0] has');
  const n = X[0]!.length;
  const members = kind === 'method' ? [{ spec: (model as FittedModel).spec, weight: 1, model: (model as FittedModel).model }] : (model as SuperLearnerModel).members;
  const out = new Float64Array(n);
  for (const member of members) {
    if (member.weight === 0) continue;
    const method = await resolveMethod(member.spec);
    const p = method.predict(member.model, X);
    if (!(p instanceof Float64Array) || p.length !== n) {
      throw new DuskError(`ml.predict: method '${member.spec.name}' must predict a Float64Array of ${n} values, got ${p instanceof Float64Array ? `${p.length} values` : typeof p}`);
    }
    if (kind === 'method') return p;
    for (let i = 0; i < n; i++) out[i] = out[i]! + member.weight * p[i]!;
  }
  return out;
}
