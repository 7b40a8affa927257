/**
 * Course unit, scenario 2: three different computations on your data, one worker each.
 * The unit runs gen_and_mean for np.random.normal, gamma and uniform with
 * dask.delayed + dask.compute (3 workers, chunksize 1), then the same three calls one after
 * another, and prints both times.
 *
 *   npm run build && npx tsx examples/scenario-2-three-methods.ts [n]
 *
 * n defaults to 20,000,000 draws per task (the unit uses 250,000,000).
 */
import { pathToFileURL } from 'node:url';
import * as ddf from 'dusk';
import { genAndMean, type GenAndMeanResult } from './tasks/generators.js';

const SEED = 2;

function describe(r: GenAndMeanResult): string {
  const where = r.threadId === 0 ? 'the main thread' : `worker thread ${r.threadId}`;
  return `  ${r.dist.padEnd(8)} mean ${r.mean.toFixed(6).padStart(10)}   ${r.seconds.toFixed(2)} s on ${where} (pid ${r.pid})`;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 20_000_000);
  ddf.config.set({ scheduler: 'threads', numWorkers: 3, chunksize: 1 }); // dask.config.set(scheduler='processes', num_workers = 3, chunksize = 1)

  // Nothing runs here: each call is a lazy task (the unit's dask.delayed(gen_and_mean)(...)).
  const task = ddf.delayed(genAndMean);
  const tasks = [task('normal', n, 0, 1, SEED, 0), task('gamma', n, 1, 1, SEED, 1), task('uniform', n, 0, 1, SEED, 2)];
  console.log(`n = ${n}; ${tasks.length} lazy tasks (${tasks.map((t) => t.constructor.name).join(', ')}): nothing has run yet`);

  let t0 = performance.now();
  const [results] = await ddf.compute(tasks);
  console.log(`in parallel (threads, 3 workers, chunksize 1): ${((performance.now() - t0) / 1000).toFixed(2)} s  (includes starting the 3 workers)`);
  results.forEach((r) => console.log(describe(r)));

  t0 = performance.now();
  const p = genAndMean('normal', n, 0, 1, SEED, 0);
  const q = genAndMean('gamma', n, 1, 1, SEED, 1);
  const s = genAndMean('uniform', n, 0, 1, SEED, 2);
  console.log(`one after another, here: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  [p, q, s].forEach((r) => console.log(describe(r)));

  const same = [p, q, s].every((r, i) => r.mean === results[i]!.mean);
  console.log(`same means in parallel and serially: ${same ? 'yes' : 'NO'} (each task draws from its own stream)`);
  console.log('Why not a three-fold speedup? The tasks differ in length (gamma is slowest), starting workers costs time, and there are only as many cores as the machine has.');
  await ddf.shutdown();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
