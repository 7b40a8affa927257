import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { fit, mean, mergeForests, predict, randomForest, randomForestMethod, superLearner, trainForestTrees, treeSeeds } from '../../src/ml/index.js';
import { treeRuns } from '../../src/ml/random-forest.js';
import { unitData } from './unit-data.js';

afterAll(() => ddf.shutdown());

const { X, y } = unitData(1, 200, 6);
const fresh = unitData(4, 40, 6).X;
const options = { nEstimators: 7, seed: 5, maxDepth: 4, maxFeatures: 0.5 };

describe('randomForest({ nEstimators, nJobs, seed }): one forest trained across workers', () => {
  it("tree seeds are numpy's SeedSequence(seed).spawn(nEstimators)[t].generate_state(1)[0]", () => {
    // From numpy 1.24.2: [int(c.generate_state(1)[0]) for c in np.random.SeedSequence(5).spawn(7)]
    expect(Array.from(treeSeeds(5, 7))).toEqual([803261128, 3767054407, 3210010690, 2928346150, 3860361780, 4170728348, 456984185]);
  });

  it('is the same forest, to the bit, for every nJobs and scheduler', async () => {
    const runs = [
      { nJobs: 1, scheduler: 'sync' as const },
      { nJobs: 2, scheduler: 'threads' as const, numWorkers: 1 },
      { nJobs: 3, scheduler: 'threads' as const, numWorkers: 2 },
      { nJobs: 7, scheduler: 'threads' as const, numWorkers: 2, chunksize: 2 },
      { nJobs: 20, scheduler: 'processes' as const, numWorkers: 2 },
    ];
    const fits = [];
    for (const { nJobs, ...compute } of runs) fits.push(await fit(randomForest({ ...options, nJobs }), { X, y }, compute));
    const direct = randomForestMethod(options).fit(X, y);
    for (const f of fits) expect(f.model).toEqual(direct);
    const predictions = await Promise.all(fits.map((f) => predict(f, fresh)));
    for (const p of predictions) expect(Array.from(p)).toEqual(Array.from(predictions[0]!));
    expect(Array.from(predictions[0]!)).toEqual(Array.from(randomForestMethod(options).predict(direct, fresh)));
  }, 120_000);

  it('tree t is a one-tree forest of its own seed; the forest predicts the mean of its trees; runs of trees merge into it', () => {
    const forest = randomForestMethod(options);
    const model = forest.fit(X, y);
    const trees = Array.from({ length: 7 }, (_, t) => trainForestTrees(options, X, y, t, 1));
    expect(new Set(trees.map((t) => JSON.stringify(Array.from(t.trees[0]!.threshold)))).size).toBe(7); // the trees differ
    trees.forEach((one, t) => expect(one.trees[0]).toEqual(model.trees[t]));
    const perTree = trees.map((one) => forest.predict(one, fresh));
    const got = forest.predict(model, fresh);
    for (let i = 0; i < 40; i++) expect(got[i]).toBeCloseTo(perTree.reduce((a, t) => a + t[i]!, 0) / 7, 12);
    const parts = treeRuns(7, 3).map(([first, count]) => trainForestTrees(options, X, y, first, count));
    expect(treeRuns(7, 3)).toEqual([[0, 3], [3, 2], [5, 2]]);
    expect(mergeForests(parts)).toEqual(model);
  });

  it("superLearner refits a forest in nJobs tasks: the same model as one task's", async () => {
    const one = await superLearner([mean(), randomForest(options)], { X, y }, { folds: 3, scheduler: 'sync' });
    const three = await superLearner([mean(), randomForest({ ...options, nJobs: 3 })], { X, y }, { folds: 3, scheduler: 'threads', numWorkers: 2 });
    expect(three.weights).toEqual(one.weights);
    expect(three.model.members[1]!.model).toEqual(one.model.members[1]!.model);
  }, 60_000);

  it('trains from the built package (dist/): workers find the tree task in its bundle chunk', async () => {
    const built = await import('../../dist/index.js');
    const fitted = await built.ml.fit(built.ml.randomForest({ ...options, nJobs: 2 }), { X, y }, { scheduler: 'threads', numWorkers: 2 });
    expect(fitted.model).toEqual(randomForestMethod(options).fit(X, y));
    await built.shutdown();
  }, 60_000);

  it('refuses a bad nJobs or tree run', () => {
    expect(() => randomForest({ nJobs: 0 })).toThrow(/randomForest: nJobs must be a positive integer, got 0/);
    expect(() => trainForestTrees(options, X, y, 5, 3)).toThrow(/trees 5 … 7 are not among the forest's 7/);
  });
});
