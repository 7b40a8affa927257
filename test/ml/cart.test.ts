import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyTree, argsort, growTree, presortFeatures, randomForestClassifierMethod, randomForestMethod, type RandomForestOptions } from '../../src/ml/index.js';
import { unitData } from './unit-data.js';

/** Written by test/ml/make-forest-vectors.py: scikit-learn's trees on the bootstrap rows Dusk's forest draws. */
interface Case {
  name: string;
  kind: 'regression' | 'classification';
  options: RandomForestOptions;
  nodeCounts: number[];
  predictions?: number[];
  classes?: number[];
  probabilities?: number[][];
}
const V = JSON.parse(readFileSync(fileURLToPath(new URL('./forest-vectors.json', import.meta.url)), 'utf8')) as { sklearn: string; cases: Case[] };

// The unit's data, rounded to float32 as scikit-learn's trees see it (then both split the same values).
const train = unitData(1, 300, 6);
const X = train.X.map((c) => c.map(Math.fround)), y = train.y;
const labels = y.map((v) => (v < -0.5 ? -1 : v < 1 ? 2 : 7));
const fresh = unitData(4, 50, 6).X.map((c) => c.map(Math.fround));
/** Cases whose trees have no exact ties between candidate splits: there the trees must be scikit-learn's. */
const TIE_FREE = new Set(['regression, maxDepth 4, minSamplesLeaf 3', 'regression, no bootstrap, minSamplesSplit 10', 'classification, maxDepth 3']);

describe(`CART trees and forests = scikit-learn ${V.sklearn}'s on the same bootstrap rows (all features per split)`, () => {
  for (const c of V.cases) {
    const fitted = c.kind === 'regression' ? randomForestMethod(c.options).fit(X, y) : randomForestClassifierMethod(c.options).fit(X, labels);
    it(`${c.name}: every tree has scikit-learn's number of nodes`, () => {
      expect(fitted.trees.map((t) => t.feature.length)).toEqual(c.nodeCounts);
    });
    if (!TIE_FREE.has(c.name)) continue;
    it(`${c.name}: predictions equal scikit-learn's (1e-12)`, () => {
      if (c.kind === 'regression') {
        const got = randomForestMethod(c.options).predict(fitted, fresh);
        c.predictions!.forEach((want, i) => expect(Math.abs(got[i]! - want)).toBeLessThan(1e-12));
      } else {
        const got = randomForestClassifierMethod(c.options).predictProba(fitted, fresh);
        expect(Array.from(got.classes)).toEqual(c.classes);
        c.probabilities!.forEach((column, k) => column.forEach((want, i) => expect(Math.abs(got.probabilities[k]![i]! - want)).toBeLessThan(1e-12)));
      }
    });
  }
});

describe('argsort', () => {
  it('orders the rows by value, ties included, as a comparator sort does', () => {
    for (const values of [X[0]!, Float64Array.from(y, (v) => Math.round(v)), new Float64Array(40).fill(3), Float64Array.from({ length: 1000 }, (_, i) => (i * 7919) % 13)]) {
      const order = argsort(values);
      expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from(values.keys()));
      for (let k = 1; k < order.length; k++) expect(values[order[k - 1]!]!).toBeLessThanOrEqual(values[order[k]!]!);
    }
  });
});

