import { DuskError } from '../core/errors.js';
import { randomInterval } from '../random/bounded-integers.js';
import { RandomState } from '../random/random-state.js';
import { SeedSequence } from '../random/seed-sequence.js';
import { applyTree, type CartTarget, type CartTree, growTree, presortFeatures, type TreeSettings } from './cart.js';
import type { ClassifierMethod, Method } from './method.js';

/** randomForest's options (plain data), scikit-learn's RandomForestRegressor / Classifier semantics. */
export interface RandomForestOptions {
  /** Trees (default 100, as scikit-learn). */
  nEstimators?: number;
  /**
   * Features drawn at random for each split (scikit-learn's max_features): 'sqrt', 'log2', a
   * fraction in (0, 1] of the p features (at least 1), or an integer count ≥ 2. Default: all of
   * them (1.0) for regression, 'sqrt' for classification, as scikit-learn.
   */
  maxFeatures?: number | 'sqrt' | 'log2';
  /** Depth limit (root 0; default none). */
  maxDepth?: number;
  /** Fewest rows a node needs to be split (default 2). */
  minSamplesSplit?: number;
  /** Fewest rows each child of a split must keep (default 1). */
  minSamplesLeaf?: number;
  /** Bootstrap the rows of each tree (default true): n draws with replacement, as weights. */
  bootstrap?: boolean;
  /**
   * Seed (a 32-bit integer; default 42). Tree t draws from RandomState(treeSeeds(seed)[t]) —
   * its bootstrap rows are that RandomState's randint(0, n, n), as scikit-learn's
   * _generate_sample_indices, then its feature draws — so a tree does not depend on which task
   * trains it. Each fold uses the same seed.
   */
  seed?: number;
  /**
   * Tasks that train the trees when the forest is fitted by ml.fit or refit by superLearner
   * (default 1): the trees are split into nJobs contiguous runs, trained in parallel and merged
   * into one forest, the same to the bit whatever nJobs and scheduler. Inside crossValidate each
   * fold's forest is already one task, and trains its trees in it.
   */
  nJobs?: number;
}

/** A fitted forest: its trees (flat typed arrays) and, for a classifier, its classes (plain data). */
export interface RandomForestModel {
  kind: 'regression' | 'classification';
  nFeatures: number;
  /** The classes (sorted distinct y) of a classifier; a tree's value columns follow them. Empty for regression. */
  classes: Float64Array;
  trees: CartTree[];
}

/** The seed of every tree: the first 32-bit word of SeedSequence(seed).spawn(nEstimators)[t]. */
export function treeSeeds(seed: number, nEstimators: number): Uint32Array {
  return Uint32Array.from(new SeedSequence(seed).spawn(nEstimators), (child) => child.generateState(1)[0]!);
}

const OPTION_KEYS = new Set(['nEstimators', 'maxFeatures', 'maxDepth', 'minSamplesSplit', 'minSamplesLeaf', 'bootstrap', 'seed', 'nJobs']);

