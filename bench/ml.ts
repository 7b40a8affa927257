/**
 * Models on the executor (issue 14), with scikit-learn (Debian's python3-sklearn, /usr/bin/python3)
 * as the peer, measured in the same run on the same data (the course unit's: np.random.seed(1),
 * n × p, folds = permutation(repeat(0:k, n / k)), made bit-exactly by Dusk's RandomState).
 * Parts (ML_PARTS, comma-separated; default all):
 *  tree  the tree learner on one core: fold 0's training rows, a forest of ML_MATCH_TREES trees
 *        (depth ≤ 8, min 5 rows to split, all features, bootstrap) with Dusk's CART,
 *        ml-random-forest (when installed: `npm i --no-save ml-random-forest`; no longer a
 *        dependency) and scikit-learn; then the unit's forest (ML_TREES full-depth trees) with
 *        Dusk and scikit-learn. Time and test MSE on fold 0.
 *  3     scenario 3: crossValidate of the unit's forest (ML_TREES full-depth trees per fold) on 1
 *        and 2 worker threads (speedup), against scikit-learn's
 *        cross_val_predict(RandomForestRegressor(ML_TREES), cv=<the same folds>, n_jobs=2, 1);
 *        CV MSE of both.
 *  1a    scenario 1A: one forest of ML_FOREST_TREES trees on all rows, ml.fit with nJobs 1 vs 2,
 *        against RandomForestRegressor(n_jobs=1, 2).
 *  6     scenario 6: OLS of ArrDelay on DepDelay + Distance per carrier with
 *        groupBy('UniqueCarrier').apply over the bench's 8 airline shards (bench/data/none,
 *        generated when missing), threads and processes (2 workers): time, peak RSS of this
 *        process and of each worker process; pandas + numpy lstsq per carrier as the peer and the
 *        coefficients' check.
 *
 *   npm run build && npx tsx bench/ml.ts
 *   npm run build && ML_PARTS=6 ML_SCHEDULERS=processes npx tsx bench/ml.ts     # peak RSS of one scheduler's run alone
 */
import { spawnSync } from 'node:child_process';
import * as ddf from '../src/index.js';
import { makeCvData } from '../examples/tasks/cv.js';
import { olsPerCarrier } from '../examples/scenario-6-ols-per-carrier.js';
import { descendants, ensureData, glob, PYTHON, procStatus } from './common.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const N = env('ML_N', 1000), P = env('ML_P', 50), K = env('ML_FOLDS', 10);
const TREES = env('ML_TREES', 100), FOREST_TREES = env('ML_FOREST_TREES', 200), MATCH_TREES = env('ML_MATCH_TREES', 4);
const PARTS = new Set((process.env.ML_PARTS ?? 'tree,3,1a,6').split(','));

const data = makeCvData(1, N, P, K);
const seconds = (t0: number) => (performance.now() - t0) / 1000;
/** CPU seconds of this process (all its worker threads) since `from`: with wall time, how many cores it got. */
const cpuSeconds = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
};
const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);

/** Runs Python code with /usr/bin/python3; its last stdout line is JSON. */
function python(code: string): Record<string, unknown> | string {
  const r = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.error || r.status !== 0) return `python peer unavailable (${r.error?.message ?? r.stderr.trim().split('\n').pop()})`;
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

const UNIT_DATA_PY = `
import json, time, numpy as np, sklearn
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import cross_val_predict, PredefinedSplit
np.random.seed(1)
n, p, k = ${N}, ${P}, ${K}
X = np.random.normal(size=(n, p))
Y = X[:, 0] + np.sqrt(np.abs(X[:, 1] * X[:, 2])) + X[:, 1] - X[:, 2] + np.random.normal(size=n)
folds = np.random.permutation(np.repeat(np.arange(k), n // k))
out = {'sklearn': sklearn.__version__, 'folds0': folds[:10].tolist()}
def timed_fit(key, model, Xt, Yt, Xv, Yv):
    t0, c0 = time.perf_counter(), time.process_time(); model.fit(Xt, Yt); out[key] = time.perf_counter() - t0; out[key + ' cpu'] = time.process_time() - c0
    if Xv is not None: out[key + ' mse'] = float(np.mean((model.predict(Xv) - Yv) ** 2))
`;

