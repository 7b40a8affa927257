import { DuskError } from '../core/errors.js';
import { compute } from '../frame/compute.js';
import { type ClassificationCrossValidateResult, type CrossValidateData, type CrossValidateOptions, type CrossValidateResult, planCrossValidation, resolveData } from './cross-validate.js';
import { planFit, type SuperLearnerModel } from './fit.js';
import type { ClassifierSpec, MethodSpec } from './method.js';
import { argmaxLabels, type ClassificationMetrics, classificationMetrics } from './metrics.js';
import { nnls } from './nnls.js';

export interface SuperLearnerResult {
  /** The ensemble's weight of each method, in the order given: ≥ 0, summing to 1. */
  weights: number[];
  /**
   * How the weights were found: 'nnls' (non-negative least squares on the CV predictions, scaled
   * to sum 1), or 'bestMethod' when NNLS gave every method weight 0 (no non-negative
   * combination beats predicting 0): then the method of least CV risk gets weight 1.
   */
  weighting: 'nnls' | 'bestMethod';
  /** The ensemble's CV MSE: of the weighted sum of the methods' out-of-fold predictions. */
  cvRisk: number;
  /** The ensemble's out-of-fold predictions (the weighted sum), aligned with the rows. */
  predictions: Float64Array;
  /** Each method's CV MSE, and its weight. */
  methods: { name: string; cvRisk: number; weight: number }[];
  /** The cross-validation the weights come from (folds, every method's predictions and metrics). */
  cv: CrossValidateResult;
  /** For ml.predict(model, X): every method refit on all rows, with its weight. */
  model: SuperLearnerModel;
}

/**
 * superLearner's result for classifiers: the weights are NNLS of the one-hot classes on the
 * methods' out-of-fold class probabilities (all classes stacked), scaled to sum 1, so the
 * ensemble's probabilities are a convex combination of the methods'; the risk is the Brier score
 * (Σ over classes of (p − 1[class])², averaged over rows), which those weights minimise.
 */
export interface ClassificationSuperLearnerResult {
  weights: number[];
  weighting: 'nnls' | 'bestMethod';
  /** The ensemble's Brier score on the CV probabilities. */
  cvRisk: number;
  /** The ensemble's accuracy and log loss on the CV probabilities. */
  metrics: ClassificationMetrics;
  /** The ensemble's out-of-fold predicted class of every row. */
  predictions: Float64Array;
  /** The ensemble's out-of-fold probabilities, one Float64Array per class of cv.classes. */
  probabilities: Float64Array[];
  /** Each method's Brier score, accuracy, log loss and weight. */
  methods: ({ name: string; cvRisk: number; weight: number } & ClassificationMetrics)[];
  cv: ClassificationCrossValidateResult;
  /** For ml.predict / ml.predictProba (it carries the classes). */
  model: SuperLearnerModel;
}

export type SuperLearnerOptions = CrossValidateOptions;

/** The MSE of Σ weights[m] · columns[m] against y. */
function weightedRisk(columns: readonly Float64Array[], weights: readonly number[], y: Float64Array): { risk: number; predictions: Float64Array } {
  const predictions = new Float64Array(y.length);
  columns.forEach((column, m) => {
    const w = weights[m]!;
    if (w !== 0) for (let i = 0; i < y.length; i++) predictions[i] = predictions[i]! + w * column[i]!;
  });
  let sse = 0;
  for (let i = 0; i < y.length; i++) sse += (y[i]! - predictions[i]!) ** 2;
  return { risk: sse / y.length, predictions };
}

/**
 * The ensemble weights from the methods' out-of-fold predictions (one column per method): NNLS of
 * y on the columns, scaled to sum 1 (as R's SuperLearner's method.NNLS). When NNLS gives every
 * method 0, the method of least CV risk (the first on a tie) gets weight 1.
 */
export function superLearnerWeights(cvPredictions: readonly Float64Array[], y: Float64Array): { weights: number[]; weighting: 'nnls' | 'bestMethod' } {
  const raw = nnls(cvPredictions, y);
  const total = raw.reduce((a, v) => a + v, 0);
  if (total > 0) return { weights: Array.from(raw, (v) => v / total), weighting: 'nnls' };
  const risks = cvPredictions.map((column) => weightedRisk([column], [1], y).risk);
  const best = risks.indexOf(Math.min(...risks));
  return { weights: risks.map((_, m) => (m === best ? 1 : 0)), weighting: 'bestMethod' };
}

