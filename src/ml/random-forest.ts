import { RandomForestRegression } from 'ml-random-forest';
import { DuskError } from '../core/errors.js';
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
  /** Seed of the feature and row sampling (a 32-bit integer; default 42). Each fold uses the same seed. */
  seed?: number;
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

/** A random-forest regression (ml-random-forest's RandomForestRegression). */
export function randomForestMethod(options: RandomForestOptions = {}): Method<RandomForestModel> {
  const { nEstimators = 50, maxFeatures, seed = 42, useSampleBagging = true, replacement = false, maxDepth = 8, minNumSamples = 5 } = options;
  if (!Number.isInteger(nEstimators) || nEstimators < 1) throw new DuskError(`randomForest: nEstimators must be a positive integer, got ${nEstimators}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new DuskError(`randomForest: seed must be a 32-bit non-negative integer, got ${seed}`);
  return {
    name: 'randomForest',
    fit(X, y) {
      const forest = new RandomForestRegression({
        nEstimators, seed, useSampleBagging, replacement, noOOB: true,
        ...(maxFeatures === undefined ? {} : { maxFeatures }),
        treeOptions: { maxDepth, minNumSamples },
      });
      forest.train(toRows(X), Array.from(y));
      // Through JSON: the model is then plain data (no class instances) that crosses to workers.
      return JSON.parse(JSON.stringify(forest.toJSON())) as RandomForestModel;
    },
    predict(model, X) {
      const forest = RandomForestRegression.load(model as unknown as Parameters<typeof RandomForestRegression.load>[0]);
      return Float64Array.from(forest.predict(toRows(X)));
    },
  };
}
