import { RandomForestRegression } from 'ml-random-forest';
import { DuskError } from '../core/errors.js';
import { SeedSequence } from '../random/seed-sequence.js';
import type { Method } from './method.js';

/** ml-random-forest's options, as randomForest takes them (plain data). */
export interface RandomForestOptions {
  /** Trees (default 50). */
  nEstimators?: number;
  /**
   * Features each tree may use (ml-random-forest samples them per tree, not per split): a
   * fraction in (0, 1) or a count; default all of them (scikit-learn's default for regression).
   */
  maxFeatures?: number;
  /**
   * Seed of the feature and row sampling (a 32-bit integer; default 42). Tree t draws from
   * SeedSequence(seed).spawn(nEstimators)[t], so a tree does not depend on which task trains it.
   * Each fold uses the same seed.
   */
  seed?: number;
  /**
   * Tasks that train the trees when the forest is fitted by ml.fit or refit by superLearner
   * (default 1): the trees are split into nJobs contiguous runs, trained in parallel and merged
   * into one forest, the same to the bit whatever nJobs and scheduler. Inside crossValidate each
   * fold's forest is already one task, and trains its trees in it.
   */
  nJobs?: number;
  /** Bootstrap the rows of each tree (default true). */
  useSampleBagging?: boolean;
  /** Draw the features with replacement (default false). */
  replacement?: boolean;
  /** Tree depth limit (default 8: ml-random-forest tries every split point, so deep trees are slow). */
  maxDepth?: number;
  /** Fewest rows in a node that may be split (default 5). */
  minNumSamples?: number;
}

/** A fitted forest: ml-random-forest's own JSON form (RandomForestRegression.load reads it). */
export type RandomForestModel = Record<string, unknown>;

/** Rows as ml-random-forest takes them (number[][]), from columns. */
function toRows(X: readonly Float64Array[]): number[][] {
  const n = X.length === 0 ? 0 : X[0]!.length;
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(X.length);
    for (let j = 0; j < X.length; j++) row[j] = X[j]![i]!;
    rows[i] = row;
  }
  return rows;
}

/** The seed of every tree: the first 32-bit word of SeedSequence(seed).spawn(nEstimators)[t]. */
export function treeSeeds(seed: number, nEstimators: number): Uint32Array {
  return Uint32Array.from(new SeedSequence(seed).spawn(nEstimators), (child) => child.generateState(1)[0]!);
}

/** The options with their defaults, checked (plain data: task arguments carry them). */
function forestSettings(options: RandomForestOptions) {
  const { nEstimators = 50, maxFeatures, seed = 42, useSampleBagging = true, replacement = false, maxDepth = 8, minNumSamples = 5, nJobs = 1 } = options;
  if (!Number.isInteger(nEstimators) || nEstimators < 1) throw new DuskError(`randomForest: nEstimators must be a positive integer, got ${nEstimators}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new DuskError(`randomForest: seed must be a 32-bit non-negative integer, got ${seed}`);
  if (!Number.isInteger(nJobs) || nJobs < 1) throw new DuskError(`randomForest: nJobs must be a positive integer, got ${nJobs}`);
  return { nEstimators, maxFeatures, seed, useSampleBagging, replacement, maxDepth, minNumSamples, nJobs };
}

/**
 * Trees first … first + count − 1 of the forest `options` describe, fitted on X, y: a forest of
 * those trees only (ml-random-forest's JSON form). Each tree is a one-tree ml-random-forest
 * fit with the tree's own seed (treeSeeds).
 */
export function trainForestTrees(options: RandomForestOptions, X: readonly Float64Array[], y: Float64Array, first: number, count: number): RandomForestModel {
  const settings = forestSettings(options);
  if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 1 || first + count > settings.nEstimators) {
    throw new DuskError(`randomForest: trees ${first} … ${first + count - 1} are not among the forest's ${settings.nEstimators}`);
  }
  const seeds = treeSeeds(settings.seed, settings.nEstimators);
  const rows = toRows(X), values = Array.from(y);
  const estimators: unknown[] = [], indexes: unknown[] = [];
  let base: Record<string, unknown> | undefined;
  for (let t = first; t < first + count; t++) {
    const forest = new RandomForestRegression({
      nEstimators: 1, seed: seeds[t]!, useSampleBagging: settings.useSampleBagging, replacement: settings.replacement, noOOB: true,
      ...(settings.maxFeatures === undefined ? {} : { maxFeatures: settings.maxFeatures }),
      treeOptions: { maxDepth: settings.maxDepth, minNumSamples: settings.minNumSamples },
    });
    forest.train(rows, values);
    // Through JSON: the model is then plain data (no class instances) that crosses to workers.
    const json = JSON.parse(JSON.stringify(forest.toJSON())) as { baseModel: Record<string, unknown> };
    base ??= json.baseModel;
    estimators.push(...(json.baseModel['estimators'] as unknown[]));
    indexes.push(...(json.baseModel['indexes'] as unknown[]));
  }
  return { name: 'RFRegression', selectionMethod: 'mean', baseModel: { ...base!, seed: settings.seed, nEstimators: estimators.length, estimators, indexes } };
}

/** One forest from forests of consecutive runs of trees (trainForestTrees' results, in tree order). */
export function mergeForests(parts: readonly RandomForestModel[]): RandomForestModel {
  if (parts.length === 0) throw new DuskError('randomForest: no trees to merge');
  const bases = parts.map((p) => p['baseModel'] as Record<string, unknown>);
  const estimators = bases.flatMap((b) => b['estimators'] as unknown[]), indexes = bases.flatMap((b) => b['indexes'] as unknown[]);
  return { ...parts[0]!, baseModel: { ...bases[0]!, nEstimators: estimators.length, estimators, indexes } };
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

/** A random-forest regression (ml-random-forest's trees; each tree seeded on its own: see treeSeeds). */
export function randomForestMethod(options: RandomForestOptions = {}): Method<RandomForestModel> {
  const settings = forestSettings(options);
  return {
    name: 'randomForest',
    fit: (X, y) => trainForestTrees(options, X, y, 0, settings.nEstimators),
    predict(model, X) {
      const forest = RandomForestRegression.load(model as unknown as Parameters<typeof RandomForestRegression.load>[0]);
      return Float64Array.from(forest.predict(toRows(X)));
    },
  };
}
