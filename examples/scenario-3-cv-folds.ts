/**
 * Course unit, scenario 3: 10-fold cross-validation of a random forest, one task per fold,
 * through a parallel map (the unit's c.map(cv_fit, range(n_folds)) + c.gather on a 2-worker
 * LocalCluster). The data (n = 1000, p = 50, as in the unit) is put on the workers once with
 * client.scatter — the unit's cv_fit reads it from global variables instead.
 *
 *   npm run build && npx tsx examples/scenario-3-cv-folds.ts [--workers 2] [--trees 15]
 *
 * ml-random-forest is much slower than scikit-learn (its trees try every split point), so the
 * forest is small: 15 trees of depth ≤ 6 on 10% of the features (--trees to change).
 */
import { pathToFileURL } from 'node:url';
import * as ddf from 'dusk';
import { type CvItem, cvFit, makeCvData } from './tasks/cv.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const nCores = option('--workers', 2); // the unit's n_cores = 2
  const trees = option('--trees', 8);
  const data = makeCvData(1);
  const nFolds = 10;
  console.log(`data: n = ${data.n}, p = ${data.p}; ${nFolds} folds of ${data.n / nFolds} rows (folds = permutation(repeat(0:10, 100)))`);

  const client = await ddf.Client.local({ nWorkers: nCores });
  try {
    const t0 = performance.now();
    // Once per worker (shared memory with threads), not once per task.
    const [X, y, folds] = await Promise.all([client.scatter(data.X), client.scatter(data.y), client.scatter(data.folds)]);
    // client.map passes one item per call; the scattered handles ride along in each item and
    // reach the task as the arrays themselves.
    const items = Array.from({ length: nFolds }, (_, fold) => ({ fold, X, y, folds, p: data.p, trees }));
    const futures = client.map(cvFit, items); // starts at once (non-blocking); chunksize 'auto' = 1 here: 10 tasks, 2 workers
    const results = await client.gather(futures); // blocks until all ten are in
    const seconds = (performance.now() - t0) / 1000;

    for (const r of results) {
      console.log(`  fold ${r.fold}: ${r.testIdx.length} test rows, MSE ${r.mse.toFixed(3)}, ${r.seconds.toFixed(2)} s on worker thread ${r.threadId}`);
    }
    // "We'd need to sort the results appropriately to align them with the observations":
    const predictions = new Float64Array(data.n);
    for (const r of results) r.testIdx.forEach((row, k) => (predictions[row] = r.predictions[k]!));
    const mean = data.y.reduce((a, v) => a + v, 0) / data.n;
    let sse = 0, sst = 0;
    for (let i = 0; i < data.n; i++) {
      sse += (predictions[i]! - data.y[i]!) ** 2;
      sst += (data.y[i]! - mean) ** 2;
    }
    const perWorker = new Map<number, number>();
    for (const r of results) perWorker.set(r.threadId, (perWorker.get(r.threadId) ?? 0) + 1);
    console.log(`CV MSE ${(sse / data.n).toFixed(3)} (variance of y ${(sst / data.n).toFixed(3)}), CV R² ${(1 - sse / sst).toFixed(3)}`);
    console.log(`${nFolds} folds on ${nCores} workers in ${seconds.toFixed(2)} s (including starting the workers); folds per worker: ${[...perWorker.entries()].map(([t, c]) => `thread ${t}: ${c}`).join(', ')}`);
  } finally {
    await client.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
