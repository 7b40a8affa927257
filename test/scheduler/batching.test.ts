import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { resolveOptions } from '../../src/config.js';
import { lowerToGraph } from '../../src/plan/physical/lower.js';
import { optimize } from '../../src/plan/optimize/index.js';
import type { Executor } from '../../src/scheduler/executor.js';
import { Queue } from '../../src/scheduler/queue.js';
import { partitionBatchSize, runGraph } from '../../src/scheduler/run-graph.js';
import { SyncExecutor } from '../../src/scheduler/sync-executor.js';
import { ThreadsExecutor } from '../../src/scheduler/threads-executor.js';
import { tempDir } from '../helpers.js';

/** Many small tasks: batched per worker call, in order, with the same answers as sync. */

const threads = new ThreadsExecutor(2);
afterAll(() => threads.close());

/** Counts the worker calls an executor gets, and the tasks in them. */
function counting(inner: Executor): Executor & { calls: number[] } {
  const calls: number[] = [];
  return {
    name: inner.name,
    workers: inner.workers,
    calls,
    runBatch: (batch, signal) => {
      calls.push(batch.length);
      return inner.runBatch(batch, signal);
    },
    share: (key, payload) => inner.share(key, payload),
    bytesRead: () => inner.bytesRead(),
    close: () => inner.close(),
  };
}

describe("'auto' batches of partitions", () => {
  it('one task per call until tasks prove short, then as many as fill about 20 ms, never more than a fair share', () => {
    expect(partitionBatchSize(null, 1000, 2)).toBe(1);
    expect(partitionBatchSize(50, 1000, 2)).toBe(1); // long tasks: dynamic allocation
    expect(partitionBatchSize(0.5, 1000, 2)).toBe(40);
    expect(partitionBatchSize(0.01, 1000, 2)).toBe(500); // a fair share: half the ready tasks each
    expect(partitionBatchSize(0.01, 7, 4)).toBe(1);
  });

  it('the ready queue hands out tasks in order, in O(1) each', () => {
    const q = new Queue<number>();
    for (let i = 0; i < 5000; i++) q.push(i);
    const taken = [...q.take(3), q.shift()!, ...q.take(4000)];
    expect(taken).toEqual(Array.from({ length: 4004 }, (_, i) => i));
    expect(q.length).toBe(996);
    expect(q.peek()).toBe(4004);
    expect(q.take(2000)).toHaveLength(996);
    expect(q.shift()).toBeUndefined();
  });

  it('hundreds of tiny files on threads in batches, with the same answers as sync', async () => {
    const { dir, remove } = tempDir();
    try {
      const n = 300;
      for (let i = 0; i < n; i++) writeFileSync(join(dir, `f${String(i).padStart(4, '0')}.csv`), `a,b\n${i},${i / 2}\n${i + 1},0.25\n`);
      const df = ddf.readCsv(join(dir, '*.csv'));
      const lazies = [df.col('a').sum(), df.col('b').max(), df.col('a').std()];
      const graph = () => lowerToGraph(optimize(lazies.map((l) => l.plan))).graph;
      const want = await runGraph(graph(), new SyncExecutor(), resolveOptions({ scheduler: 'sync', progress: false }));
      for (const chunksize of ['auto', 1, 7] as const) {
        const executor = counting(threads);
        const got = await runGraph(graph(), executor, resolveOptions({ scheduler: 'threads', numWorkers: 2, chunksize, progress: false }));
        expect(got.values).toEqual(want.values);
        expect(executor.calls.reduce((a, b) => a + b, 0)).toBe(n);
        if (chunksize === 1) expect(executor.calls.every((c) => c === 1)).toBe(true);
        if (chunksize === 7) expect(executor.calls.filter((c) => c !== 7)).toEqual([n % 7]);
      }
    } finally {
      remove();
    }
  });
});
