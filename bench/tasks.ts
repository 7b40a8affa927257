/**
 * Task-scheduling benchmarks (issue 3, item 4):
 *  (a) the course unit's 4 slow + 12 fast tasks: dynamic allocation (chunksize 1) vs static
 *      (chunksize = tasks / workers) wall time, and their ratio;
 *  (b) per-task overhead of 10,000 tiny tasks (x => x + 1) through client.map with chunksize
 *      'auto' (batched) and 1, against a raw piscina loop over the same 10,000 tasks, measured
 *      in the same run. Targets: ≤ 50 µs per task batched, and ≤ 1.5× raw piscina.
 *
 *   npm run build && npx tsx bench/tasks.ts [--workers 2] [--tasks 10000] [--reps 5] [--only a|b]
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import * as ddf from 'dusk';
import { runDynamic, runStatic, taskSizes } from '../examples/scenario-4-dynamic-vs-static.js';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1]! : fallback;
}
const workers = Number(option('--workers', String(Math.min(availableParallelism(), 4))));
const nTasks = Number(option('--tasks', '10000'));
const reps = Number(option('--reps', '5'));
const only = option('--only', 'ab');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Median time (ms) over reps after one warm-up run; checks the results. */
async function measure(label: string, run: () => Promise<number[]>): Promise<number> {
  const check = (out: number[]) => {
    if (out.length !== nTasks || out.some((v, i) => v !== i + 1)) throw new Error(`${label}: wrong results`);
  };
  check(await run()); // warm-up: workers started, code compiled
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    let out: number[] = [];
    times.push(await time(async () => (out = await run())));
    check(out);
  }
  const ms = median(times);
  console.log(`  ${label.padEnd(46)} ${((ms * 1000) / nTasks).toFixed(1).padStart(7)} µs/task   (median of ${reps}: ${ms.toFixed(0)} ms for ${nTasks} tasks)`);
  return ms;
}

async function benchAllocation(): Promise<void> {
  console.log(`(a) 4 slow + 12 fast tasks, ${workers} worker threads`);
  const sizes = taskSizes();
  const client = await ddf.Client.local({ nWorkers: workers });
  try {
    await client.gather(client.map((x: number) => x, Array.from({ length: workers }, (_, i) => i), { chunksize: 1 }));
    const dyn: number[] = [], stat: number[] = [];
    for (let r = 0; r < 2; r++) {
      dyn.push((await runDynamic(client, sizes)).seconds);
      stat.push((await runStatic(client, sizes)).seconds);
    }
    const d = Math.min(...dyn), s = Math.min(...stat);
    console.log(`  dynamic (chunksize 1)                ${d.toFixed(2)} s   (runs: ${dyn.map((v) => v.toFixed(2)).join(', ')})`);
    console.log(`  static  (chunksize ${String(Math.ceil(sizes.length / workers)).padEnd(2)})               ${s.toFixed(2)} s   (runs: ${stat.map((v) => v.toFixed(2)).join(', ')})`);
    console.log(`  static / dynamic = ${(s / d).toFixed(2)}x  ${s > d ? '(dynamic wins, as in the unit)' : '(dynamic did NOT win)'}`);
  } finally {
    await client.close();
  }
}

async function benchOverhead(): Promise<void> {
  console.log(`(b) ${nTasks} tiny tasks (x => x + 1), ${workers} worker threads; per-task wall time`);
  const items = Array.from({ length: nTasks }, (_, i) => i);
  const inc = (x: number) => x + 1;

  const client = await ddf.Client.local({ nWorkers: workers, progress: false });
  const batched = await measure(`dusk client.map, chunksize 'auto'`, () => client.gather(client.map(inc, items)));
  const dynamic = await measure('dusk client.map, chunksize 1', () => client.gather(client.map(inc, items, { chunksize: 1 })));
  const delayedInc = ddf.delayed(inc);
  const computeMs = await measure(`dusk ddf.compute of delayed calls, 'auto'`, async () => {
    const [out] = await ddf.compute(items.map((i) => delayedInc(i)), { numWorkers: workers, progress: false });
    return out;
  });
  await client.close();
  await ddf.shutdown();

  const pool = new Piscina({ filename: new URL('./raw-piscina-worker.mjs', import.meta.url).href, minThreads: workers, maxThreads: workers });
  const raw = await measure('raw piscina, one pool.run per task', () => Promise.all(items.map((i) => pool.run(i) as Promise<number>)));
  const chunk = Math.ceil(nTasks / (4 * workers));
  const rawBatched = await measure(`raw piscina, batches of ${chunk} per pool.run`, async () => {
    const batches: number[][] = [];
    for (let i = 0; i < nTasks; i += chunk) batches.push(items.slice(i, i + chunk));
    return (await Promise.all(batches.map((b) => pool.run(b) as Promise<number[]>))).flat();
  });
  await pool.destroy();

  const us = (ms: number) => (ms * 1000) / nTasks;
  console.log(`  target 1: dusk batched ≤ 50 µs/task: ${us(batched).toFixed(1)} µs → ${us(batched) <= 50 ? 'MET' : 'NOT MET'}`);
  console.log(`  target 2: dusk batched ≤ 1.5× raw piscina (one run per task): ${(batched / raw).toFixed(2)}x → ${batched / raw <= 1.5 ? 'MET' : 'NOT MET'}`);
  console.log(`  for reference: dusk chunksize 1 / raw = ${(dynamic / raw).toFixed(2)}x; ddf.compute / raw = ${(computeMs / raw).toFixed(2)}x; dusk batched / raw batched = ${(batched / rawBatched).toFixed(2)}x`);
}

console.log(`bench/tasks.ts — node ${process.version}, ${availableParallelism()} cores available`);
if (only.includes('a')) await benchAllocation();
if (only.includes('b')) await benchOverhead();