/** The options with their defaults, checked (plain data: task arguments carry them). */
export function forestSettings(options: RandomForestOptions, kind: 'regression' | 'classification' = 'regression') {
  const where = kind === 'regression' ? 'randomForest' : 'randomForestClassifier';
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new DuskError(`${where}: unknown option '${key}' (options: ${[...OPTION_KEYS].join(', ')})`);
  }
  const { nEstimators = 100, maxFeatures = kind === 'regression' ? 1 : 'sqrt', maxDepth = Infinity, minSamplesSplit = 2, minSamplesLeaf = 1, bootstrap = true, seed = 42, nJobs = 1 } = options;
  if (!Number.isInteger(nEstimators) || nEstimators < 1) throw new DuskError(`${where}: nEstimators must be a positive integer, got ${nEstimators}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new DuskError(`${where}: seed must be a 32-bit non-negative integer, got ${seed}`);
  if (!Number.isInteger(nJobs) || nJobs < 1) throw new DuskError(`${where}: nJobs must be a positive integer, got ${nJobs}`);
  if (!(maxDepth === Infinity || (Number.isInteger(maxDepth) && maxDepth >= 1))) throw new DuskError(`${where}: maxDepth must be a positive integer, got ${maxDepth}`);
  if (!Number.isInteger(minSamplesSplit) || minSamplesSplit < 2) throw new DuskError(`${where}: minSamplesSplit must be an integer ≥ 2, got ${minSamplesSplit}`);
  if (!Number.isInteger(minSamplesLeaf) || minSamplesLeaf < 1) throw new DuskError(`${where}: minSamplesLeaf must be a positive integer, got ${minSamplesLeaf}`);
  if (typeof bootstrap !== 'boolean') throw new DuskError(`${where}: bootstrap must be true or false, got ${String(bootstrap)}`);
  if (!(maxFeatures === 'sqrt' || maxFeatures === 'log2' || (typeof maxFeatures === 'number' && maxFeatures > 0 && (maxFeatures <= 1 || Number.isInteger(maxFeatures))))) {
    throw new DuskError(`${where}: maxFeatures must be 'sqrt', 'log2', a fraction in (0, 1] or an integer count, got ${String(maxFeatures)}`);
  }
  return { nEstimators, maxFeatures, maxDepth, minSamplesSplit, minSamplesLeaf, bootstrap, seed, nJobs, where };
}

/** Features per split for p features, as scikit-learn resolves max_features. */
function featuresPerSplit(maxFeatures: number | 'sqrt' | 'log2', p: number, where: string): number {
  let count: number;
  if (maxFeatures === 'sqrt') count = Math.max(1, Math.floor(Math.sqrt(p)));
  else if (maxFeatures === 'log2') count = Math.max(1, Math.floor(Math.log2(p)));
  else if (maxFeatures <= 1) count = Math.max(1, Math.floor(maxFeatures * p));
  else count = maxFeatures;
  if (count > p) throw new DuskError(`${where}: maxFeatures is ${count} but X has ${p} features`);
  return count;
}

/** The sorted distinct labels of y, and every row's class code; NaN is refused. */
export function encodeClasses(y: Float64Array, where: string): { classes: Float64Array; codes: Int32Array } {
  const classes = Float64Array.from(new Set(y)).sort();
  const nan = y.findIndex((v) => Number.isNaN(v));
  if (nan >= 0) throw new DuskError(`${where}: y[${nan}] is NaN; class labels must be numbers`);
  const codeOf = new Map<number, number>();
  classes.forEach((c, k) => codeOf.set(c, k));
  return { classes, codes: Int32Array.from(y, (v) => codeOf.get(v)!) };
}

function checkTraining(X: readonly Float64Array[], y: Float64Array, where: string): void {
  if (X.length === 0) throw new DuskError(`${where}: X has no columns`);
  if (y.length === 0) throw new DuskError(`${where}: no rows to train on`);
  X.forEach((column, j) => {
    const row = column.findIndex((v) => Number.isNaN(v));
    if (row >= 0) throw new DuskError(`${where}: X[${j}][${row}] is NaN; the trees need numbers`);
  });
}

/**
 * Trees first … first + count − 1 of the forest `options` describe, fitted on X, y: a forest of
 * those trees only. Tree t uses RandomState(treeSeeds(seed)[t]) for its bootstrap and feature draws.
 */
export function trainForestTrees(options: RandomForestOptions, X: readonly Float64Array[], y: Float64Array, first: number, count: number, kind: 'regression' | 'classification' = 'regression'): RandomForestModel {
  const settings = forestSettings(options, kind);
  if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 1 || first + count > settings.nEstimators) {
    throw new DuskError(`${settings.where}: trees ${first} … ${first + count - 1} are not among the forest's ${settings.nEstimators}`);
  }
  checkTraining(X, y, settings.where);
  const n = y.length;
  let target: CartTarget, classes: Float64Array = new Float64Array(0);
  if (kind === 'classification') {
    const encoded = encodeClasses(y, settings.where);
    classes = encoded.classes;
    target = { kind, codes: encoded.codes, nClasses: classes.length };
  } else target = { kind, y };
  const tree: TreeSettings = {
    maxDepth: settings.maxDepth, minSamplesSplit: settings.minSamplesSplit, minSamplesLeaf: settings.minSamplesLeaf,
    maxFeatures: featuresPerSplit(settings.maxFeatures, X.length, settings.where),
  };
  const sorted = presortFeatures(X);
  const seeds = treeSeeds(settings.seed, settings.nEstimators);
  const weights = new Float64Array(n);
  const trees: CartTree[] = [];
  for (let t = first; t < first + count; t++) {
    const rs = new RandomState(seeds[t]!);
    if (settings.bootstrap) {
      weights.fill(0);
      const rows = rs.randint(0, n, n);
      for (let k = 0; k < n; k++) weights[rows[k]!]! += 1;
    } else weights.fill(1);
    // rs.randint(low, high) for each draw (numpy's masked rejection), without its argument checks.
    const bg = rs.bitGenerator;
    trees.push(growTree(X, sorted, target, weights, tree, (low, high) => low + randomInterval(bg, high - low - 1)));
  }
  return { kind, nFeatures: X.length, classes, trees };
}

