import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import {
  crossValidate, fit, fitLogistic, logisticRegression, mean, method, ols, predict, predictLogisticProba, predictProba, randomForestClassifier, superLearner,
} from '../../src/ml/index.js';
import { alwaysFirstClass, shiftedMean } from './method-module.js';
import { unitData } from './unit-data.js';

afterAll(() => ddf.shutdown());

/** Written by test/ml/make-classifier-vectors.py (scikit-learn on the same data and folds). */
interface Vectors {
  sklearn: string;
  logistic: { target: 'binary' | 'three'; C: number; classes: number[]; intercept: number[]; coef: number[][]; probabilities: number[][] }[];
  cv: { target: 'binary' | 'three'; method: string; probabilities?: number[][]; accuracy: number; logLoss: number }[];
}
const V = JSON.parse(readFileSync(fileURLToPath(new URL('./classifier-vectors.json', import.meta.url)), 'utf8')) as Vectors;

const { X, y } = unitData(1, 300, 6);
const fresh = unitData(4, 50, 6).X;
const targets = { binary: y.map((v) => (v >= 1 ? 1 : 0)), three: y.map((v) => (v < -0.5 ? -1 : v < 1 ? 2 : 7)) };
const folds = Int32Array.from({ length: 300 }, (_, i) => i % 5);

describe(`logisticRegression = scikit-learn ${V.sklearn}'s LogisticRegression(C) (binary and multinomial)`, () => {
  for (const c of V.logistic) {
    it(`${c.target} classes, C = ${c.C}: intercepts, coefficients and probabilities`, () => {
      const model = fitLogistic(X, targets[c.target], { C: c.C });
      expect(Array.from(model.classes)).toEqual(c.classes);
      const d = 7;
      c.intercept.forEach((b, r) => {
        expect(model.weights[r * d]!).toBeCloseTo(b, 7);
        c.coef[r]!.forEach((w, j) => expect(model.weights[r * d + 1 + j]!).toBeCloseTo(w, 7));
      });
      const got = predictLogisticProba(model, fresh);
      c.probabilities.forEach((column, k) => column.forEach((p, i) => expect(got.probabilities[k]![i]!).toBeCloseTo(p, 8)));
    });
  }
});

