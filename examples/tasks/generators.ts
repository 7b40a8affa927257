/**
 * The task of the course unit's scenario 2: draw n values from a distribution and return their
 * mean. Workers import this module to find the task: keep it free of top-level work.
 */
import { threadId } from 'node:worker_threads';
import * as ddf from 'dusk';
import { taskGenerator } from 'dusk/random';

export type Distribution = 'normal' | 'gamma' | 'uniform';

export interface GenAndMeanResult {
  dist: Distribution;
  mean: number;
  /** Seconds the task itself ran. */
  seconds: number;
  /** Where it ran: worker thread id (0 = the calling thread) and process id. */
  threadId: number;
  pid: number;
}

/**
 * The unit's gen_and_mean(func, n, par1, par2) = np.mean(func(par1, par2, size = n)). A
 * function cannot travel to a worker, so the distribution is named; each call draws from its
 * own stream (seed, stream), and in blocks, so memory stays small whatever n is.
 */
export const genAndMean = ddf.task(import.meta.url, function genAndMean(dist: Distribution, n: number, par1: number, par2: number, seed: number, stream: number): GenAndMeanResult {
  const t0 = performance.now();
  const g = taskGenerator(seed, stream);
  const BLOCK = 1 << 20;
  let sum = 0;
  for (let done = 0; done < n; done += BLOCK) {
    const m = Math.min(BLOCK, n - done);
    const x = dist === 'normal' ? g.normal(par1, par2, m) : dist === 'gamma' ? g.gamma(par1, par2, m) : g.uniform(par1, par2, m);
    for (let k = 0; k < m; k++) sum += x[k]!;
  }
  return { dist, mean: sum / n, seconds: (performance.now() - t0) / 1000, threadId, pid: process.pid };
});
