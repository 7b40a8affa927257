import { createServer } from 'node:net';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { tempDir } from '../helpers.js';
import { dieOnce, markShared, square, whereAmI } from './task-module.js';

let client: ddf.Client;
beforeAll(async () => {
  client = await ddf.Client.local({ nWorkers: 2 });
});
afterAll(async () => {
  await client.close();
  await ddf.shutdown();
});

describe('Client futures', () => {
  it('map returns futures at once; gather returns results in item order', async () => {
    const futures = client.map(square, [1, 2, 3, 4, 5]);
    expect(futures).toHaveLength(5);
    expect(futures.every((f) => f instanceof ddf.Future)).toBe(true);
    expect(await client.gather(futures)).toEqual([1, 4, 9, 16, 25]);
    expect(futures.every((f) => f.done() && f.status === 'finished')).toBe(true);
  });

  it('submit runs one call; futures can be arguments of later calls', async () => {
    const a = client.submit(square, 3);
    const b = client.submit((x: number, y: number) => x + y, a, 1);
    expect(await b).toBe(10);
  });

  it('a failed future rejects with its key and stack, and the others still finish', async () => {
    const futures = client.map((n: number) => {
      if (n === 2) throw new Error('two is bad');
      return n;
    }, [1, 2, 3]);
    await expect(futures[1]!).rejects.toThrow(/task lambda-[0-9a-f]+ failed: Error: two is bad/);
    expect(await futures[0]).toBe(1);
    expect(await futures[2]).toBe(3);
    expect(futures[1]!.status).toBe('error');
  });

  it('asCompleted yields futures as they finish, fastest first', async () => {
    const futures = client.map((ms: number) => new Promise<number>((resolve) => setTimeout(() => resolve(ms), ms)), [400, 20, 200]);
    const order: number[] = [];
    for await (const future of ddf.asCompleted(futures)) {
      expect(future).toBeInstanceOf(ddf.Future);
      order.push(await future);
    }
    expect(order).toEqual([20, 200, 400]);
  });

  it('cancel stops a task that has not started', async () => {
    const one = await ddf.Client.local({ nWorkers: 1 });
    try {
      const futures = one.map((ms: number) => new Promise<number>((resolve) => setTimeout(() => resolve(ms), ms)), [300, 301, 302], { chunksize: 1 });
      futures[2]!.cancel();
      expect(futures[2]!.status).toBe('cancelled');
      await expect(futures[2]!).rejects.toThrow(/was cancelled/);
      expect(await one.gather(futures.slice(0, 2))).toEqual([300, 301]);
    } finally {
      await one.close();
    }
  });
});

describe('allocation: chunksize', () => {
  it('chunksize 4 sends consecutive batches of 4 items to one worker (static allocation)', async () => {
    const results = await client.gather(client.map(whereAmI, [0, 1, 2, 3, 4, 5, 6, 7], { chunksize: 4 }));
    const threads = results.map((r) => r.threadId);
    expect(new Set(threads.slice(0, 4)).size).toBe(1);
    expect(new Set(threads.slice(4)).size).toBe(1);
  });

  it('chunksize 1 hands each item to whichever worker is free (dynamic allocation): both workers work', async () => {
    const results = await client.gather(client.map(whereAmI, [0, 1, 2, 3, 4, 5], { chunksize: 1 }));
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
  });
});

describe('shared data: scatter', () => {
  it('with threads a scattered array is shared memory: tasks see, and write, the same bytes (no copy)', async () => {
    const data = new Float64Array(1000).fill(1);
    const shared = await client.scatter(data);
    const flags = await client.gather(client.map((i: number) => i, [0]));
    expect(flags).toEqual([0]);
    const isShared = await client.submit(markShared, shared, 5);
    expect(isShared).toBe(true);
    const view = (shared.prepared as Float64Array);
    expect(view[5]).toBe(-1); // the worker's write is visible here: one buffer, not a copy
    expect(data[5]).toBe(1); // the caller's own array was copied into shared memory once
  });

  it('an Arrow table can be scattered and used by tasks', async () => {
    const table = tableFromArrays({ x: Float64Array.from([1, 2, 3]), y: Int32Array.from([4, 5, 6]) });
    const shared = await client.scatter(table);
    const sum = await client.submit((t: typeof table) => {
      let s = 0;
      for (let i = 0; i < t.numRows; i++) s += t.getChild('x')!.get(i)! * t.getChild('y')!.get(i)!;
      return s;
    }, shared);
    expect(sum).toBe(1 * 4 + 2 * 5 + 3 * 6);
  });
});