/**
 * SuperLearner (scenario 5): cross-validates every method (crossValidate's tasks, one per
 * (method, fold)), weighs them by non-negative least squares on their out-of-fold predictions,
 * and refits each on all rows; the refits are tasks of the same graph as the CV, so all
 * methods × (folds + 1) fits run at once. Results are the same on every scheduler.
 *
 * cvRisk is the ensemble's MSE on the CV predictions with the weights found from those same
 * predictions, as SuperLearner reports it: slightly optimistic; an honest estimate needs an
 * outer CV around superLearner.
 */
export async function superLearner(methods: readonly ClassifierSpec[], data: CrossValidateData, options?: SuperLearnerOptions): Promise<ClassificationSuperLearnerResult>;
export async function superLearner(methods: readonly MethodSpec[], data: CrossValidateData, options?: SuperLearnerOptions): Promise<SuperLearnerResult>;
export async function superLearner(methods: readonly MethodSpec[], data: CrossValidateData, options: SuperLearnerOptions = {}): Promise<SuperLearnerResult | ClassificationSuperLearnerResult> {
  const { X, y } = await resolveData(data, 'superLearner');
  const plan = planCrossValidation(methods, X, y, options, 'superLearner');
  const refits = methods.map((spec) => planFit(spec, plan.sharedX, plan.sharedY));
  const [results] = await compute([...plan.tasks, ...refits.flatMap((r) => r.tasks)], plan.computeOptions);
  const values = results as unknown[];
  const cvAny = plan.finish(values.slice(0, plan.tasks.length) as Float64Array[]);
  let next = plan.tasks.length;
  const models = refits.map((r) => r.finish(values.slice(next, (next += r.tasks.length))));
  if ('classes' in cvAny) return weighClassifiers(methods, cvAny, y, models);
  const cv = cvAny;

  const columns = cv.methods.map((m) => m.predictions);
  cv.methods.forEach((m) => {
    const row = m.predictions.findIndex((v) => !Number.isFinite(v));
    if (row >= 0) throw new DuskError(`superLearner: method '${m.name}' predicted ${m.predictions[row]} for row ${row} (fold ${cv.folds[row]}); the weights need finite predictions`);
  });
  const { weights, weighting } = superLearnerWeights(columns, y);
  const { risk, predictions } = weightedRisk(columns, weights, y);
  return {
    weights,
    weighting,
    cvRisk: risk,
    predictions,
    methods: cv.methods.map((m, i) => ({ name: m.name, cvRisk: m.metrics.mse, weight: weights[i]! })),
    cv,
    model: { kind: 'superLearner', members: methods.map((spec, i) => ({ spec, weight: weights[i]!, model: models[i] })) },
  };
}

/** superLearner's weights, risks and model for classifiers (see ClassificationSuperLearnerResult). */
function weighClassifiers(methods: readonly MethodSpec[], cv: ClassificationCrossValidateResult, y: Float64Array, models: unknown[]): ClassificationSuperLearnerResult {
  const { classes } = cv, K = classes.length, n = y.length;
  const oneHot = new Float64Array(n * K);
  for (let i = 0; i < n; i++) oneHot[i * K + classes.indexOf(y[i]!)] = 1;
  // Each method's probabilities, row-major like oneHot: one NNLS column per method.
  const columns = cv.methods.map((m) => {
    const flat = new Float64Array(n * K);
    m.probabilities.forEach((column, k) => column.forEach((p, i) => (flat[i * K + k] = p)));
    const row = flat.findIndex((v) => !Number.isFinite(v));
    if (row >= 0) throw new DuskError(`superLearner: method '${m.name}' gave probability ${flat[row]} for row ${Math.floor(row / K)} (fold ${cv.folds[Math.floor(row / K)]}); the weights need finite probabilities`);
    return flat;
  });
  const { weights, weighting } = superLearnerWeights(columns, oneHot);
  const { risk, predictions: flat } = weightedRisk(columns, weights, oneHot);
  return {
    weights,
    weighting,
    cvRisk: risk * K,
    metrics: classificationMetrics(y, flat, classes),
    predictions: argmaxLabels(flat, classes),
    probabilities: Array.from({ length: K }, (_, k) => Float64Array.from({ length: n }, (_, i) => flat[i * K + k]!)),
    methods: cv.methods.map((m, i) => ({ name: m.name, cvRisk: weightedRisk([columns[i]!], [1], oneHot).risk * K, weight: weights[i]!, ...m.metrics })),
    cv,
    model: { kind: 'superLearner', members: methods.map((spec, i) => ({ spec, weight: weights[i]!, model: models[i] })), classes },
  };
}