/** Fold 0's training and test rows as columns. */
function fold0() {
  const train = [...data.folds.keys()].filter((i) => data.folds[i] !== 0), test = [...data.folds.keys()].filter((i) => data.folds[i] === 0);
  const pick = (c: Float64Array, rows: number[]) => Float64Array.from(rows, (i) => c[i]!);
  return { X: data.X.map((c) => pick(c, train)), y: pick(data.y, train), Xt: data.X.map((c) => pick(c, test)), yt: pick(data.y, test) };
}
const mseOf = (p: ArrayLike<number>, y: Float64Array) => Array.from(y).reduce((a, v, i) => a + (v - p[i]!) ** 2, 0) / y.length;

async function partTree(): Promise<void> {
  const { X, y, Xt, yt } = fold0();
  const matched = { nEstimators: MATCH_TREES, maxDepth: 8, minSamplesSplit: 5, seed: 1 };
  const dusk = ddf.ml.randomForestMethod(matched);
  ddf.ml.randomForestMethod({ ...matched, nEstimators: 2 }).fit(X, y); // compiles the tree learner (JIT) outside the timing
  let t0 = performance.now(), c0 = process.cpuUsage();
  const duskModel = dusk.fit(X, y);
  const duskMatched = { seconds: seconds(t0), cpu: cpuSeconds(c0), mse: mseOf(dusk.predict(duskModel, Xt), yt) };
  const unit = ddf.ml.randomForestMethod({ nEstimators: TREES, seed: 1 });
  t0 = performance.now();
  c0 = process.cpuUsage();
  const unitModel = unit.fit(X, y);
  const duskUnit = { seconds: seconds(t0), cpu: cpuSeconds(c0), mse: mseOf(unit.predict(unitModel, Xt), yt) };

  let mlrf: { seconds: number; cpu: number; mse: number } | string;
  try {
    const { RandomForestRegression } = (await import('ml-random-forest' as string)) as { RandomForestRegression: new (o: unknown) => { train(x: number[][], y: number[]): void; predict(x: number[][]): number[] } };
    const rows = (cols: Float64Array[]) => Array.from({ length: cols[0]!.length }, (_, i) => cols.map((c) => c[i]!));
    const forest = new RandomForestRegression({ nEstimators: MATCH_TREES, seed: 1, maxFeatures: 1.0, useSampleBagging: true, noOOB: true, treeOptions: { maxDepth: 8, minNumSamples: 5 } });
    const trainRows = rows(X);
    t0 = performance.now();
    c0 = process.cpuUsage();
    forest.train(trainRows, Array.from(y));
    mlrf = { seconds: seconds(t0), cpu: cpuSeconds(c0), mse: mseOf(forest.predict(rows(Xt)), yt) };
  } catch (err) {
    mlrf = `ml-random-forest not installed (npm i --no-save ml-random-forest to compare): ${(err as Error).message.split('\n')[0]}`;
  }
  const sk = python(`${UNIT_DATA_PY}
tr, te = folds != 0, folds == 0
timed_fit('matched', RandomForestRegressor(${MATCH_TREES}, max_depth=8, min_samples_split=5, random_state=0), X[tr], Y[tr], X[te], Y[te])
timed_fit('unit', RandomForestRegressor(${TREES}, random_state=0), X[tr], Y[tr], X[te], Y[te])
print(json.dumps(out))`);
  console.log(`\n## tree learner, one core: fold 0 (${y.length} training rows × ${P}, ${yt.length} test rows)`);
  const num = (key: string) => (typeof sk === 'string' ? NaN : (sk[key] as number));
  console.log(`forest of ${MATCH_TREES} trees, depth ≤ 8, min 5 rows to split, all features (wall s / CPU s; ratios of CPU s: the machine is shared):`);
  console.log(`  Dusk CART          ${f3(duskMatched.seconds)} / ${f3(duskMatched.cpu)}, test MSE ${duskMatched.mse.toFixed(4)}`);
  if (typeof mlrf === 'string') console.log(`  ${mlrf}`);
  else console.log(`  ml-random-forest   ${f3(mlrf.seconds)} / ${f3(mlrf.cpu)}, test MSE ${mlrf.mse.toFixed(4)}  (${(mlrf.cpu / duskMatched.cpu).toFixed(0)}× Dusk's CPU time)`);
  if (typeof sk === 'string') console.log(`  ${sk}`);
  else {
    console.log(`  scikit-learn ${sk['sklearn']}  ${f3(num('matched'))} / ${f3(num('matched cpu'))}, test MSE ${num('matched mse').toFixed(4)}  (Dusk / scikit-learn = ${(duskMatched.cpu / num('matched cpu')).toFixed(2)}×${typeof mlrf === 'string' ? '' : `; ml-random-forest / scikit-learn = ${(mlrf.cpu / num('matched cpu')).toFixed(0)}×`})`);
  }
  console.log(`the unit's forest (${TREES} full-depth trees, all features): Dusk ${f3(duskUnit.seconds)} / ${f3(duskUnit.cpu)} s, test MSE ${duskUnit.mse.toFixed(4)}; scikit-learn ${f3(num('unit'))} / ${f3(num('unit cpu'))} s, test MSE ${num('unit mse').toFixed(4)}; Dusk / scikit-learn = ${(duskUnit.cpu / num('unit cpu')).toFixed(2)}× the CPU time`);
}

