/**
 * Course unit, scenario 1A: one model fit that uses several cores through the method's own
 * argument (scikit-learn's RandomForestRegressor(n_jobs=…)). ddf.ml.randomForest({ nJobs })
 * trains the trees in nJobs tasks on the executor and merges them into one forest; tree t is
 * seeded from SeedSequence(seed).spawn(nEstimators)[t], so nJobs = 1 and nJobs = 2 give the
 * same forest to the bit — only the time differs. Data: the unit's (np.random.seed(1), 1000 × 50).
 *
 *   npm run build && npx tsx examples/scenario-1a-forest.ts [--trees 200] [--depth 0]
 *
 * (--depth 0: full-depth trees, as scikit-learn's default.)
 */
import { pathToFileURL } from 'node:url';
import * as ddf from 'dusk';
import { makeCvData } from './tasks/cv.js';

export interface ForestRun {
  nJobs: number;
  seconds: number;
  fitted: ddf.ml.FittedModel;
  /** The forest's predictions for every row of the training data. */
  predictions: Float64Array;
}

/** Fits the same forest with each nJobs (on as many worker threads) and predicts the rows. */
export async function runForest(options: { trees: number; maxDepth?: number; maxFeatures?: number; nJobs: readonly number[] }): Promise<ForestRun[]> {
  const data = makeCvData(1);
  const runs: ForestRun[] = [];
  for (const nJobs of options.nJobs) {
    const spec = ddf.ml.randomForest({ nEstimators: options.trees, ...(options.maxDepth ? { maxDepth: options.maxDepth } : {}), maxFeatures: options.maxFeatures ?? 1, seed: 1, nJobs });
    const t0 = performance.now();
    const fitted = await ddf.ml.fit(spec, { X: data.X, y: data.y }, { scheduler: 'threads', numWorkers: nJobs });
    const seconds = (performance.now() - t0) / 1000;
    runs.push({ nJobs, seconds, fitted, predictions: await ddf.ml.predict(fitted, data.X) });
  }
  return runs;
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const trees = option('--trees', 200), maxDepth = option('--depth', 0);
  const [one, two] = await runForest({ trees, maxDepth, nJobs: [1, 2] });
  console.log(`one forest of ${trees} trees (${maxDepth ? `depth ≤ ${maxDepth}` : 'full depth'}, all features) on the unit's 1000 × 50 data`);
  for (const run of [one!, two!]) console.log(`  nJobs ${run.nJobs}: ${run.seconds.toFixed(2)} s (including starting ${run.nJobs} worker thread${run.nJobs > 1 ? 's' : ''})`);
  const same = JSON.stringify(one!.fitted.model) === JSON.stringify(two!.fitted.model);
  console.log(`the same forest for nJobs 1 and 2: ${same}; first predictions ${Array.from(one!.predictions.slice(0, 3), (v) => v.toFixed(3)).join(', ')}`);
  await ddf.shutdown();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
