/**
 * Course unit, scenario 5B: when one machine is not enough, the same script runs on many by
 * changing the scheduler (Dask's SSHCluster; on a cluster, workers started with Slurm's srun).
 * Here Dusk's workers are `dusk worker` processes that take tasks from Redis (BullMQ); this
 * script is their client:
 *  1. `srun hostname`: where do tasks run? (a task per item, reporting host and process)
 *  2. the airline reduction and the cross-validation of scenario 3/5A, unchanged but for
 *     scheduler: 'distributed' — the same numbers as on threads, to the bit.
 *
 *   npm run build
 *   npx tsx examples/local-cluster.ts &      # Redis + 2 workers on this machine; prints redis://127.0.0.1:PORT
 *   npx tsx examples/scenario-5b-distributed.ts --redis redis://127.0.0.1:PORT
 * Without --redis it starts that local cluster itself and stops it at the end. On real nodes,
 * see README.md, Distributed (workers started over ssh or with srun).
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as ddf from 'dusk';
import { startLocalCluster } from './local-cluster.js';
import { makeCvData } from './tasks/cv.js';
import { whereAmI } from './tasks/where.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/airline/none/', import.meta.url));

export interface Scenario5bResult {
  /** Tasks of step 1 per "host pid" (each dusk worker process). */
  perWorker: Record<string, number>;
  /** The compute report's tasks per host. */
  tasksPerHost: Record<string, number>;
  airline: { distributed: unknown[]; threads: unknown[] };
  cvMse: { distributed: number[]; threads: number[] };
}

export async function runScenario5b(client: ddf.Client, items = 40): Promise<Scenario5bResult> {
  // 1. srun hostname
  const where = await client.gather(client.map(whereAmI, Array.from({ length: items }, (_, i) => i), { chunksize: 1 }));
  const perWorker: Record<string, number> = {};
  for (const w of where) perWorker[`${w.host} pid ${w.pid}`] = (perWorker[`${w.host} pid ${w.pid}`] ?? 0) + 1;

  // 2. the same computations on the cluster and on this machine's threads
  const delay = () => ddf.readCsv(join(FIXTURES, '*.csv'), { encoding: 'latin1' }).col('DepDelay');
  const lazies = () => [delay().mean(), delay().max(), delay().quantile(0.9)];
  const distributed = await ddf.compute(...lazies(), { scheduler: 'distributed' });
  const tasksPerHost = ddf.lastComputeReport()!.tasksPerHost;
  const threads = await ddf.compute(...lazies(), { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 });

  const data = makeCvData(1);
  const methods = [ddf.ml.mean(), ddf.ml.ols(), ddf.ml.ridge(10)];
  const cv = async (scheduler: 'distributed' | 'threads') => (await ddf.ml.crossValidate(methods, { X: data.X, y: data.y }, { folds: data.folds, scheduler, numWorkers: 2 })).methods.map((m) => m.metrics.mse);
  return { perWorker, tasksPerHost, airline: { distributed, threads }, cvMse: { distributed: await cv('distributed'), threads: await cv('threads') } };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { redis: { type: 'string' } } });
  const cluster = values.redis ? null : await startLocalCluster({ workers: 2, concurrency: 1, tasks: [fileURLToPath(new URL('./tasks/', import.meta.url))] });
  const url = values.redis ?? cluster!.url;
  const client = await ddf.Client.connect(url, { waitForWorkers: 1 });
  try {
    const t0 = performance.now();
    const r = await runScenario5b(client);
    console.log(`client connected to ${url}: ${client.nWorkers} worker thread(s)`);
    console.log('1. where tasks ran (srun hostname):');
    for (const [worker, n] of Object.entries(r.perWorker)) console.log(`   ${worker}: ${n} task(s)`);
    console.log(`2. airline DepDelay mean, max, q0.9: distributed ${r.airline.distributed.join(', ')}; threads ${r.airline.threads.join(', ')}`);
    console.log(`   compute report, tasks per host: ${JSON.stringify(r.tasksPerHost)}`);
    console.log(`   CV MSE (mean, ols, ridge): distributed ${r.cvMse.distributed.map((x) => x.toFixed(6)).join(', ')}; threads ${r.cvMse.threads.map((x) => x.toFixed(6)).join(', ')}`);
    console.error(`${((performance.now() - t0) / 1000).toFixed(2)} s`);
  } finally {
    await client.close();
    await cluster?.stop();
    await ddf.shutdown();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
