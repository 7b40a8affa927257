/**
 * Course unit, scenario 4: parallelizing over tasks whose run times vary — 4 slow tasks and
 * 12 fast ones. Dynamic allocation (chunksize 1: a worker takes the next task when it is free)
 * against static allocation (chunksize = tasks / workers: each worker gets one batch of
 * consecutive tasks up front, so one worker gets all four slow tasks).
 *
 *   npm run build && npx tsx examples/scenario-4-dynamic-vs-static.ts [--workers N] [--verbose]
 *
 * --verbose also prints the unit's "Working on i." / "Finishing i." from inside the workers.
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import * as ddf from 'dusk';
import { fun, type FunItem, type FunResult } from './tasks/slow-fast.js';

export const SEED = 1;

/** The unit's n = np.repeat([5*10**7, 10**6, 10**6, 10**6], 4), scaled to this machine. */
export function taskSizes(slow = 10_000_000, fast = 200_000): number[] {
  return [slow, fast, fast, fast].flatMap((n) => [n, n, n, n]);
}

export function taskItems(sizes: number[], verbose = false): FunItem[] {
  return sizes.map((n, i) => ({ i, n, seed: SEED, verbose }));
}

export interface AllocationRun {
  chunksize: number;
  seconds: number;
  /** One result per task, in task order. */
  results: FunResult[];
}

/** Runs fun on every task through client.map with this chunksize; returns results and wall time. */
export async function runMap(client: ddf.Client, sizes: number[], chunksize: number, verbose = false): Promise<AllocationRun> {
  const t0 = performance.now();
  const results = await client.gather(client.map(fun, taskItems(sizes, verbose), { chunksize }));
  return { chunksize, seconds: (performance.now() - t0) / 1000, results };
}

/** Dynamic allocation: chunksize 1. */
export function runDynamic(client: ddf.Client, sizes: number[], verbose = false): Promise<AllocationRun> {
  return runMap(client, sizes, 1, verbose);
}

/** Static allocation: one batch of consecutive tasks per worker (chunksize = tasks / workers). */
export function runStatic(client: ddf.Client, sizes: number[], verbose = false): Promise<AllocationRun> {
  return runMap(client, sizes, Math.ceil(sizes.length / client.nWorkers), verbose);
}

/**
 * Starts the workers and has every one of them load the task module (examples/tasks/slow-fast.ts),
 * so that neither timed run pays for it: the first call of a task module in a worker imports it,
 * which for a TypeScript module means starting tsx's loader in that thread (about half a second of
 * CPU per worker here). Returns the seconds it took and the worker threads that loaded it.
 */
export async function warmUp(client: ddf.Client): Promise<{ seconds: number; threads: Set<number> }> {
  const t0 = performance.now();
  const threads = new Set<number>();
  // Dynamic allocation hands one tiny task to each idle worker; a worker that finishes first may
  // take another's, so go again until every worker has run one.
  for (let round = 0; round < 20 && threads.size < client.nWorkers; round++) {
    const items = Array.from({ length: client.nWorkers }, (_, k) => ({ i: round * client.nWorkers + k, n: 10, seed: SEED, verbose: false }));
    for (const r of await client.gather(client.map(fun, items, { chunksize: 1 }))) threads.add(r.threadId);
  }
  return { seconds: (performance.now() - t0) / 1000, threads };
}

/** Which worker ran which tasks, and when (seconds from the start of the run). */
export function schedule(run: AllocationRun, sizes: number[]): string[] {
  const t0 = Math.min(...run.results.map((r) => r.start));
  const byWorker = new Map<number, FunResult[]>();
  for (const r of run.results) (byWorker.get(r.threadId) ?? byWorker.set(r.threadId, []).get(r.threadId)!).push(r);
  const slowest = Math.max(...sizes);
  return [...byWorker.entries()]
    .sort(([a], [b]) => a - b)
    .map(([thread, rs]) => {
      rs.sort((a, b) => a.start - b.start);
      const tasks = rs.map((r) => `${r.i}${sizes[r.i] === slowest ? '*' : ''}`).join(' ');
      const busy = rs.reduce((s, r) => s + (r.end - r.start), 0) / 1000;
      const last = (Math.max(...rs.map((r) => r.end)) - t0) / 1000;
      return `  worker thread ${String(thread).padStart(2)}: tasks ${tasks.padEnd(40)} busy ${busy.toFixed(2)} s, done at ${last.toFixed(2)} s`;
    });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--workers');
  const nWorkers = at >= 0 ? Number(args[at + 1]) : Math.min(4, availableParallelism()); // the unit's n_cores = 4, if there are 4 cores
  const verbose = args.includes('--verbose');
  const sizes = taskSizes();
  console.log('## 4 slow tasks and 12 fast ones.');
  console.log(`n = [${sizes.join(' ')}]`);

  // The unit times one slow and one fast task on their own first.
  for (const i of [1, 5]) {
    const t0 = performance.now();
    fun({ i, n: sizes[i]!, seed: SEED, verbose: true });
    console.log(`fun(${i}) here: ${((performance.now() - t0) / 1000).toFixed(3)} s`);
  }

  const client = await ddf.Client.local({ nWorkers });
  try {
    // Both runs start warm: workers started and the task module loaded in each (not timed below).
    const warm = await warmUp(client);
    console.log(`\n${nWorkers} worker threads started and the task module loaded in ${warm.threads.size} of them in ${warm.seconds.toFixed(2)} s (not counted below)`);

    const dynamic = await runDynamic(client, sizes, verbose);
    console.log(`\ndynamic allocation (chunksize 1): ${dynamic.seconds.toFixed(2)} s   (* = slow task)`);
    schedule(dynamic, sizes).forEach((line) => console.log(line));

    const fixed = await runStatic(client, sizes, verbose);
    console.log(`\nstatic allocation (chunksize ${fixed.chunksize}): ${fixed.seconds.toFixed(2)} s`);
    schedule(fixed, sizes).forEach((line) => console.log(line));

    const same = dynamic.results.every((r, i) => r.value === fixed.results[i]!.value);
    console.log(`\nstatic / dynamic = ${(fixed.seconds / dynamic.seconds).toFixed(2)}x; results identical under both allocations: ${same ? 'yes' : 'NO'}`);
    console.log(`results: [${dynamic.results.map((r) => r.value.toFixed(4)).join(', ')}]`);
  } finally {
    await client.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
