/**
 * Models on the executor (issue 14), with scikit-learn (Debian's python3-sklearn, /usr/bin/python3)
 * as the peer, measured in the same run on the same data:
 *  (3)  the course unit's scenario 3: 10-fold CV of a random forest on the unit's data
 *       (np.random.seed(1), n × p, folds = permutation(repeat(0:k, n / k))) with
 *       ddf.ml.crossValidate on 1 and 2 worker threads (speedup), against scikit-learn's
 *       cross_val_predict(RandomForestRegressor(100), cv=<the same folds>, n_jobs=2); CV MSE of both.
 *       scikit-learn also runs the forest Dusk runs (same trees, depth, all features) on one
 *       core, for the per-core ratio of the tree learners.
 *  (1A) one forest fitted on all rows with ddf.ml.fit(randomForest({ nJobs })), nJobs 1 vs 2,
 *       and scikit-learn's RandomForestRegressor(n_jobs=1, 2) with the same number of trees.
 *
 * Sizes (env): ML_N (1000), ML_P (50), ML_FOLDS (10), ML_TREES (100: Dusk's trees per fold),
 * ML_DEPTH (8: Dusk's and the matched scikit-learn forest's max depth), ML_SKLEARN_TREES (100:
 * the unit's RandomForestRegressor()), ML_FOREST_TREES (200: scenario 1A). ml-random-forest
 * needs ~1 s per tree of depth 8 on 900 × 50, so the full sizes take ~30 min on one core: run
 * smaller (e.g. ML_TREES=4 ML_FOREST_TREES=8) and say so.
 *
 *   npm run build && ML_TREES=4 ML_FOREST_TREES=8 npx tsx bench/ml.ts
 */
import { spawnSync } from 'node:child_process';
import * as ddf from '../src/index.js';
import { makeCvData } from '../examples/tasks/cv.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const N = env('ML_N', 1000), P = env('ML_P', 50), K = env('ML_FOLDS', 10);
const TREES = env('ML_TREES', 100), DEPTH = env('ML_DEPTH', 8), SK_TREES = env('ML_SKLEARN_TREES', 100), FOREST_TREES = env('ML_FOREST_TREES', 200);

const data = makeCvData(1, N, P, K);
const seconds = (t0: number) => (performance.now() - t0) / 1000;
/** CPU seconds of this process (all its worker threads) since `from`: with wall time, how many cores it got. */
const cpuSeconds = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
};