describe('growTree', () => {
  const sorted = presortFeatures(X);
  const settings = { maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 6 };
  const draw = (low: number) => low;

  it('without limits, a regression tree on distinct rows fits every training row exactly', () => {
    const tree = growTree(X, sorted, { kind: 'regression', y }, new Float64Array(300).fill(1), settings, draw);
    const leaves = applyTree(tree, X, 300);
    leaves.forEach((leaf, i) => expect(tree.value[leaf]).toBe(y[i]));
  });

  it('honours minSamplesLeaf and maxDepth; weights of 0 leave rows out', () => {
    const weights = Float64Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 0 : i % 2 + 1));
    const tree = growTree(X, sorted, { kind: 'regression', y }, weights, { ...settings, maxDepth: 5, minSamplesLeaf: 7 }, draw);
    const inSample = [...weights.keys()].filter((i) => weights[i]! > 0);
    const leaves = applyTree(tree, X.map((c) => Float64Array.from(inSample, (i) => c[i]!)), inSample.length);
    const counts = new Map<number, number>();
    leaves.forEach((leaf) => counts.set(leaf, (counts.get(leaf) ?? 0) + 1));
    for (const count of counts.values()) expect(count).toBeGreaterThanOrEqual(7);
    // Depth: follow every node's children from the root.
    const depth = (node: number): number => (tree.feature[node]! < 0 ? 0 : 1 + Math.max(depth(tree.left[node]!), depth(tree.right[node]!)));
    expect(depth(0)).toBe(5);
    // A leaf's value is the weighted mean of its rows' y.
    const sums = new Map<number, [number, number]>();
    leaves.forEach((leaf, k) => {
      const i = inSample[k]!, s = sums.get(leaf) ?? [0, 0];
      sums.set(leaf, [s[0] + weights[i]! * y[i]!, s[1] + weights[i]!]);
    });
    for (const [leaf, [sum, w]] of sums) expect(tree.value[leaf]).toBeCloseTo(sum / w, 12);
  });

  it('a constant target or constant features make a single leaf', () => {
    const constantY = growTree(X, sorted, { kind: 'regression', y: new Float64Array(300).fill(2.5) }, new Float64Array(300).fill(1), settings, draw);
    expect(Array.from(constantY.feature)).toEqual([-1]);
    const flat = [new Float64Array(300).fill(1)];
    const constantX = growTree(flat, presortFeatures(flat), { kind: 'regression', y }, new Float64Array(300).fill(1), { ...settings, maxFeatures: 1 }, draw);
    expect(Array.from(constantX.feature)).toEqual([-1]);
    expect(constantX.value[0]).toBeCloseTo(y.reduce((a, v) => a + v, 0) / 300, 12);
  });
});

describe('randomForest options', () => {
  it('refuses unknown options and bad values, naming them', () => {
    expect(() => randomForestMethod({ minNumSamples: 5 } as RandomForestOptions)).toThrow(/randomForest: unknown option 'minNumSamples'/);
    expect(() => randomForestMethod({ maxFeatures: 1.5 })).toThrow(/maxFeatures must be 'sqrt', 'log2', a fraction in \(0, 1\] or an integer count, got 1.5/);
    expect(() => randomForestMethod({ maxFeatures: 9 }).fit(X, y)).toThrow(/maxFeatures is 9 but X has 6 features/);
    expect(() => randomForestClassifierMethod({ minSamplesLeaf: 0 })).toThrow(/randomForestClassifier: minSamplesLeaf must be a positive integer, got 0/);
    const withNaN = X.map((c, j) => (j === 2 ? Float64Array.from(c, (v, i) => (i === 17 ? NaN : v)) : c));
    expect(() => randomForestMethod({ nEstimators: 1 }).fit(withNaN, y)).toThrow(/X\[2\]\[17\] is NaN/);
  });

  it("maxFeatures 'sqrt' draws 2 of 6 features per split: other trees than all features, still better than the mean", () => {
    const all = randomForestMethod({ nEstimators: 20, seed: 3 }), sqrt = randomForestMethod({ nEstimators: 20, seed: 3, maxFeatures: 'sqrt' });
    const a = all.fit(X, y), s = sqrt.fit(X, y);
    expect(s.trees.map((t) => Array.from(t.feature))).not.toEqual(a.trees.map((t) => Array.from(t.feature)));
    const freshY = unitData(4, 50, 6).y;
    const mse = (p: Float64Array) => p.reduce((acc, v, i) => acc + (v - freshY[i]!) ** 2, 0) / 50;
    const yMean = y.reduce((acc, v) => acc + v, 0) / 300;
    expect(mse(sqrt.predict(s, fresh))).toBeLessThan(0.8 * mse(new Float64Array(50).fill(yMean)));
  });
});
