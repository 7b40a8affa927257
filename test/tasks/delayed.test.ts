import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { nestedSum, notExportedRef, square, whereAmI } from './task-module.js';

afterAll(() => ddf.shutdown());

describe('delayed', () => {
  it('is lazy, takes other delayed values as arguments, and computes nested structures in one graph', async () => {
    const inc = ddf.delayed((n: number) => n + 1);
    const add = ddf.delayed((a: number, b: number) => a + b);
    const a = inc(1);
    const b = inc(2);
    const total = add(a, b);
    expect(await total).toBe(5);
    const [list, obj] = await ddf.compute([a, [b, total]], { x: a, y: { z: total } });
    expect(list).toEqual([2, [3, 5]]);
    expect(obj).toEqual({ x: 2, y: { z: 5 } });
    expect(ddf.lastComputeReport()!.workerTasks).toBe(3); // a, b and total once each
  });

  it('runs equal pure calls (pure: true) once, and impure calls (the default, as in Dask) every time', async () => {
    const draw = (seed: number) => Math.random() + seed * 0;
    const pure = ddf.delayed(draw, { pure: true });
    const [x, y] = await ddf.compute(pure(1), pure(1));
    expect(x).toBe(y);
    expect(ddf.lastComputeReport()!.workerTasks).toBe(1);
    const impure = ddf.delayed(draw);
    const [p, q] = await ddf.compute(impure(1), impure(1));
    expect(p).not.toBe(q);
    expect(ddf.lastComputeReport()!.workerTasks).toBe(2);
  });

  it('runs the tasks of nested loops (folds × methods) without manual flattening, on workers', async () => {
    const fit = ddf.delayed(whereAmI);
    const tasks = [0, 1, 2].map((fold) => [10, 20].map((method) => fit(fold * 100 + method)));
    const [results] = await ddf.compute(tasks, { scheduler: 'threads', numWorkers: 2 });
    expect(results.map((row) => row.map((r) => r.item))).toEqual([
      [10, 20],
      [110, 120],
      [210, 220],
    ]);
    expect(results.flat().every((r) => r.isWorker && r.threadId !== 0)).toBe(true);
  });

  it('passes lazy dataframe results into functions', async () => {
    const air = ddf.readCsv('fixtures/airline/none/*.csv', { encoding: 'latin1' });
    const ratio = ddf.delayed((mean: number, std: number) => mean / std)(air.col('DepDelay').mean(), air.col('DepDelay').std());
    const [mean, std] = await ddf.compute(air.col('DepDelay').mean(), air.col('DepDelay').std());
    expect(await ratio).toBe(mean / std);
  });

  it('ddf.shared(data) puts data on each worker once for every task of a graph (shared memory with threads)', async () => {
    const data = ddf.shared(new Float64Array(100_000).fill(0.5));
    const sum = ddf.delayed((x: Float64Array, from: number) => x.subarray(from, from + 1000).reduce((a, b) => a + b, 0) + (x.buffer instanceof SharedArrayBuffer ? 0 : NaN));
    const [sums] = await ddf.compute([0, 1000, 2000].map((from) => sum(data, from)), { scheduler: 'threads', numWorkers: 2 });
    expect(sums).toEqual([500, 500, 500]);
    const graph = ddf.explain(sum(data, 0));
    expect(graph).toContain('Call lambda(2 args)');
  });

  it('a task that computes a graph itself does not deadlock a one-worker pool', async () => {
    expect(await ddf.delayed(nestedSum)(10).compute({ scheduler: 'threads', numWorkers: 1 })).toBe(90);
  });
});

describe('shipping functions to workers', () => {
  it('task(import.meta.url, fn) runs by module in workers, and locally when called directly', async () => {
    expect(square(7)).toBe(49);
    expect(await ddf.delayed(square)(7)).toBe(49);
    expect((await ddf.delayed(whereAmI)(1)).isWorker).toBe(true);
    expect(whereAmI(1).isWorker).toBe(false);
  });

  it('a task that is not exported fails with a message saying so', async () => {
    await expect(ddf.delayed(notExportedRef.fn)()).rejects.toThrow(/task 'notExported' is not exported from .*task-module\.ts.*export const notExported = ddf\.task\(import\.meta\.url/);
  });

  it('a function that uses a variable of the calling script fails at once, naming it and the way out', () => {
    const rate = 0.5;
    const threshold = 3;
    expect(() => ddf.delayed((x: number) => x * rate + threshold)).toThrow(
      /uses 'rate', 'threshold' from the calling script.*globals: \{ rate, threshold \}.*ddf\.task\(import\.meta\.url/,
    );
  });

  it('explicit globals are shipped with the function', async () => {
    const rate = 0.5;
    const scaled = ddf.delayed((x: number) => x * rate, { globals: { rate } });
    expect(await ddf.compute([1, 2, 3].map((x) => scaled(x)))).toEqual([[0.5, 1, 1.5]]);
  });

  it('a delayed value has its graph key before it runs; globals cannot be given to a ddf.task', () => {
    const call = ddf.delayed(square, { pure: true })(3);
    expect(call.key).toMatch(/^square-[0-9a-f]{12}$/);
    expect(ddf.delayed(square, { pure: true })(3).key).toBe(call.key);
    expect(ddf.delayed(square, { pure: true })(4).key).not.toBe(call.key);
    expect(ddf.delayed(square)(3).key).not.toBe(ddf.delayed(square)(3).key); // impure by default: every call its own key
    expect(() => ddf.delayed(square, { globals: { k: 1 } })).toThrow(/globals apply to functions shipped as source; 'square' is a ddf\.task/);
  });

  it('refuses things that are not functions, and built-ins that have no source', () => {
    expect(() => ddf.delayed(42 as unknown as () => number)).toThrow(/delayed\(\) needs a function, got number.*ddf\.shared\(data\)/);
    expect(() => ddf.delayed(Math.max)).toThrow(/'max' is a built-in or bound function.*wrap it: \(x\) => max\(x\)/);
  });

  it('a task that throws rejects with its key and the worker stack', async () => {
    const failing = ddf.delayed(function explode(n: number) {
      if (n > 0) throw new RangeError(`too big: ${n}`);
      return n;
    });
    const error = (await failing(3).then(
      () => null,
      (e: unknown) => e,
    )) as ddf.DuskTaskError;
    expect(error).toBeInstanceOf(ddf.DuskTaskError);
    expect(error.taskKey).toMatch(/^explode-[0-9a-f]{12}$/);
    expect(error.message).toContain('RangeError: too big: 3');
    expect(error.workerStack).toMatch(/explode/);
  });

  it('an argument that cannot be sent to a worker fails at call time, named with what to do', () => {
    const identity = ddf.delayed((x: unknown) => x);
    expect(() => identity({ callback: () => 1 })).toThrow(/^delayed\(\) of 'lambda': args\[0\]\.callback is a function \(callback\), which cannot be copied to another thread or process: pass data/);
  });
});
