import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { mean, method, nnls, ols, olsMethod, predict, randomForest, ridge, ridgeMethod, superLearner, superLearnerWeights } from '../../src/ml/index.js';
import { shiftedMean } from './method-module.js';
import { bruteForceNnls } from './nnls-reference.js';
import { unitData } from './unit-data.js';

afterAll(() => ddf.shutdown());

// The unit's data (RandomState(1) normal X, y = X1 + sqrt|X2 X3| + X2 − X3 + noise), 300 × 10.
const { X, y } = unitData(1, 300, 10);
const fresh = unitData(2, 50, 10).X;
const methods = [mean(), ols(), ridge(50), randomForest({ nEstimators: 8, maxDepth: 5, seed: 3 })];

describe('superLearner', () => {
  it('weights ≥ 0 summing to 1, from NNLS on the CV predictions; CV risk no worse than the best method', async () => {
    const sl = await superLearner(methods, { X, y }, { folds: 5, shuffle: true, seed: 0, scheduler: 'threads', numWorkers: 2 });
    expect(sl.methods.map((m) => m.name)).toEqual(['mean', 'ols', 'ridge(50)', 'randomForest']);
    expect(sl.weighting).toBe('nnls');
    expect(sl.weights.every((w) => w >= 0)).toBe(true);
    expect(sl.weights.reduce((a, w) => a + w, 0)).toBeCloseTo(1, 14);
    expect(sl.weights.filter((w) => w > 0).length).toBeGreaterThan(1); // a real ensemble here
    // The weights are NNLS (= a brute-force search over the free sets) scaled to sum 1.
    const columns = sl.cv.methods.map((m) => m.predictions);
    const reference = bruteForceNnls(columns, y);
    const total = reference.reduce((a, v) => a + v, 0);
    sl.weights.forEach((w, m) => expect(Math.abs(w - reference[m]! / total)).toBeLessThan(1e-9));
    expect(Array.from(nnls(columns, y), (v) => v > 0)).toEqual(sl.weights.map((w) => w > 0));
    // cvRisk is the MSE of the weighted CV predictions; each method's is its crossValidate MSE.
    let sse = 0;
    for (let i = 0; i < y.length; i++) sse += (y[i]! - columns.reduce((a, c, m) => a + sl.weights[m]! * c[i]!, 0)) ** 2;
    expect(sl.cvRisk).toBeCloseTo(sse / y.length, 12);
    expect(sl.methods.map((m) => m.cvRisk)).toEqual(sl.cv.methods.map((m) => m.metrics.mse));
    expect(sl.cvRisk).toBeLessThanOrEqual(Math.min(...sl.methods.map((m) => m.cvRisk)));
  }, 60_000);

  it('predicts with the weighted sum of the methods refit on all rows', async () => {
    const linear = [ols(), ridge(50), mean()];
    const sl = await superLearner(linear, { X, y }, { folds: 4, scheduler: 'threads', numWorkers: 2 });
    const direct = [olsMethod.predict(olsMethod.fit(X, y), fresh), ridgeMethod(50).predict(ridgeMethod(50).fit(X, y), fresh), new Float64Array(50).fill(y.reduce((a, v) => a + v, 0) / y.length)];
    const expected = new Float64Array(50);
    direct.forEach((p, m) => {
      if (sl.weights[m] !== 0) for (let i = 0; i < 50; i++) expected[i] = expected[i]! + sl.weights[m]! * p[i]!;
    });
    expect(Array.from(await predict(sl.model, fresh))).toEqual(Array.from(expected));
    // The model is plain data: it survives a structured clone.
    expect(Array.from(await predict(structuredClone(sl.model), fresh))).toEqual(Array.from(expected));
  }, 60_000);

  it('is identical on sync, threads (1 and 2 workers) and processes', async () => {
    const runs = [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, numWorkers: 1 }, { scheduler: 'threads' as const, numWorkers: 2, chunksize: 2 }, { scheduler: 'processes' as const, numWorkers: 2 }];
    const results = [];
    for (const run of runs) {
      const sl = await superLearner(methods, { X, y }, { folds: 5, shuffle: true, seed: 1, ...run });
      results.push({ weights: sl.weights, cvRisk: sl.cvRisk, methods: sl.methods, predictions: Array.from(sl.predictions), fresh: Array.from(await predict(sl.model, fresh)) });
    }
    for (const other of results.slice(1)) expect(other).toEqual(results[0]);
  }, 120_000);

  it("when NNLS gives every method 0, the best single method gets weight 1 (a user's methods, far below y)", async () => {
    const low = [method(shiftedMean, { shift: -1000 }, 'minus1000'), method(shiftedMean, { shift: -10 }, 'minus10')];
    const sl = await superLearner(low, { X, y }, { folds: 3, scheduler: 'threads', numWorkers: 2 });
    expect(sl.weighting).toBe('bestMethod');
    expect(sl.weights).toEqual([0, 1]);
    expect(sl.cvRisk).toBe(sl.methods[1]!.cvRisk);
    const p = await predict(sl.model, fresh);
    expect(p.every((v) => Math.abs(v - (y.reduce((a, b) => a + b, 0) / y.length - 10)) < 1e-9)).toBe(true);
    expect(superLearnerWeights([Float64Array.of(-1, -1)], Float64Array.of(1, 1))).toEqual({ weights: [1], weighting: 'bestMethod' });
  }, 60_000);

  it('runs from the built package (dist/): workers find the refit task in its bundle chunk', async () => {
    const built = await import('../../dist/index.js');
    const fromDist = await built.ml.superLearner([built.ml.ols(), built.ml.mean()], { X, y }, { folds: 3, scheduler: 'threads', numWorkers: 1 });
    const fromSource = await superLearner([ols(), mean()], { X, y }, { folds: 3, scheduler: 'sync' });
    expect(fromDist.weights).toEqual(fromSource.weights);
    expect(Array.from(await built.ml.predict(fromDist.model, fresh))).toEqual(Array.from(await predict(fromSource.model, fresh)));
    await built.shutdown();
  }, 60_000);

  it('refuses bad arguments, naming superLearner or predict', async () => {
    await expect(superLearner([mean(), mean()], { X, y })).rejects.toThrow(/superLearner: two methods are named 'mean'/);
    await expect(superLearner([], { X, y })).rejects.toThrow(/superLearner: no methods given/);
    await expect(superLearner([ols(), method(shiftedMean, { shift: NaN }, 'broken')], { X, y }, { folds: 3, scheduler: 'sync' })).rejects.toThrow(/superLearner: method 'broken' predicted NaN for row 0 \(fold 0\)/);
    await expect(predict({ kind: 'other' } as never, fresh)).rejects.toThrow(/ml.predict: the model must be what ml.fit returns or the model of a superLearner result/);
    const sl = await superLearner([ols(), mean()], { X, y }, { folds: 3, scheduler: 'sync' });
    await expect(predict(sl.model, [fresh[0]!, Float64Array.of(1)])).rejects.toThrow(/ml.predict: X\[1\] has 1 rows, X\[0\] has 50/);
  }, 60_000);
});