async function duskCv(numWorkers: number) {
  // Start the pool and load the ml module on every worker outside the timing.
  await ddf.ml.crossValidate([ddf.ml.mean()], { X: data.X, y: data.y }, { folds: data.folds, scheduler: 'threads', numWorkers });
  const t0 = performance.now(), cpu0 = process.cpuUsage();
  const cv = await ddf.ml.crossValidate([ddf.ml.randomForest({ nEstimators: TREES, seed: 1 })], { X: data.X, y: data.y }, { folds: data.folds, scheduler: 'threads', numWorkers });
  return { seconds: seconds(t0), cpu: cpuSeconds(cpu0), mse: cv.methods[0]!.metrics.mse, predictions: cv.methods[0]!.predictions };
}

async function part3(): Promise<void> {
  const cv1 = await duskCv(1);
  const cv2 = await duskCv(2);
  const sk = python(`${UNIT_DATA_PY}
cv = PredefinedSplit(folds)
for jobs in (2, 1):
    t0 = time.perf_counter(); pred = cross_val_predict(RandomForestRegressor(${TREES}), X, Y, cv=cv, n_jobs=jobs); out[f'cv {jobs}'] = time.perf_counter() - t0
    out[f'cv {jobs} mse'] = float(np.mean((pred - Y) ** 2))
print(json.dumps(out))`);
  console.log(`\n## (3) crossValidate, ${K} folds × randomForest(${TREES} full-depth trees), n = ${N}, p = ${P}`);
  console.log(`Dusk 1 worker: ${f2(cv1.seconds)} s (${cv1.cpu.toFixed(1)} CPU s); 2 workers: ${f2(cv2.seconds)} s (${cv2.cpu.toFixed(1)} CPU s: ${(cv2.cpu / cv2.seconds).toFixed(2)} cores busy on average); speedup ${(cv1.seconds / cv2.seconds).toFixed(2)}×; CV MSE ${cv2.mse.toFixed(4)} (same predictions on 1 and 2 workers: ${cv1.predictions.every((v, i) => v === cv2.predictions[i])})`);
  if (typeof sk === 'string') return void console.log(sk);
  const num = (key: string) => sk[key] as number;
  console.log(`scikit-learn ${sk['sklearn']} (same folds: ${JSON.stringify(sk['folds0']) === JSON.stringify(Array.from(data.folds.slice(0, 10)))}): cross_val_predict(RandomForestRegressor(${TREES})) n_jobs=2 ${f2(num('cv 2'))} s, n_jobs=1 ${f2(num('cv 1'))} s (its speedup ${(num('cv 1') / num('cv 2')).toFixed(2)}×); CV MSE ${num('cv 2 mse').toFixed(4)}`);
  console.log(`Dusk / scikit-learn: 2 workers ${(cv2.seconds / num('cv 2')).toFixed(2)}× the time, 1 worker ${(cv1.seconds / num('cv 1')).toFixed(2)}×; CV MSE ratio ${(cv2.mse / num('cv 2 mse')).toFixed(3)}`);
}

