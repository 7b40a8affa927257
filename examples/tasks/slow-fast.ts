/**
 * Tasks of the course unit's scenario 4 (4 slow + 12 fast tasks) and of bench/tasks.ts.
 * Workers import this module to find the tasks: keep it free of top-level work.
 */
import { threadId } from 'node:worker_threads';
import * as ddf from 'dusk';
import { taskGenerator } from 'dusk/random';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos, g = 7): scipy.special.gammaln to about 1e-13 relative. */
export function gammaln(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - gammaln(1 - x);
  x -= 1;
  let a = LANCZOS[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

export interface FunResult {
  /** The task's index. */
  i: number;
  /** mean(gammaln(exp(normal(size = n)))), drawn from task i's own random stream. */
  value: number;
  /** The worker thread that ran it (0 = the main thread, i.e. the sync scheduler). */
  threadId: number;
  pid: number;
  /** Wall-clock start and end (ms since the epoch), to draw the schedule. */
  start: number;
  end: number;
}

/** One task of the map: its index, its size, the seed of the random streams, and whether to log. */
export interface FunItem {
  i: number;
  n: number;
  seed: number;
  verbose?: boolean;
}

/**
 * The unit's `fun(i)`: np.mean(scipy.special.gammaln(np.exp(np.random.normal(size = n[i])))).
 * client.map passes one item per call, so the item carries the size too (the unit reads a
 * global `n`); the random numbers come from task i's own stream, so the value does not depend
 * on where or when the task runs.
 */
export const fun = ddf.task(import.meta.url, function fun({ i, n, seed, verbose = false }: FunItem): FunResult {
  const start = Date.now();
  if (verbose) console.log(`Working on ${i}.`);
  const g = taskGenerator(seed, i);
  const block = new Float64Array(Math.min(n, 1 << 18));
  let sum = 0;
  for (let done = 0; done < n; done += block.length) {
    const m = Math.min(block.length, n - done);
    const z = m === block.length ? g.standardNormal(block.length, 'float64', block) : g.standardNormal(m);
    for (let k = 0; k < m; k++) sum += gammaln(Math.exp(z[k]!));
  }
  if (verbose) console.log(`Finishing ${i}.`);
  return { i, value: sum / n, threadId, pid: process.pid, start, end: Date.now() };
});