describe('workers that die', () => {
  it('a worker that exits mid-task is replaced; the task is retried, and fails clearly without retries', async () => {
    const { dir, remove } = tempDir();
    try {
      const marker = join(dir, 'died-once');
      const retrying = await ddf.Client.local({ nWorkers: 1, retries: 1 });
      try {
        expect(await retrying.submit(dieOnce, marker)).toBe('survived');
        expect(existsSync(marker)).toBe(true);
        expect(await retrying.submit(square, 4)).toBe(16); // the pool still works
      } finally {
        await retrying.close();
      }
      rmSync(marker);
      expect(await ddf.delayed(dieOnce)(marker).compute({ retries: 1 })).toBe('survived');
      expect(ddf.lastComputeReport()!.retries).toBe(1);
      rmSync(marker);
      await expect(ddf.delayed(dieOnce)(marker).compute({ retries: 0 })).rejects.toThrow(/^worker thread \d+ exited with code 7 while running task dieOnce-[0-9a-f]+ \(dieOnce\(\)\); a fresh thread replaces it/);
    } finally {
      remove();
    }
  });
});

describe('misspelt options', () => {
  it('Client.local, client.map and client.compute refuse an unknown key, naming the call and the closest valid one', async () => {
    const js = <T>(options: object) => options as T; // what a JavaScript caller can pass
    await expect(ddf.Client.local(js({ numWorkers: 2 }))).rejects.toThrow(/^Client\.local: unknown option 'numWorkers'\. Did you mean 'nWorkers'\? Options: nWorkers, scheduler, progress, retries$/);
    expect(() => client.map(square, [1, 2], js({ chunkSize: 1 }))).toThrow(/^client\.map: unknown option 'chunkSize'\. Did you mean 'chunksize'\?/);
    expect(() => client.map(square, [1, 2], js({ puer: false }))).toThrow(/unknown option 'puer'\. Did you mean 'pure'\?/);
    const task = ddf.delayed(square)(3);
    await expect(client.compute(task, js({ retires: 1 }))).rejects.toThrow(/^client\.compute: unknown option 'retires'\. Did you mean 'retries'\?/);
    expect(await client.gather(client.map(square, [2, 3], { chunksize: 1, pure: true, name: 'sq' }))).toEqual([4, 9]);
  });
});

describe('Client.connect', () => {
  it('fails clearly where no Redis answers, and for an address that is not a Redis one (the scheduler itself: test/scheduler/distributed*.test.ts)', async () => {
    const server = createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    await new Promise((resolve) => server.close(resolve)); // a port nothing listens on
    await expect(ddf.Client.connect(`redis://127.0.0.1:${port}`, { connectTimeoutMs: 2000 })).rejects.toThrow(new RegExp(`cannot connect to Redis at redis://127\\.0\\.0\\.1:${port}`));
    await expect(ddf.Client.connect('http://127.0.0.1:6379')).rejects.toThrow(/must start with redis:\/\/ or rediss:\/\/ \(TLS\)/);
    await expect(ddf.compute(ddf.delayed((x: number) => x)(1), { scheduler: 'distributed' })).rejects.toThrow(/scheduler 'distributed' needs an open client: .*Client\.connect/);
  });
});

describe('the processes scheduler', () => {
  it('runs dataframe computes and task modules in child processes with the same answers', async () => {
    const air = ddf.readCsv('fixtures/airline/bz2/*.csv.bz2', { encoding: 'latin1' });
    const lazies = [air.col('DepDelay').max(), air.col('DepDelay').std(), air.col('Distance').sum()];
    const sync = await ddf.compute(...lazies, { scheduler: 'sync' });
    expect(await ddf.compute(...lazies, { scheduler: 'processes', numWorkers: 2 })).toEqual(sync);
    const where = await ddf.delayed(whereAmI)(1).compute({ scheduler: 'processes', numWorkers: 2 });
    expect(where.pid).not.toBe(process.pid);
    expect(where.isWorker).toBe(true);
  });

  it('scatter gives each worker process one copy: tasks read it, their writes stay in their process', async () => {
    const procs = await ddf.Client.local({ scheduler: 'processes', nWorkers: 2 });
    try {
      const data = new Float64Array(1000).fill(1);
      const shared = await procs.scatter(data);
      const results = await procs.gather(procs.map((i: number) => i, [0, 1]));
      expect(results).toEqual([0, 1]);
      expect(await procs.submit(markShared, shared, 5)).toBe(false); // a copy in the child, not shared memory
      expect((shared.prepared as Float64Array)[5]).toBe(1);
    } finally {
      await procs.close();
    }
  });
});
