/**
 * The distributed scheduler against a real Redis (started here on a free port, no persistence,
 * noeviction) and real `dusk worker` processes (dist/cli/main.js: npm run build first): the
 * same results as sync and threads for airline reductions, groupBy, delayed graphs, futures and
 * the simulation example; what a worker refuses; a worker SIGKILLed mid-task (every result
 * exactly once); Redis killed or restarted mid-compute (a clear error, no hang); the eviction
 * policy check. Skipped, saying so, where redis-server is not installed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { type LocalCluster, redisAvailable, startLocalCluster } from '../../examples/local-cluster.js';
import { runSimulation } from '../../examples/simulation.js';
import type { DistributedExecutor } from '../../src/scheduler/distributed/distributed-executor.js';
import { tempDir } from '../helpers.js';
import { makeTable, slowSquare, sumX } from './distributed-tasks.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TASKS = [join(ROOT, 'test', 'scheduler', 'distributed-tasks.ts'), join(ROOT, 'examples', 'tasks')];
const HAVE_REDIS = redisAvailable();
if (!HAVE_REDIS) console.warn('distributed.test.ts: skipped: redis-server is not installed (apt-get install redis-server)');

const tmp = tempDir('dusk-distributed-');
let cluster: LocalCluster;
let client: ddf.Client;
let airline: string;

beforeAll(async () => {
  if (!HAVE_REDIS) return;
  airline = join(tmp.dir, 'air');
  execFileSync('python3', [join(ROOT, 'scripts', 'gen_airline.py'), '--out', airline, '--shards', '4', '--rows-per-shard', '3000', '--compression', 'none', '--seed', '7'], { stdio: 'ignore' });
  cluster = await startLocalCluster({ workers: 2, concurrency: 1, allowSource: true, tasks: TASKS, lockMs: 1500 });
  client = await ddf.Client.connect(cluster.url, { waitForWorkers: 2, progress: false });
});

afterAll(async () => {
  await client?.close();
  await cluster?.stop();
  await ddf.shutdown();
  tmp.remove();
});

const air = () => ddf.readCsv(join(airline, '*.csv'), { encoding: 'latin1' });
const reductions = (df: ddf.DataFrame) =>
  [df.col('DepDelay').sum(), df.col('DepDelay').count(), df.col('DepDelay').mean(), df.col('DepDelay').max(), df.col('DepDelay').var(), df.col('DepDelay').quantile(0.9)] as const;
const byOrigin = (df: ddf.DataFrame) => df.groupBy('Origin').agg({ n: ddf.col('DepDelay').count(), mean: ddf.col('DepDelay').mean(), max: ddf.col('ArrDelay').max() }).sort('Origin').toArrow();
const rows = (table: { toArray(): { toJSON(): unknown }[] }) => table.toArray().map((r) => r.toJSON());

describe.skipIf(!HAVE_REDIS)('distributed scheduler (BullMQ on a real Redis, two dusk worker processes)', () => {
  it('airline reductions and a groupBy: the same results as sync and threads, every file opened once, tasks on the workers', async () => {
    const sync = await ddf.compute(...reductions(air()), byOrigin(air()), { scheduler: 'sync' });
    const syncReport = ddf.lastComputeReport()!;
    const threads = await ddf.compute(...reductions(air()), byOrigin(air()), { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 });
    const dist = await ddf.compute(...reductions(air()), byOrigin(air()), { scheduler: 'distributed' });
    const report = ddf.lastComputeReport()!;
    const manifest = JSON.parse(readFileSync(join(airline, 'manifest.json'), 'utf8')) as { total: { DepDelay: { sum: number; count: number; max: number } } };
    expect(dist.slice(0, 6)).toEqual(sync.slice(0, 6));
    expect(threads.slice(0, 6)).toEqual(sync.slice(0, 6));
    expect(dist.slice(0, 2).map(Number)).toEqual([manifest.total.DepDelay.sum, manifest.total.DepDelay.count]);
    expect(rows(dist[6])).toEqual(rows(sync[6]));
    expect(rows(dist[6]).length).toBeGreaterThan(5);
    expect(report).toMatchObject({ scheduler: 'distributed', inline: false, opens: syncReport.opens, bytesRead: syncReport.bytesRead });
    expect(Object.values(report.opens).every((n) => n === 1)).toBe(true);
    // Tasks per worker host: every worker task ran on a dusk worker (here, this machine).
    expect(Object.values(report.tasksPerHost).reduce((a, b) => a + b, 0)).toBe(report.workerTasks);
  });

  it("plans for the cluster's worker threads, not this machine's numWorkers (group-by merge lanes)", async () => {
    const q = () => byOrigin(air());
    const tasksOn = async (options: ddf.ComputeOptions) => {
      const [table] = await ddf.compute(q(), { inlineBelowBytes: 0, ...options });
      return { rows: rows(table), tasks: ddf.lastComputeReport()!.tasks };
    };
    const one = await tasksOn({ scheduler: 'threads', numWorkers: 1 });
    const two = await tasksOn({ scheduler: 'threads', numWorkers: 2 });
    expect(two.tasks).toBeGreaterThan(one.tasks); // 'auto' lanes: one per worker
    // Two registered workers × concurrency 1: planned as two workers, whatever numWorkers says here.
    const dist = await tasksOn({ scheduler: 'distributed', numWorkers: 1 });
    expect(dist).toEqual(two);
    expect(ddf.lastComputeReport()).toMatchObject({ scheduler: 'distributed', workers: 2 });
  });

  it("readCsv cuts a large file for the cluster's worker threads while the client is the default scheduler", async () => {
    const big = join(tmp.dir, 'big.csv');
    const row = '1234567,7654321.5,abcdefghij\n';
    writeFileSync(big, 'a,b,c\n' + row.repeat(Math.ceil((17 << 20) / row.length)));
    ddf.config.set({ numWorkers: 1 });
    try {
      // 17 MiB holds two partitions of the 8 MiB minimum: two on the cluster's 2 worker threads…
      expect(ddf.readCsv(big).npartitions).toBe(2);
      // …one when this machine's single worker is to read it.
      ddf.config.set({ scheduler: 'threads' });
      expect(ddf.readCsv(big).npartitions).toBe(1);
    } finally {
      ddf.config.reset();
    }
  });

  it('is the default scheduler while the client is open (as Dask), and client.compute runs on it', async () => {
    const [sum] = await ddf.compute(air().col('DepDelay').sum());
    expect(ddf.lastComputeReport()!.scheduler).toBe('distributed');
    const [again] = await client.compute(air().col('DepDelay').sum());
    expect(again).toBe(sum);
    expect(ddf.lastComputeReport()!.scheduler).toBe('distributed');
  });

  it('rows of a frame (partitions through Redis) equal sync, and Arrow tables travel both ways', async () => {
    const frame = air().filter(ddf.col('DepDelay').gt(60)).select(['Year', 'Origin', 'DepDelay']).toArrow();
    const [want] = await ddf.compute(frame, { scheduler: 'sync' });
    const [got] = await ddf.compute(frame);
    expect(rows(got)).toEqual(rows(want));
    // A table made on a worker, passed to a task on (maybe) the other worker, and fetched here.
    const table = ddf.delayed(makeTable)(1000);
    const [t, total] = await ddf.compute(table, ddf.delayed(sumX)(table));
    expect(t.numRows).toBe(1000);
    expect(total).toBe((999 * 1000) / 4);
  });

  it('a compute leaves nothing in Redis: its results and uploaded inputs go when it ends', async () => {
    const redis = new Redis(cluster.url);
    try {
      const [table] = await ddf.compute(air().filter(ddf.col('DepDelay').gt(0)).toArrow(), byOrigin(air()));
      expect(table.numRows).toBeGreaterThan(1000);
      expect([...(await redis.keys('dusk:dusk:r:*')), ...(await redis.keys('dusk:dusk:v:*'))]).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('a self-join, a sort and dropDuplicates (hash shuffles): the same rows as sync', async () => {
    const queries = () => {
      const df = air().select(['Origin', 'Dest', 'DepDelay', 'TailNum']);
      const routes = df.groupBy('Origin').agg({ flights: ddf.col('DepDelay').count() });
      return [
        df.join(routes, { on: 'Origin' }).groupBy('Dest').agg({ w: ddf.col('flights').sum() }).sort('Dest').toArrow(),
        df.sort(['Origin', 'DepDelay'], { descending: [false, true] }).head(25),
        df.dropDuplicates(['TailNum']).select(['TailNum']).sort('TailNum').toArrow(),
      ] as const;
    };
    const want = await ddf.compute(...queries(), { scheduler: 'sync' });
    const executor = (client as unknown as { executor: DistributedExecutor }).executor;
    const before = { ...executor.fetched };
    const got = await ddf.compute(...queries(), { scheduler: 'distributed' });
    for (let i = 0; i < want.length; i++) expect(rows(got[i] as never)).toEqual(rows(want[i] as never));
    expect(rows(got[2] as never).length).toBeGreaterThan(10);
    // The buckets went from the map workers to the reduce workers through Redis: the client
    // fetched results (the final partitions, small combines) but no shuffle map output.
    expect(executor.fetched.results).toBeGreaterThan(before.results);
    expect(executor.fetched.shuffleBytes - before.shuffleBytes).toBe(0);
    const redis = new Redis(cluster.url);
    try {
      expect(await redis.keys('dusk:dusk:r:*')).toEqual([]); // bucket keys too: they go when the compute ends
    } finally {
      redis.disconnect();
    }
  });

  it('shuffles where most buckets are empty (one origin\'s rows): the same rows as sync', async () => {
    const queries = () => {
      const df = air().select(['Origin', 'Dest', 'DepDelay']);
      return [df.filter(ddf.col('Origin').eq('ATL')).dropDuplicates(['Dest']).select(['Dest']).sort('Dest').toArrow(), df.sort('DepDelay').head(7)] as const;
    };
    const want = await ddf.compute(...queries(), { scheduler: 'sync' });
    const got = await ddf.compute(...queries(), { scheduler: 'distributed' });
    for (let i = 0; i < want.length; i++) expect(rows(got[i] as never)).toEqual(rows(want[i] as never));
  });

  it('spilled shuffles (shuffleMemory: 0): the buckets name scratch files the reduce workers read (same paths on every node), the same rows as sync', async () => {
    const queries = () => {
      const df = air().select(['Origin', 'Dest', 'DepDelay', 'TailNum']);
      return [df.dropDuplicates(['TailNum']).select(['TailNum']).sort('TailNum').toArrow(), df.sort(['Dest', 'DepDelay']).head(9)] as const;
    };
    const want = await ddf.compute(...queries(), { scheduler: 'sync' });
    const executor = (client as unknown as { executor: DistributedExecutor }).executor;
    const before = executor.fetched.shuffleBytes;
    const got = await ddf.compute(...queries(), { scheduler: 'distributed', shuffleMemory: 0 });
    expect(ddf.lastComputeReport()!.bytesSpilled).toBeGreaterThan(0);
    for (let i = 0; i < want.length; i++) expect(rows(got[i] as never)).toEqual(rows(want[i] as never));
    expect(executor.fetched.shuffleBytes).toBe(before);
  });

  it('delayed graphs, map/submit/gather/asCompleted and scatter: the same values as sync', async () => {
    const inc = ddf.delayed((x: number) => x + 1);
    const mul = ddf.delayed((a: number, b: number) => a * b);
    const graph = (n: number) => {
      const xs = Array.from({ length: n }, (_, i) => inc(i));
      return xs.reduce((acc, x, i) => (i % 2 ? mul(acc, x) : inc(acc)));
    };
    const [want] = await ddf.compute(graph(12), { scheduler: 'sync' });
    const [got] = await ddf.compute(graph(12));
    expect(got).toBe(want);

    const futures = client.map((x: number) => ({ x, sq: x * x }), [1, 2, 3, 4, 5, 6, 7, 8], { chunksize: 3 });
    const seen: number[] = [];
    for await (const f of ddf.asCompleted(futures)) seen.push((await f).x);
    expect(seen.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await client.gather(futures)).map((r) => r.sq)).toEqual([1, 4, 9, 16, 25, 36, 49, 64]);

    // Scattered once into Redis, fetched once per worker process, read by every task.
    const data = await client.scatter(Float64Array.from({ length: 1000 }, (_, i) => i));
    const sums = await client.gather([1, 2, 3].map((k) => client.submit((d: Float64Array, m: number) => d.reduce((s, v) => s + v, 0) * m, data, k)));
    expect(sums).toEqual([499500, 999000, 1498500]);
  });

  it('scattered data is put in Redis once and fetched once per worker process, not per task', async () => {
    // Every command Redis receives (commands inside BullMQ's scripts are not shown, nor needed).
    const monitor = await new Redis(cluster.url).monitor();
    const seen: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => seen.push(args));
    try {
      const data = await client.scatter(Float64Array.from({ length: 100_000 }, (_, i) => i % 7));
      const futures = Array.from({ length: 20 }, (_, k) => client.submit((d: Float64Array, m: number) => d[m]! + d.length, data, k));
      expect(await client.gather(futures)).toEqual(Array.from({ length: 20 }, (_, k) => (k % 7) + 100_000));
      const onShared = (cmd: string) => seen.filter(([c, key]) => c!.toLowerCase() === cmd && key!.startsWith('dusk:dusk:s:')).length;
      // The monitor's lines arrive on their own connection: wait for them (a busy machine delays them).
      for (let waited = 0; (onShared('set') === 0 || onShared('get') === 0) && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200));
      expect(onShared('set')).toBe(1);
      expect(onShared('get')).toBeGreaterThanOrEqual(1);
      expect(onShared('get')).toBeLessThanOrEqual(2); // at most once per worker process, whatever the number of tasks
      expect(seen.filter(([c, key]) => c!.toLowerCase() === 'set' && key!.startsWith('dusk:dusk:v:')).length).toBe(0); // not uploaded per task
    } finally {
      monitor.disconnect();
    }
  });

  it('dusk agg --redis runs on the workers: the same numbers as sync, tasks per host in the report', async () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), 'agg', join(airline, '*.csv'), 'DepDelay:max', 'DepDelay:mean', '--encoding', 'latin1', '--redis', cluster.url, '--json'], { encoding: 'utf8' });
    const { results, report } = JSON.parse(out) as { results: Record<string, number>; report: { scheduler: string; tasksPerHost: Record<string, number> } };
    const s = air().col('DepDelay');
    const [max, mean] = await ddf.compute(s.max(), s.mean(), { scheduler: 'sync' });
    expect(results).toEqual({ 'DepDelay:max': max, 'DepDelay:mean': mean });
    expect(report.scheduler).toBe('distributed');
    expect(Object.values(report.tasksPerHost).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('the simulation example (scenario 7): identical to sync, to the bit', async () => {
    // The example imports the built package ('dusk'): its compute needs a client of that package.
    const dusk = await import('dusk');
    const distClient = await dusk.Client.connect(cluster.url, { progress: false });
    try {
      const sync = await runSimulation({ scheduler: 'sync', replicates: 40 });
      const dist = await runSimulation({ scheduler: 'distributed', replicates: 40 });
      expect(dist).toEqual(sync);
      expect(dusk.lastComputeReport()).toMatchObject({ scheduler: 'distributed', workerTasks: 40 });
    } finally {
      await distClient.close();
    }
  });
});
