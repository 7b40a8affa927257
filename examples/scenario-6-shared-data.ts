/**
 * Course unit, scenario 6: a stratified analysis of one very large array — avoiding copies.
 * Eight tasks each read the same big array x (20 million doubles, 160 MB; the unit uses 50
 * million). For each scheduler the example prints, like the unit, the object id and process of
 * the array each task saw, how many copies of x were made, and the time.
 *
 *   npm run build && npx tsx examples/scenario-6-shared-data.ts [--size 20000000] [--workers N] [--per-task]
 *
 * x goes to the workers with client.scatter: with threads it is put in shared memory once and
 * no task copies it; with processes each worker process holds one copy. --per-task adds the
 * unit's worst case: x passed itself as an argument of every task, so every task gets its own
 * copy (about 10 s and 1.6 GB more for the default size, hence not run by default).
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import * as ddf from 'dusk';
import { Generator, PCG64 } from 'dusk/random';
import { type AnalysisResult, doAnalysis } from './tasks/analysis.js';

const P = 8; // tasks, as in the unit

/** Samples this process's resident memory while `work` runs; returns its result and the peak growth. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; growthMB: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, growthMB: Math.round((peak - before) / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

/** Copies the tasks worked on: distinct (process, thread, object) triples, except shared memory of this process. */
function copiesSeen(results: AnalysisResult[]): number {
  const copies = new Set(results.filter((r) => !(r.sharedMemory && r.pid === process.pid)).map((r) => `${r.pid}/${r.threadId}/${r.objectId}`));
  return copies.size;
}

function printTasks(results: AnalysisResult[]): void {
  for (const r of results) {
    console.log(`Object id: ${r.pid}/${r.threadId}#${r.objectId}, process id: ${r.pid}, thread: ${r.threadId}, shared memory: ${r.sharedMemory ? 'yes' : 'no'}`);
  }
}

async function scattered(x: Float64Array, scheduler: 'sync' | 'threads' | 'processes', nWorkers: number): Promise<void> {
  console.log(`\n== ${scheduler}${scheduler === 'sync' ? '' : ` (${nWorkers} workers)`}: x = await client.scatter(x), then ${P} tasks doAnalysis(i, x) ==`);
  let client: ddf.Client;
  try {
    client = await ddf.Client.local({ scheduler, nWorkers });
    // Start the workers first, so the times below are the data's, not the start-up's.
    await client.gather(client.map((i: number) => i, Array.from({ length: nWorkers }, (_, i) => i), { chunksize: 1 }));
  } catch (err) {
    console.log(`the '${scheduler}' scheduler is not available in this build of Dusk: ${(err as Error).message}`);
    return;
  }
  try {
    const { value, growthMB } = await withPeakRss(async () => {
      let t0 = performance.now();
      const xRef = await client.scatter(x);
      const scatterSeconds = (performance.now() - t0) / 1000;
      t0 = performance.now();
      const results = await client.gather(Array.from({ length: P }, (_, i) => client.submit(doAnalysis, i, xRef)));
      return { results, scatterSeconds, taskSeconds: (performance.now() - t0) / 1000 };
    });
    printTasks(value.results);
    const copies = copiesSeen(value.results);
    const where = scheduler === 'processes' ? `one per worker process that ran a task` : copies === 0 ? 'every task read the same memory' : '';
    const workerRss = scheduler === 'processes' ? `; worker processes' RSS ${[...new Map(value.results.map((r) => [r.pid, r.rssMB])).values()].join(', ')} MB` : '';
    console.log(
      `scatter ${value.scatterSeconds.toFixed(3)} s (x copied once into ${scheduler === 'processes' ? 'a message to each worker process' : 'shared memory'}); ` +
        `${P} tasks ${value.taskSeconds.toFixed(3)} s; copies of x seen by tasks: ${copies}${where ? ` (${where})` : ''}; ` +
        `this process's RSS grew by ${growthMB} MB${workerRss}`,
    );
  } finally {
    await client.close();
  }
}

/** The unit's worst case: x is an argument of every task, so every task gets its own copy. */
async function perTask(x: Float64Array, nWorkers: number): Promise<void> {
  console.log(`\n== threads (${nWorkers} workers): x passed as an argument of every task (no scatter) ==`);
  const client = await ddf.Client.local({ scheduler: 'threads', nWorkers });
  try {
    await client.gather(client.map((i: number) => i, Array.from({ length: nWorkers }, (_, i) => i), { chunksize: 1 }));
    const { value, growthMB } = await withPeakRss(async () => {
      const t0 = performance.now();
      const results = await client.gather(Array.from({ length: P }, (_, i) => client.submit(doAnalysis, i, x)));
      return { results, seconds: (performance.now() - t0) / 1000 };
    });
    printTasks(value.results);
    console.log(`${P} tasks ${value.seconds.toFixed(3)} s; copies of x seen by tasks: ${copiesSeen(value.results)} (one per task); this process's RSS grew by ${growthMB} MB`);
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const option = (name: string, fallback: number) => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? Number(process.argv[at + 1]) : fallback;
  };
  const size = option('--size', 20_000_000);
  const nCores = option('--workers', Math.min(4, availableParallelism())); // the unit's n_cores = 4, if there are 4 cores
  const x = new Generator(new PCG64(1)).normal(0, 1, size); // our big "dataset"
  console.log(`x: ${size.toLocaleString('en-US')} doubles (${(x.byteLength / 1e6).toFixed(0)} MB)`);

  await scattered(x, 'sync', 1);
  await scattered(x, 'threads', nCores);
  await scattered(x, 'processes', nCores);
  if (process.argv.includes('--per-task')) await perTask(x, nCores);
  else console.log('\n(run with --per-task to see the worst case: x passed to every task, one copy per task)');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
