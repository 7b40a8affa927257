/**
 * Course unit, scenario 3: 10-fold cross-validation of a random forest on a few cores (the
 * unit's c.map(cv_fit, range(n_folds)) + c.gather on a 2-worker LocalCluster, where the results
 * then still have to be put back in the order of the rows). ddf.ml.crossValidate does all of it:
 * one task per fold, X and y shared with the workers once, out-of-fold predictions returned
 * aligned with the rows, and per-fold and overall metrics. The data and folds are the unit's,
 * bit for bit (np.random.seed(1), n = 1000, p = 50, folds = permutation(repeat(0:10, 100))).
 *
 *   npm run build && npx tsx examples/scenario-3-cv-folds.ts [--workers 2] [--trees 100] [--depth 0] [--features 1]
 *
 * The forest is the unit's RandomForestRegressor(): 100 full-depth trees (--depth 0: no limit),
 * all features per split (scikit-learn's default for regression).
 */
import { pathToFileURL } from 'node:url';
import * as ddf from 'dusk';
import { makeCvData } from './tasks/cv.js';

export interface CvFoldsOptions {
  numWorkers: number;
  trees: number;
  /** Depth limit; 0 or absent for none. */
  maxDepth?: number;
  maxFeatures?: number;
  scheduler?: 'sync' | 'threads' | 'processes';
}

/** The unit's scenario 3: its data, its folds, one random forest cross-validated on them. */
export async function runCvFolds(options: CvFoldsOptions) {
  const data = makeCvData(1);
  const forest = ddf.ml.randomForest({ nEstimators: options.trees, ...(options.maxDepth ? { maxDepth: options.maxDepth } : {}), maxFeatures: options.maxFeatures ?? 1, seed: 1 });
  const t0 = performance.now();
  const cv = await ddf.ml.crossValidate([forest], { X: data.X, y: data.y }, { folds: data.folds, scheduler: options.scheduler ?? 'threads', numWorkers: options.numWorkers });
  return { data, result: cv.methods[0]!, seconds: (performance.now() - t0) / 1000 };
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const numWorkers = option('--workers', 2); // the unit's n_cores = 2
  const trees = option('--trees', 100), maxDepth = option('--depth', 0), maxFeatures = option('--features', 1);
  const { data, result, seconds } = await runCvFolds({ numWorkers, trees, maxDepth, maxFeatures });
  console.log(`data: n = ${data.n}, p = ${data.p} (numpy's np.random.seed(1) data); 10 folds of ${data.n / 10} rows (permutation(repeat(0:10, 100)))`);
  console.log(`random forest: ${trees} trees, ${maxDepth ? `depth ≤ ${maxDepth}` : 'full depth'}, ${Math.round(maxFeatures * 100)}% of the features per split`);
  for (const f of result.perFold) console.log(`  fold ${f.fold}: ${f.n} test rows, MSE ${f.mse.toFixed(3)}`);
  const meanY = data.y.reduce((a, v) => a + v, 0) / data.n;
  const varY = data.y.reduce((a, v) => a + (v - meanY) ** 2, 0) / data.n;
  console.log(`CV MSE ${result.metrics.mse.toFixed(3)} (variance of y ${varY.toFixed(3)}), CV R² ${result.metrics.r2.toFixed(3)}`);
  console.log(`first out-of-fold predictions (rows 0-4, in row order): ${Array.from(result.predictions.slice(0, 5), (v) => v.toFixed(3)).join(', ')}`);
  console.log(`10 folds on ${numWorkers} worker threads in ${seconds.toFixed(2)} s (including starting the workers)`);
  await ddf.shutdown();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