/** scikit-learn on the same data, made by numpy the same way (Dusk's RandomState is bit-exact). */
function sklearnTimes(): Record<string, number | string> | string {
  const code = `
import json, time, numpy as np, sklearn
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import cross_val_predict, PredefinedSplit
np.random.seed(1)
n, p, k = ${N}, ${P}, ${K}
X = np.random.normal(size=(n, p))
Y = X[:, 0] + np.sqrt(np.abs(X[:, 1] * X[:, 2])) + X[:, 1] - X[:, 2] + np.random.normal(size=n)
folds = np.random.permutation(np.repeat(np.arange(k), n // k))
cv = PredefinedSplit(folds)
out = {'sklearn': sklearn.__version__, 'folds0': folds[:10].tolist()}
def run(key, model, jobs):
    t0 = time.perf_counter(); pred = cross_val_predict(model, X, Y, cv=cv, n_jobs=jobs); out[key] = time.perf_counter() - t0
    out[key + ' mse'] = float(np.mean((pred - Y) ** 2))
run('cv unit 2 jobs', RandomForestRegressor(${SK_TREES}), 2)
run('cv unit 1 job', RandomForestRegressor(${SK_TREES}), 1)
run('cv matched 1 job', RandomForestRegressor(${TREES}, max_depth=${DEPTH}, min_samples_split=5, max_features=1.0), 1)
for jobs in (1, 2):
    m = RandomForestRegressor(${FOREST_TREES}, max_depth=${DEPTH}, min_samples_split=5, n_jobs=jobs)
    t0 = time.perf_counter(); m.fit(X, Y); out[f'forest {jobs} jobs'] = time.perf_counter() - t0
print(json.dumps(out))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `scikit-learn unavailable (${r.error?.message ?? r.stderr.trim().split('\n').pop()})`;
  return JSON.parse(r.stdout) as Record<string, number | string>;
}

async function duskCv(numWorkers: number) {
  // Start the pool and load the ml module on every worker outside the timing.
  await ddf.ml.crossValidate([ddf.ml.mean()], { X: data.X, y: data.y }, { folds: data.folds, scheduler: 'threads', numWorkers });
  const t0 = performance.now(), cpu0 = process.cpuUsage();
  const cv = await ddf.ml.crossValidate([ddf.ml.randomForest({ nEstimators: TREES, maxDepth: DEPTH, seed: 1 })], { X: data.X, y: data.y }, { folds: data.folds, scheduler: 'threads', numWorkers });
  return { seconds: seconds(t0), cpu: cpuSeconds(cpu0), mse: cv.methods[0]!.metrics.mse, predictions: cv.methods[0]!.predictions };
}

async function duskForest(nJobs: number) {
  await ddf.ml.fit(ddf.ml.mean(), { X: data.X, y: data.y }, { scheduler: 'threads', numWorkers: nJobs });
  const t0 = performance.now(), cpu0 = process.cpuUsage();
  const fitted = await ddf.ml.fit(ddf.ml.randomForest({ nEstimators: FOREST_TREES, maxDepth: DEPTH, seed: 1, nJobs }), { X: data.X, y: data.y }, { scheduler: 'threads', numWorkers: nJobs });
  return { seconds: seconds(t0), cpu: cpuSeconds(cpu0), model: JSON.stringify(fitted.model) };
}

console.log(`n = ${N}, p = ${P}, ${K} folds (the unit's), Dusk forest: ${TREES} trees/fold, depth ≤ ${DEPTH}, all features; scenario 1A: ${FOREST_TREES} trees; node ${process.version}`);
const cv1 = await duskCv(1);
const cv2 = await duskCv(2);
console.log(`(3) Dusk crossValidate, 1 worker: ${cv1.seconds.toFixed(2)} s (${cv1.cpu.toFixed(1)} CPU s); 2 workers: ${cv2.seconds.toFixed(2)} s (${cv2.cpu.toFixed(1)} CPU s: ${(cv2.cpu / cv2.seconds).toFixed(2)} cores busy on average); speedup ${(cv1.seconds / cv2.seconds).toFixed(2)}×; CV MSE ${cv2.mse.toFixed(4)} (same predictions: ${cv1.predictions.every((v, i) => v === cv2.predictions[i])})`);
const f1 = await duskForest(1);
const f2 = await duskForest(2);
console.log(`(1A) Dusk ml.fit randomForest(${FOREST_TREES}), nJobs 1: ${f1.seconds.toFixed(2)} s (${f1.cpu.toFixed(1)} CPU s); nJobs 2: ${f2.seconds.toFixed(2)} s (${f2.cpu.toFixed(1)} CPU s: ${(f2.cpu / f2.seconds).toFixed(2)} cores); speedup ${(f1.seconds / f2.seconds).toFixed(2)}× (same forest: ${f1.model === f2.model})`);
await ddf.shutdown();

const sk = sklearnTimes();
if (typeof sk === 'string') console.log(sk);
else {
  const num = (key: string) => sk[key] as number;
  console.log(`scikit-learn ${sk['sklearn']} (same folds: ${JSON.stringify(sk['folds0']) === JSON.stringify(Array.from(data.folds.slice(0, 10)))})`);
  console.log(`(3) cross_val_predict(RandomForestRegressor(${SK_TREES}), n_jobs=2): ${num('cv unit 2 jobs').toFixed(2)} s, CV MSE ${num('cv unit 2 jobs mse').toFixed(4)}; n_jobs=1: ${num('cv unit 1 job').toFixed(2)} s (its speedup ${(num('cv unit 1 job') / num('cv unit 2 jobs')).toFixed(2)}×)`);
  console.log(`    Dusk 2 workers (${TREES} trees/fold) / scikit-learn n_jobs=2 (${SK_TREES} trees/fold): ${(cv2.seconds / num('cv unit 2 jobs')).toFixed(1)}× the time; CV MSE ratio Dusk / scikit-learn ${(cv2.mse / num('cv unit 2 jobs mse')).toFixed(3)}`);
  console.log(`    the same forest as Dusk's (${TREES} trees, depth ≤ ${DEPTH}), 1 core: scikit-learn ${num('cv matched 1 job').toFixed(2)} s, CV MSE ${num('cv matched 1 job mse').toFixed(4)}; Dusk 1 worker / scikit-learn = ${(cv1.seconds / num('cv matched 1 job')).toFixed(0)}× per core`);
  console.log(`(1A) scikit-learn RandomForestRegressor(${FOREST_TREES}, max_depth=${DEPTH}).fit, n_jobs=1: ${num('forest 1 jobs').toFixed(2)} s; n_jobs=2: ${num('forest 2 jobs').toFixed(2)} s; Dusk nJobs 1 / scikit-learn n_jobs=1 = ${(f1.seconds / num('forest 1 jobs')).toFixed(0)}×`);
}