describe('crossValidate with classifiers', () => {
  for (const target of ['binary', 'three'] as const) {
    const want = V.cv.find((c) => c.target === target && c.method === 'logisticRegression')!;
    const forestWant = V.cv.find((c) => c.target === target && c.method === 'RandomForestClassifier(100)')!;
    it(`${target}: out-of-fold probabilities, accuracy and log loss = scikit-learn's cross_val_predict, accuracy_score, log_loss`, async () => {
      const cv = await crossValidate([logisticRegression(), randomForestClassifier({ seed: 1 })], { X, y: targets[target] }, { folds, scheduler: 'threads', numWorkers: 2 });
      const [logistic, forest] = cv.methods;
      expect(Array.from(cv.classes)).toEqual(target === 'binary' ? [0, 1] : [-1, 2, 7]);
      want.probabilities!.forEach((column, k) => column.forEach((p, i) => expect(logistic!.probabilities[k]![i]!).toBeCloseTo(p, 8)));
      expect(logistic!.metrics.accuracy).toBe(want.accuracy);
      expect(logistic!.metrics.logLoss).toBeCloseTo(want.logLoss, 8);
      // The predicted class is the most probable one.
      logistic!.predictions.forEach((label, i) => {
        const k = cv.classes.indexOf(label);
        for (const column of logistic!.probabilities) expect(column[i]!).toBeLessThanOrEqual(logistic!.probabilities[k]![i]!);
      });
      // Per fold: 60 rows each, accuracy by hand.
      expect(logistic!.perFold.map((f) => f.n)).toEqual([60, 60, 60, 60, 60]);
      const rows0 = [...folds.keys()].filter((i) => folds[i] === 0);
      expect(logistic!.perFold[0]!.accuracy).toBe(rows0.filter((i) => logistic!.predictions[i] === targets[target][i]).length / 60);
      // The forest's trees differ from scikit-learn's (other feature draws), its quality does not.
      expect(Math.abs(forest!.metrics.accuracy - forestWant.accuracy)).toBeLessThan(0.05);
      expect(forest!.metrics.logLoss).toBeLessThan(forestWant.logLoss * 1.15);
    }, 60_000);
  }

  it('identical probabilities on sync, threads (1, 2 workers) and processes', async () => {
    const methods = [logisticRegression({ C: 0.5 }), randomForestClassifier({ nEstimators: 10, seed: 4 })];
    const runs = [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, numWorkers: 1 }, { scheduler: 'threads' as const, numWorkers: 2, chunksize: 2 }, { scheduler: 'processes' as const, numWorkers: 2 }];
    const results = [];
    for (const run of runs) results.push(await crossValidate(methods, { X, y: targets.three }, { folds: 4, shuffle: true, seed: 2, ...run }));
    for (const other of results.slice(1)) {
      expect(other.methods.map((m) => m.probabilities.map((c) => Array.from(c)))).toEqual(results[0]!.methods.map((m) => m.probabilities.map((c) => Array.from(c))));
      expect(other.methods.map((m) => m.metrics)).toEqual(results[0]!.methods.map((m) => m.metrics));
    }
  }, 120_000);

  it("a user's classifier (kind: 'classification') runs on workers; a class a fold's model never saw gets probability 0", async () => {
    const cv = await crossValidate([method(alwaysFirstClass, null, { kind: 'classification' })], { X, y: targets.binary }, { folds, scheduler: 'threads', numWorkers: 2 });
    // The model predicts its first training class with probability 1: 0 everywhere (0 is in every fold's training rows).
    expect(Array.from(cv.methods[0]!.probabilities[0]!)).toEqual(new Array(300).fill(1));
    expect(Array.from(cv.methods[0]!.probabilities[1]!)).toEqual(new Array(300).fill(0));
    expect(cv.methods[0]!.metrics.accuracy).toBe(targets.binary.filter((v) => v === 0).length / 300);
  }, 60_000);

  it('refuses a mix of classifiers and regression methods, and a classifier not declared as one', async () => {
    await expect(crossValidate([logisticRegression(), ols()], { X, y: targets.binary })).rejects.toThrow(/classifiers \(logisticRegression\) and regression methods cannot be cross-validated together/);
    await expect(crossValidate([method(alwaysFirstClass, null)], { X, y: targets.binary }, { folds: 3, scheduler: 'sync' })).rejects.toThrow(/method 'alwaysFirstClass' is a classifier \(kind: 'classification'\); say so/);
    await expect(crossValidate([method(shiftedMean, { shift: 1 }, { kind: 'classification' })], { X, y: targets.binary }, { folds: 3, scheduler: 'sync' })).rejects.toThrow(/was given as a classifier but its factory built a regression method/);
    await expect(crossValidate([logisticRegression()], { X, y: Float64Array.from(y, (v, i) => (i === 3 ? NaN : v)) })).rejects.toThrow(/y\[3\] is NaN/);
  });
});