async function duskForest(nJobs: number) {
  // Warm: every worker of the pool started and its tree code compiled (a forest of a few trees
  // per worker); the first fit in a fresh process pays both (part 3 and the examples measure that).
  await ddf.ml.fit(ddf.ml.randomForest({ nEstimators: 4 * nJobs, seed: 2, nJobs }), { X: data.X, y: data.y }, { scheduler: 'threads', numWorkers: nJobs });
  const t0 = performance.now(), cpu0 = process.cpuUsage();
  const fitted = await ddf.ml.fit(ddf.ml.randomForest({ nEstimators: FOREST_TREES, seed: 1, nJobs }), { X: data.X, y: data.y }, { scheduler: 'threads', numWorkers: nJobs });
  const model = fitted.model as ddf.ml.RandomForestModel;
  return { seconds: seconds(t0), cpu: cpuSeconds(cpu0), model };
}

async function part1a(): Promise<void> {
  const f1 = await duskForest(1);
  const f2j = await duskForest(2);
  const same = f1.model.trees.length === f2j.model.trees.length && f1.model.trees.every((t, i) => JSON.stringify([...t.threshold, ...t.value]) === JSON.stringify([...f2j.model.trees[i]!.threshold, ...f2j.model.trees[i]!.value]));
  const sk = python(`${UNIT_DATA_PY}
for jobs in (1, 2):
    timed_fit(f'forest {jobs}', RandomForestRegressor(${FOREST_TREES}, n_jobs=jobs), X, Y, None, None)
print(json.dumps(out))`);
  console.log(`\n## (1A) one forest of ${FOREST_TREES} full-depth trees on all ${N} rows, ml.fit(randomForest({ nJobs }))`);
  console.log(`Dusk nJobs 1: ${f2(f1.seconds)} s (${f1.cpu.toFixed(1)} CPU s); nJobs 2: ${f2(f2j.seconds)} s (${f2j.cpu.toFixed(1)} CPU s: ${(f2j.cpu / f2j.seconds).toFixed(2)} cores); speedup ${(f1.seconds / f2j.seconds).toFixed(2)}× (same forest: ${same})`);
  if (typeof sk === 'string') return void console.log(sk);
  const num = (key: string) => sk[key] as number;
  console.log(`scikit-learn RandomForestRegressor(${FOREST_TREES}).fit n_jobs=1 ${f2(num('forest 1'))} s, n_jobs=2 ${f2(num('forest 2'))} s (its speedup ${(num('forest 1') / num('forest 2')).toFixed(2)}×); Dusk / scikit-learn: nJobs 1 ${(f1.seconds / num('forest 1')).toFixed(2)}×, nJobs 2 ${(f2j.seconds / num('forest 2')).toFixed(2)}×`);
}

/** Peak RSS (VmHWM) of this process and of its worker processes seen while `work` runs. */
async function withWorkerPeaks<T>(work: () => Promise<T>): Promise<{ value: T; workers: Map<number, number> }> {
  const workers = new Map<number, number>();
  const poll = () => {
    for (const pid of descendants(process.pid)) {
      const s = procStatus(pid);
      if (s && s.name === 'node') workers.set(pid, Math.max(workers.get(pid) ?? 0, s.hwmMB));
    }
  };
  const timer = setInterval(poll, 100);
  try {
    const value = await work();
    poll();
    return { value, workers };
  } finally {
    clearInterval(timer);
  }
}

