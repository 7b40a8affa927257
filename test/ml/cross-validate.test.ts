import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { DuskError } from '../../src/index.js';
import { crossValidate, kFold, mean, method, ols, randomForest, ridge } from '../../src/ml/index.js';
import { shiftedMean } from './method-module.js';
import { unitData } from './unit-data.js';

afterAll(() => ddf.shutdown());

// The unit's data (RandomState(1) normal X), smaller than its 1000 × 50 for speed.
const { X, y } = unitData(1, 300, 10);
const n = y.length;

describe('crossValidate', () => {
  it('gives identical predictions and metrics on sync, threads (1 and 2 workers) and processes', async () => {
    const methods = [mean(), ols(), ridge(2), randomForest({ nEstimators: 4, maxDepth: 4, seed: 7 })];
    const runs = [
      { scheduler: 'sync' as const },
      { scheduler: 'threads' as const, numWorkers: 1 },
      { scheduler: 'threads' as const, numWorkers: 2 },
      { scheduler: 'threads' as const, numWorkers: 2, chunksize: 3 },
      { scheduler: 'processes' as const, numWorkers: 2 },
    ];
    const results = [];
    for (const run of runs) results.push(await crossValidate(methods, { X, y }, { folds: 5, shuffle: true, seed: 0, ...run }));
    const [first, ...rest] = results;
    expect(first!.methods.map((m) => m.name)).toEqual(['mean', 'ols', 'ridge(2)', 'randomForest']);
    for (const m of first!.methods) {
      expect(m.predictions).toHaveLength(n);
      expect(m.predictions.every(Number.isFinite)).toBe(true);
    }
    for (const other of rest) {
      expect(other.methods.map((m) => Array.from(m.predictions))).toEqual(first!.methods.map((m) => Array.from(m.predictions)));
      expect(other.methods.map((m) => [m.metrics, m.perFold])).toEqual(first!.methods.map((m) => [m.metrics, m.perFold]));
    }
  }, 120_000);

  it('folds = k are kFold(n, k, { shuffle, seed }); metrics equal a hand computation', async () => {
    const result = await crossValidate([mean()], { X, y }, { folds: 4, shuffle: true, seed: 3, scheduler: 'threads', numWorkers: 2 });
    const folds = kFold(n, 4, { shuffle: true, seed: 3 });
    expect(Array.from(result.folds)).toEqual(Array.from(folds));
    // By hand: each row's prediction is the mean of y over the other folds.
    const expected = new Float64Array(n);
    for (let f = 0; f < 4; f++) {
      let s = 0, c = 0;
      for (let i = 0; i < n; i++) if (folds[i] !== f) (s += y[i]!), c++;
      for (let i = 0; i < n; i++) if (folds[i] === f) expected[i] = s / c;
    }
    const [m] = result.methods;
    expect(Array.from(m!.predictions)).toEqual(Array.from(expected));
    let sse = 0, sae = 0, sst = 0;
    const yMean = y.reduce((a, v) => a + v, 0) / n;
    for (let i = 0; i < n; i++) {
      sse += (y[i]! - expected[i]!) ** 2;
      sae += Math.abs(y[i]! - expected[i]!);
      sst += (y[i]! - yMean) ** 2;
    }
    expect(m!.metrics.mse).toBeCloseTo(sse / n, 12);
    expect(m!.metrics.rmse).toBeCloseTo(Math.sqrt(sse / n), 12);
    expect(m!.metrics.mae).toBeCloseTo(sae / n, 12);
    expect(m!.metrics.r2).toBeCloseTo(1 - sse / sst, 12);
    expect(m!.perFold.map((p) => [p.fold, p.n])).toEqual([[0, 75], [1, 75], [2, 75], [3, 75]]);
    const rows0 = [...folds.keys()].filter((i) => folds[i] === 0);
    const mse0 = rows0.reduce((a, i) => a + (y[i]! - expected[i]!) ** 2, 0) / rows0.length;
    expect(m!.perFold[0]!.mse).toBeCloseTo(mse0, 12);
  }, 60_000);

  it('takes a fold index per row; ols out-of-fold predictions are the fit on the other folds', async () => {
    const folds = Int32Array.from({ length: n }, (_, i) => i % 3);
    const result = await crossValidate([ols()], { X, y }, { folds, scheduler: 'sync' });
    const train = [...folds.keys()].filter((i) => folds[i] !== 1), test = [...folds.keys()].filter((i) => folds[i] === 1);
    const pick = (a: Float64Array, rows: number[]) => Float64Array.from(rows, (i) => a[i]!);
    const { olsMethod } = await import('../../src/ml/index.js');
    const model = olsMethod.fit(X.map((c) => pick(c, train)), pick(y, train));
    const direct = olsMethod.predict(model, X.map((c) => pick(c, test)));
    expect(test.map((i) => result.methods[0]!.predictions[i])).toEqual(Array.from(direct));
  });

  it('on data with signal, the random forest and ols beat the mean', async () => {
    const result = await crossValidate([mean(), ols(), randomForest({ nEstimators: 10, maxDepth: 5, seed: 1 })], { X, y }, { folds: 5, scheduler: 'threads', numWorkers: 2 });
    const [base, linear, forest] = result.methods;
    expect(Number.isFinite(forest!.metrics.mse)).toBe(true);
    expect(forest!.metrics.mse).toBeLessThan(0.8 * base!.metrics.mse);
    expect(linear!.metrics.mse).toBeLessThan(0.8 * base!.metrics.mse);
  }, 60_000);

  it("runs a user's method (a task module's factory, by name and params) on threads and processes", async () => {
    const spec = method(shiftedMean, { shift: 10 });
    const [onThreads, onProcesses, baseline] = [
      await crossValidate([spec], { X, y }, { folds: 3, scheduler: 'threads', numWorkers: 2 }),
      await crossValidate([spec], { X, y }, { folds: 3, scheduler: 'processes', numWorkers: 1 }),
      await crossValidate([mean()], { X, y }, { folds: 3, scheduler: 'sync' }),
    ];
    expect(onThreads.methods[0]!.name).toBe('shiftedMean');
    expect(Array.from(onThreads.methods[0]!.predictions)).toEqual(Array.from(baseline.methods[0]!.predictions, (v) => v + 10));
    expect(Array.from(onProcesses.methods[0]!.predictions)).toEqual(Array.from(onThreads.methods[0]!.predictions));
  }, 60_000);

  it('runs from the built package (dist/): workers find the task in its bundle chunk', async () => {
    const built = await import('../../dist/index.js');
    const result = await built.ml.crossValidate([built.ml.ols()], { X, y }, { folds: 3, scheduler: 'threads', numWorkers: 1 });
    const fromSource = await crossValidate([ols()], { X, y }, { folds: 3, scheduler: 'sync' });
    expect(Array.from(result.methods[0]!.predictions)).toEqual(Array.from(fromSource.methods[0]!.predictions));
    await built.shutdown();
  }, 60_000);

  it('refuses bad arguments with what is wrong', async () => {
    await expect(crossValidate([mean()], { X: [Float64Array.of(1, 2)], y: Float64Array.of(1, 2, 3) })).rejects.toThrow(/X\[0\] has 2 rows, y has 3/);
    await expect(crossValidate([mean(), mean()], { X, y })).rejects.toThrow(/two methods are named 'mean'/);
    await expect(crossValidate([mean()], { X, y }, { folds: new Int32Array(n) })).rejects.toThrow(/every row is in fold 0; at least 2 folds/);
    await expect(crossValidate([mean()], { X, y }, { folds: new Int32Array(3) })).rejects.toThrow(/folds has 3 entries, y has 300 rows/);
    expect(() => method((() => ({})) as never, {})).toThrow(DuskError);
    expect(() => ridge(-1)).toThrow(/lambda must be a finite number >= 0/);
  });
});