/** One forest from forests of consecutive runs of trees (trainForestTrees' results, in tree order). */
export function mergeForests(parts: readonly RandomForestModel[]): RandomForestModel {
  if (parts.length === 0) throw new DuskError('randomForest: no trees to merge');
  return { ...parts[0]!, trees: parts.flatMap((p) => p.trees) };
}

/** The runs of trees [first, count] that nJobs tasks train: contiguous, sizes differing by at most 1. */
export function treeRuns(nEstimators: number, nJobs: number): [number, number][] {
  const jobs = Math.min(nJobs, nEstimators), runs: [number, number][] = [];
  for (let j = 0, first = 0; j < jobs; j++) {
    const count = Math.floor(nEstimators / jobs) + (j < nEstimators % jobs ? 1 : 0);
    runs.push([first, count]);
    first += count;
  }
  return runs;
}

function checkPredictX(model: RandomForestModel, X: readonly Float64Array[], where: string): number {
  if (model === null || typeof model !== 'object' || !Array.isArray(model.trees)) throw new DuskError(`${where}: the model is not a fitted forest`);
  if (X.length !== model.nFeatures) throw new DuskError(`${where}: X has ${X.length} features, the forest was fitted on ${model.nFeatures}`);
  return X.length === 0 ? 0 : X[0]!.length;
}

/** The mean over the trees of each row's leaf value (per output): scikit-learn's forest average. */
function forestAverage(model: RandomForestModel, X: readonly Float64Array[], n: number): Float64Array {
  const k = model.kind === 'classification' ? model.classes.length : 1;
  const sum = new Float64Array(n * k);
  for (const tree of model.trees) {
    const leaves = applyTree(tree, X, n);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) sum[i * k + c]! += tree.value[leaves[i]! * k + c]!;
  }
  for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! / model.trees.length;
  return sum;
}

/** A random-forest regression (own CART trees, scikit-learn's semantics; each tree seeded on its own: see treeSeeds). */
export function randomForestMethod(options: RandomForestOptions = {}): Method<RandomForestModel> {
  const settings = forestSettings(options);
  return {
    name: 'randomForest',
    fit: (X, y) => trainForestTrees(options, X, y, 0, settings.nEstimators),
    predict: (model, X) => forestAverage(model, X, checkPredictX(model, X, 'randomForest')),
  };
}

/** A random-forest classifier: probabilities are the mean of the trees' leaf class proportions (scikit-learn's predict_proba). */
export function randomForestClassifierMethod(options: RandomForestOptions = {}): ClassifierMethod<RandomForestModel> {
  const settings = forestSettings(options, 'classification');
  return {
    name: 'randomForestClassifier',
    kind: 'classification',
    fit: (X, y) => trainForestTrees(options, X, y, 0, settings.nEstimators, 'classification'),
    predictProba(model, X) {
      const n = checkPredictX(model, X, 'randomForestClassifier'), k = model.classes.length;
      const flat = forestAverage(model, X, n);
      return { classes: model.classes, probabilities: Array.from({ length: k }, (_, c) => Float64Array.from({ length: n }, (_, i) => flat[i * k + c]!)) };
    },
  };
}