async function part6(): Promise<void> {
  const manifest = ensureData('none');
  const files = glob('none');
  console.log(`\n## (6) OLS per carrier (ArrDelay ~ DepDelay + Distance), groupBy('UniqueCarrier').apply, ${manifest.shards} shards × ${manifest.rows_per_shard.toLocaleString('en-US')} rows (${(manifest.total.bytes_uncompressed / 1e6).toFixed(0)} MB of CSV)`);
  const rss = () => procStatus(process.pid)!.hwmMB;
  const results: Record<string, Awaited<ReturnType<typeof olsPerCarrier>>> = {};
  const schedulers = (process.env.ML_SCHEDULERS ?? 'threads,processes').split(',') as ('threads' | 'processes')[];
  for (const scheduler of schedulers) {
    const before = rss(), rssNow = process.memoryUsage().rss / 2 ** 20;
    const t0 = performance.now();
    const { value, workers } = await withWorkerPeaks(() => olsPerCarrier(files, { scheduler, numWorkers: 2 }));
    const s = seconds(t0);
    results[scheduler] = value;
    const peaks = [...workers.values()].map((v) => v.toFixed(0));
    console.log(`Dusk ${scheduler} (2 workers): ${f2(s)} s, ${value.length} carriers; this process: RSS ${rssNow.toFixed(0)} MB before, peak (VmHWM) ${rss().toFixed(0)} MB (${before.toFixed(0)} MB before)${peaks.length ? `; worker processes' peak RSS ${peaks.join(', ')} MB` : ''}`);
    await ddf.shutdown();
  }
  const runs = Object.values(results);
  const same = runs.every((r) => JSON.stringify(r) === JSON.stringify(runs[0]));
  const pd = python(`
import glob, json, resource, time, numpy as np, pandas as pd
t0 = time.perf_counter()
df = pd.concat([pd.read_csv(f, usecols=['UniqueCarrier', 'DepDelay', 'Distance', 'ArrDelay'], encoding='latin-1') for f in sorted(glob.glob(${JSON.stringify(files)}))])
df = df.dropna()
fits = {}
for carrier, g in df.groupby('UniqueCarrier'):
    A = np.column_stack([np.ones(len(g)), g['DepDelay'].to_numpy(float), g['Distance'].to_numpy(float)])
    coef = np.linalg.lstsq(A, g['ArrDelay'].to_numpy(float), rcond=None)[0]
    fits[carrier] = [len(g)] + coef.tolist()
print(json.dumps({'seconds': time.perf_counter() - t0, 'peakMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'fits': fits, 'pandas': pd.__version__}))`);
  if (typeof pd === 'string') return void console.log(pd);
  const fits = pd['fits'] as Record<string, number[]>;
  let worst = 0, counts = true;
  for (const f of runs[0]!) {
    const want = fits[f.UniqueCarrier]!;
    counts &&= want[0] === f.n;
    [f.intercept, f.DepDelay, f.Distance].forEach((v, j) => (worst = Math.max(worst, Math.abs(v - want[j + 1]!) / Math.max(Math.abs(want[j + 1]!), 1e-12))));
  }
  console.log(`pandas ${pd['pandas']} + numpy lstsq per carrier (one process): ${f2(pd['seconds'] as number)} s, peak RSS ${(pd['peakMB'] as number).toFixed(0)} MB`);
  console.log(`same fits on ${schedulers.join(' and ')}: ${same}; Dusk = numpy's lstsq: rows per carrier ${counts ? 'equal' : 'DIFFER'}, largest relative coefficient difference ${worst.toExponential(1)}`);
}

console.log(`n = ${N}, p = ${P}, ${K} folds (the unit's); node ${process.version}; parts ${[...PARTS].join(', ')}`);
if (PARTS.has('tree')) await partTree();
if (PARTS.has('3')) await part3();
if (PARTS.has('1a')) await part1a();
await ddf.shutdown();
if (PARTS.has('6')) await part6();
await ddf.shutdown();