describe('superLearner, fit and predict with classifiers', () => {
  it('weighs the methods by NNLS on their class probabilities: weights ≥ 0 sum to 1, Brier score ≤ the best method’s; its model predicts', async () => {
    const sl = await superLearner([logisticRegression(), randomForestClassifier({ nEstimators: 30, seed: 1, nJobs: 2 })], { X, y: targets.three }, { folds, scheduler: 'threads', numWorkers: 2 });
    expect(sl.weights.every((w) => w >= 0)).toBe(true);
    expect(sl.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(sl.cvRisk).toBeLessThanOrEqual(Math.min(...sl.methods.map((m) => m.cvRisk)) + 1e-12);
    // Brier score by hand for the logistic regression.
    const classes = [-1, 2, 7];
    let brier = 0;
    for (let i = 0; i < 300; i++) classes.forEach((c, k) => (brier += (sl.cv.methods[0]!.probabilities[k]![i]! - (targets.three[i] === c ? 1 : 0)) ** 2));
    expect(sl.methods[0]!.cvRisk).toBeCloseTo(brier / 300, 12);
    const proba = await predictProba(sl.model, fresh);
    expect(Array.from(proba.classes)).toEqual(classes);
    for (let i = 0; i < 50; i++) expect(proba.probabilities.reduce((a, c) => a + c[i]!, 0)).toBeCloseTo(1, 12);
    const labels = await predict(sl.model, fresh);
    expect(labels.every((v) => classes.includes(v))).toBe(true);
  }, 120_000);

  it('ml.fit of a classifier forest in nJobs tasks is the one-task forest; predict gives its most probable classes', async () => {
    const spec = randomForestClassifier({ nEstimators: 9, seed: 2 });
    const one = await fit(spec, { X, y: targets.three }, { scheduler: 'sync' });
    const three = await fit(randomForestClassifier({ nEstimators: 9, seed: 2, nJobs: 3 }), { X, y: targets.three }, { scheduler: 'processes', numWorkers: 2 });
    expect(three.model).toEqual(one.model);
    const proba = await predictProba(one, fresh), labels = await predict(one, fresh);
    labels.forEach((label, i) => expect(proba.probabilities[proba.classes.indexOf(label)]![i]).toBe(Math.max(...proba.probabilities.map((c) => c[i]!))));
    await expect(predictProba(await fit(mean(), { X, y }, { scheduler: 'sync' }), fresh)).rejects.toThrow(/regression model; probabilities are for classifiers/);
  }, 120_000);
});

describe('X as an Arrow table or a Dusk DataFrame', () => {
  const columns = Object.fromEntries(X.map((c, j) => [`x${j + 1}`, c]));
  it('crossValidate, fit and predict give the same results as with Float64Array columns', async () => {
    const table = tableFromArrays(columns);
    const frame = ddf.fromArrow(table);
    const viaArrays = await crossValidate([ols()], { X, y }, { folds, scheduler: 'sync' });
    const viaTable = await crossValidate([ols()], { X: table, y }, { folds, scheduler: 'threads', numWorkers: 2 });
    const viaFrame = await crossValidate([ols()], { X: frame, y }, { folds, scheduler: 'sync' });
    expect(Array.from(viaTable.methods[0]!.predictions)).toEqual(Array.from(viaArrays.methods[0]!.predictions));
    expect(Array.from(viaFrame.methods[0]!.predictions)).toEqual(Array.from(viaArrays.methods[0]!.predictions));
    const fitted = await fit(ols(), { X: table, y }, { scheduler: 'sync' });
    const freshTable = tableFromArrays(Object.fromEntries(fresh.map((c, j) => [`x${j + 1}`, c])));
    expect(Array.from(await predict(fitted, freshTable))).toEqual(Array.from(await predict(fitted, fresh)));
    // Integer columns are converted.
    const ints = tableFromArrays({ a: Int32Array.from({ length: 300 }, (_, i) => i % 7), b: Float32Array.from(X[0]!) });
    const viaInts = await crossValidate([ols()], { X: ints, y }, { folds, scheduler: 'sync' });
    const direct = await crossValidate([ols()], { X: [Float64Array.from({ length: 300 }, (_, i) => i % 7), Float64Array.from(Float32Array.from(X[0]!))], y }, { folds, scheduler: 'sync' });
    expect(Array.from(viaInts.methods[0]!.predictions)).toEqual(Array.from(direct.methods[0]!.predictions));
  }, 60_000);

  it('refuses non-numeric columns, nulls and a wrong row count, naming the column and row', async () => {
    const strings = tableFromArrays({ x1: X[0]!, name: Array.from({ length: 300 }, (_, i) => `r${i}`) });
    await expect(crossValidate([ols()], { X: strings, y })).rejects.toThrow(/X column 'name' is Dictionary<Int32, Utf8>; features must be numeric/);
    const withNull = tableFromArrays({ x1: X[0]!, x2: Array.from({ length: 300 }, (_, i) => (i === 41 ? null : i)) });
    await expect(crossValidate([ols()], { X: withNull, y })).rejects.toThrow(/X column 'x2' is null at row 41/);
    await expect(crossValidate([ols()], { X: tableFromArrays({ x1: X[0]!.subarray(0, 10) }), y })).rejects.toThrow(/X\[0\] has 10 rows, y has 300/);
  });
});
