/**
 * The runnable examples: scenario 7's simulation gives identical results on every scheduler
 * and worker count, and scenario 4's dynamic and static allocations return the right results;
 * the README's quick start is examples/quickstart.ts, and it runs; the ML scenarios (1A, 3, 5A)
 * run ddf.ml on the unit's data (numpy's, to the bit) with the same results on 1 and 2 workers.
 * No timings are asserted anywhere (shared CI machines).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from 'dusk';
import { runDynamic, runStatic, taskItems, taskSizes, warmUp } from '../examples/scenario-4-dynamic-vs-static.js';
import { runSimulation } from '../examples/simulation.js';
import { analyse } from '../examples/dataframe.js';
import { join } from 'node:path';
import { FIXTURES, tempDir } from './helpers.js';
import { fun } from '../examples/tasks/slow-fast.js';
import { makeCvData } from '../examples/tasks/cv.js';
import { runCvFolds } from '../examples/scenario-3-cv-folds.js';
import { runForest } from '../examples/scenario-1a-forest.js';
import { runNested } from '../examples/scenario-5a-nested.js';
import { runScenario5b } from '../examples/scenario-5b-distributed.js';
import { redisAvailable, startLocalCluster } from '../examples/local-cluster.js';

afterAll(() => ddf.shutdown());

describe('examples/simulation.ts (scenario 7)', () => {
  it('gives identical results for sync, threads with 1 worker and threads with 2 workers', async () => {
    const sync = await runSimulation({ scheduler: 'sync', replicates: 200 });
    expect(ddf.lastComputeReport()).toMatchObject({ scheduler: 'sync', workerTasks: 200 });
    const one = await runSimulation({ scheduler: 'threads', numWorkers: 1, replicates: 200 });
    expect(ddf.lastComputeReport()).toMatchObject({ scheduler: 'threads', workers: 1, workerTasks: 200 });
    const two = await runSimulation({ scheduler: 'threads', numWorkers: 2, replicates: 200 });
    expect(ddf.lastComputeReport()).toMatchObject({ scheduler: 'threads', workers: 2, workerTasks: 200 });
    expect(one).toEqual(sync);
    expect(two).toEqual(sync);
    expect(sync.replicates).toBe(200);
    // Both estimators are close to the true slope 2; the robust one varies less under t(3) noise.
    expect(Math.abs(sync.ols.bias)).toBeLessThan(0.05);
    expect(Math.abs(sync.theilSen.bias)).toBeLessThan(0.05);
    expect(sync.theilSen.sd).toBeLessThan(sync.ols.sd);
  });

  it('depends on the seed', async () => {
    const a = await runSimulation({ scheduler: 'sync', replicates: 20, seed: 1 });
    const b = await runSimulation({ scheduler: 'sync', replicates: 20, seed: 2 });
    expect(a.digest).not.toBe(b.digest);
  });
});

describe('examples/scenario-4-dynamic-vs-static.ts', () => {
  it('dynamic (chunksize 1) and static (one batch per worker) runs return every task result in order', async () => {
    const sizes = taskSizes(20_000, 2_000); // small: a smoke test, not a timing
    const expected = taskItems(sizes).map((item) => fun(item).value);
    const client = await ddf.Client.local({ nWorkers: 2 });
    try {
      // Every worker loads the task module before either run is timed (else the first run pays it).
      const warm = await warmUp(client);
      expect(warm.threads.size).toBe(2);
      expect(warm.threads.has(0)).toBe(false);
      const dynamic = await runDynamic(client, sizes);
      const fixed = await runStatic(client, sizes);
      expect(dynamic.chunksize).toBe(1);
      expect(fixed.chunksize).toBe(8);
      for (const run of [dynamic, fixed]) {
        expect(run.results.map((r) => r.i)).toEqual(sizes.map((_, i) => i));
        expect(run.results.map((r) => r.value)).toEqual(expected);
        expect(run.results.every((r) => r.threadId !== 0)).toBe(true); // ran on workers
      }
      // Static allocation: consecutive batches of 8 tasks, each batch on one worker.
      expect(new Set(fixed.results.slice(0, 8).map((r) => r.threadId)).size).toBe(1);
      expect(new Set(fixed.results.slice(8).map((r) => r.threadId)).size).toBe(1);
    } finally {
      await client.close();
    }
  });
});

describe('examples/dataframe.ts', () => {
  it('computes four dataframe results in one read of each file, consistent with each other', async () => {
    const { carriers, routes, origins, summary } = await analyse(join(FIXTURES, 'airline/bz2/*.csv.bz2'));
    expect(Object.values(ddf.lastComputeReport()!.opens)).toEqual([1, 1]);
    const n = [...carriers.getChild('n')!.toArray()].reduce((a, b) => a + Number(b), 0);
    expect(n).toBe(Number(summary.getChild('Distance')!.get(0)) + Number(summary.getChild('Distance')!.get(1)));
    const counts = [...origins.getChild('count')!.toArray()].map(Number);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const routeCounts = [...routes.getChild('n')!.toArray()].map(Number);
    expect(routeCounts).toEqual([...routeCounts].sort((a, b) => b - a));
    expect(summary.numRows).toBe(9);
  });
});

describe("examples/quickstart.ts (the README's quick start)", () => {
  const ROOT = join(import.meta.dirname, '..');
  const example = join(ROOT, 'examples', 'quickstart.ts');

  it("is the README's first snippet, verbatim", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const snippet = /```ts\n([\s\S]*?)```/.exec(readme)![1];
    const body = readFileSync(example, 'utf8').replace(/^\/\*\*[\s\S]*?\*\/\n\n/, ''); // less its doc comment
    expect(snippet).toBe(body);
  });

  it('runs as a user runs it (npx tsx, from a folder with data/demo) and prints readable results', async () => {
    // The demo's shards have the fixtures' columns; the fixtures stand in for them (smaller).
    const { dir, remove } = tempDir('dusk-quickstart-');
    try {
      mkdirSync(join(dir, 'data', 'demo'), { recursive: true });
      const shards = readdirSync(join(FIXTURES, 'airline/bz2')).filter((f) => f.endsWith('.csv.bz2'));
      for (const f of shards) copyFileSync(join(FIXTURES, 'airline/bz2', f), join(dir, 'data', 'demo', f));
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
      const out = execFileSync(process.execPath, ['--import', tsx, example], { cwd: dir, encoding: 'utf8', timeout: 120_000 });

      // The same results, computed here from the same files, printed the same way.
      const air = ddf.readCsv(join(dir, 'data/demo/*.csv.bz2'), { encoding: 'latin1', dtype: { TailNum: 'string' } });
      const expected = JSON.parse(readFileSync(join(FIXTURES, 'airline', 'expected.json'), 'utf8')) as { columns: { DepDelay: { min: number; max: number } } };
      const carriers = await air.groupBy('UniqueCarrier').agg({ flights: ddf.len(), meanDelay: ddf.col('DepDelay').mean() }).toArrow();
      expect(out).toBe(
        [
          inspect(air),
          inspect(await air.head()),
          `DepDelay from ${expected.columns.DepDelay.min} to ${expected.columns.DepDelay.max} minutes`,
          inspect(carriers),
          inspect(carriers.toRecords()[0]),
          '',
        ].join('\n'),
      );
      expect(out).toContain('Dusk DataFrame (lazy: 2 partitions, 29 columns');
      expect(out).toMatch(/^ {3}UniqueCarrier {2}flights {2}meanDelay$/m);
      expect(typeof carriers.toRecords()[0]!.flights).toBe('number');
    } finally {
      remove();
    }
  });
});

describe("examples/pipeline.ts (issue 13's everyday pipeline)", () => {
  const ROOT = join(import.meta.dirname, '..');
  it('runs as a user runs it: joins, sorts, top-k, dedupes, samples, maps partitions, persists and writes Parquet and CSV that DuckDB reads back', async () => {
    const { dir, remove } = tempDir('dusk-pipeline-');
    try {
      mkdirSync(join(dir, 'data', 'demo'), { recursive: true });
      for (const f of readdirSync(join(FIXTURES, 'airline/bz2')).filter((f) => f.endsWith('.csv.bz2'))) copyFileSync(join(FIXTURES, 'airline/bz2', f), join(dir, 'data', 'demo', f));
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
      const out = execFileSync(process.execPath, ['--import', tsx, join(ROOT, 'examples', 'pipeline.ts')], { cwd: dir, encoding: 'utf8', timeout: 180_000 });

      const air = ddf.readCsv(join(dir, 'data/demo/*.csv.bz2'), { encoding: 'latin1', dtype: { TailNum: 'string' } });
      const [planes, rows, notCancelled] = await ddf.compute(air.col('TailNum').nunique(), air.col('Year').count(), air.filter(ddf.col('Cancelled').eq(0)).col('DepDelay').mean());
      expect(out).toContain(`${planes} planes;`);
      expect(out).toContain(`toDelayed: ${rows / 2} + ${rows / 2} rows`);
      expect(out).toContain(`persisted: mean DepDelay ${(notCancelled as number).toFixed(3)} over`);
      expect(out).toContain('files opened: 0');
      expect(out).toMatch(new RegExp(`wrote ${rows} rows to 2 CSV file`));

      // What was written, read back by DuckDB: the same group-by as Dusk computes here.
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const db = await DuckDBInstance.create(':memory:');
      const connection = await db.connect();
      const parquet = (await connection.runAndReadAll(`SELECT UniqueCarrier, flights, meanDep FROM read_parquet('${join(dir, 'out/by-carrier')}/*.parquet') ORDER BY UniqueCarrier`)).getRows();
      const csvRows = (await connection.runAndReadAll(`SELECT count(*) FROM read_csv('${join(dir, 'out/named')}/*.csv')`)).getRows();
      connection.closeSync();
      db.closeSync();
      const expected = await air.groupBy('UniqueCarrier').agg({ flights: ddf.len(), meanDep: ddf.col('DepDelay').mean() }).toRecords();
      expect(parquet.map(([c, n, m]) => ({ UniqueCarrier: c, flights: Number(n), meanDep: m }))).toEqual(expected);
      expect(Number(csvRows[0]![0])).toBe(rows);
    } finally {
      remove();
    }
  }, 240_000);
});

// The course unit's data as numpy makes it (np.random.seed(1); X = normal(size=(1000, 50)); Y;
// folds = permutation(repeat(arange(10), 100))), values printed by numpy 1.x/2.x (legacy RandomState).
const NUMPY_UNIT = {
  x00: 1.6243453636632417, x01: -0.6117564136500754, x999_49: 0.7925489108388674,
  y0: 1.2153056879117823, y999: -0.6617583405223755,
  folds: [9, 8, 8, 2, 3, 7, 5, 4, 5, 9, 8, 2, 2, 0, 3, 6, 4, 1, 2, 3],
};

describe('examples/tasks/cv.ts (the unit data of scenarios 1A, 3, 5A)', () => {
  it("is numpy's data and folds, to the bit", () => {
    const d = makeCvData(1);
    expect([d.X[0]![0], d.X[1]![0], d.X[49]![999], d.y[0], d.y[999]]).toEqual([NUMPY_UNIT.x00, NUMPY_UNIT.x01, NUMPY_UNIT.x999_49, NUMPY_UNIT.y0, NUMPY_UNIT.y999]);
    expect(Array.from(d.folds.slice(0, 20))).toEqual(NUMPY_UNIT.folds);
    expect(Array.from({ length: 10 }, (_, f) => d.folds.filter((v) => v === f).length)).toEqual(Array(10).fill(100));
  });
});

describe('examples/scenario-3-cv-folds.ts (ddf.ml.crossValidate of a forest)', () => {
  it('gives the same out-of-fold predictions on 1 and 2 workers, and metrics that match them fold by fold', async () => {
    const small = { trees: 2, maxDepth: 3, maxFeatures: 0.2 }; // a smoke-sized forest
    const one = await runCvFolds({ ...small, numWorkers: 1 });
    const two = await runCvFolds({ ...small, numWorkers: 2 });
    expect(Array.from(two.result.predictions)).toEqual(Array.from(one.result.predictions));
    const { data, result } = two;
    expect(result.perFold.map((f) => [f.fold, f.n])).toEqual(Array.from({ length: 10 }, (_, f) => [f, 100]));
    for (const f of result.perFold) {
      let sse = 0;
      data.folds.forEach((fold, i) => { if (fold === f.fold) sse += (result.predictions[i]! - data.y[i]!) ** 2; });
      expect(f.mse).toBeCloseTo(sse / 100, 12);
    }
    expect(result.predictions.every(Number.isFinite)).toBe(true);
  }, 120_000);
});

describe('examples/scenario-1a-forest.ts (one forest, nJobs 1 vs 2)', () => {
  it('fits the same forest to the bit with nJobs 1 and 2, and it predicts the training rows better than their mean', async () => {
    const [one, two] = await runForest({ trees: 4, maxDepth: 4, nJobs: [1, 2] });
    expect(ddf.lastComputeReport()).toMatchObject({ scheduler: 'threads', workers: 2, workerTasks: 2 });
    expect(JSON.stringify(two!.fitted.model)).toBe(JSON.stringify(one!.fitted.model));
    expect(Array.from(two!.predictions)).toEqual(Array.from(one!.predictions));
    const { y } = makeCvData(1);
    const meanY = y.reduce((a, v) => a + v, 0) / y.length;
    const mse = (p: ArrayLike<number>) => Array.from(y).reduce((s, v, i) => s + (v - p[i]!) ** 2, 0) / y.length;
    expect(mse(one!.predictions)).toBeLessThan(0.6 * mse(new Float64Array(y.length).fill(meanY)));
  }, 120_000);
});

describe('examples/scenario-5a-nested.ts (folds × methods → superLearner)', () => {
  it('cross-validates 10 folds × 4 methods in one graph with the refits; weights ≥ 0 sum to 1; ensemble no worse than the best method', async () => {
    const { cv, sl, tasks } = await runNested({ numWorkers: 2, trees: 2, maxFeatures: 0.2 }); // a smoke-sized forest
    expect(tasks).toBe(10 * 4 + 4); // CV fits, then one refit per method (the forest's nJobs = 1)
    expect(cv.methods.map((m) => m.name)).toEqual(['mean', 'ols', 'ridge(10)', 'randomForest']);
    const mse = Object.fromEntries(cv.methods.map((m) => [m.name, m.metrics.mse]));
    expect(mse['ols']!).toBeLessThan(0.5 * mse['mean']!); // y is mostly linear in X1–X3
    expect(sl.weights.every((w) => w >= 0)).toBe(true);
    expect(sl.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(sl.cvRisk).toBeLessThanOrEqual(Math.min(...Object.values(mse)) + 1e-12);
  }, 120_000);
});

describe.skipIf(!redisAvailable())('examples/scenario-5b-distributed.ts (a local Redis and two dusk workers, started by examples/local-cluster.ts)', () => {
  it('tasks run on both worker processes; the airline reduction and the CV give the same numbers as threads, to the bit', async () => {
    const cluster = await startLocalCluster({ workers: 2, concurrency: 1, tasks: [join(import.meta.dirname, '..', 'examples', 'tasks')] });
    const client = await ddf.Client.connect(cluster.url, { waitForWorkers: 2, progress: false });
    try {
      const r = await runScenario5b(client, 20);
      expect(Object.keys(r.perWorker)).toHaveLength(2);
      expect(Object.values(r.perWorker).reduce((a, b) => a + b, 0)).toBe(20);
      expect(Object.values(r.tasksPerHost).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      expect(r.airline.distributed).toEqual(r.airline.threads);
      expect(r.cvMse.distributed).toEqual(r.cvMse.threads);
    } finally {
      await client.close();
      await cluster.stop();
    }
  });
});
