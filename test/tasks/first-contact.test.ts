import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';

/**
 * What a Dask user trips over first with tasks (issue 12, items 4-7 and 11), on real worker
 * threads and processes: values that would lose their methods, delayed functions given to the
 * futures API, Dask's purity defaults, stacks that name the user's file, and which inputs a
 * task's writes reach.
 */

const SCHEDULERS = ['sync', 'threads', 'processes'] as const;
type SchedulerName = (typeof SCHEDULERS)[number];
const opts = (scheduler: SchedulerName) => ({ scheduler, numWorkers: 1, progress: false }) as const;

let client: ddf.Client;
beforeAll(async () => {
  client = await ddf.Client.local({ nWorkers: 2 });
});
afterAll(async () => {
  await client.close();
  await ddf.shutdown();
});

/** The 1-based line of the caller in this file (as the test runner maps it). */
function lineHere(): number {
  const frame = new Error().stack!.split('\n').filter((l) => l.includes('first-contact.test.ts'))[1]!; // [0] is this function
  return Number(/:(\d+):\d+\)?$/.exec(frame)![1]);
}

describe('item 4: values that would arrive without their methods are refused before shipping, on every scheduler', () => {
  class Vector extends Array<number> {
    norm(): number {
      return Math.hypot(...this);
    }
  }
  class Registry extends Map<string, number> {
    total(): number {
      return [...this.values()].reduce((a, b) => a + b, 0);
    }
  }
  class Samples extends Float64Array {
    mean(): number {
      return this.reduce((a, b) => a + b, 0) / this.length;
    }
  }
  const protoModel = { predict(x: number) {
    return x;
  } };
  const useIt = (v: unknown) => typeof (v as { norm?: unknown }).norm;

  it.each(SCHEDULERS)('subclasses of built-ins, Buffers and Object.create objects are named with their path and what to pass (%s)', async (scheduler) => {
    const vector = Vector.from([3, 4]) as Vector;
    const cases: [unknown, RegExp][] = [
      [{ points: [vector] }, /args\[0\]\.points\[0\] is an instance of class Vector, a subclass of Array: a worker would receive a plain Array without Vector's methods \(norm\)\. Pass the Array itself/],
      [{ index: new Registry([['a', 1]]) }, /args\[0\]\.index is an instance of class Registry, a subclass of Map: .*without Registry's methods \(total\)/],
      [{ x: new Samples(4) }, /args\[0\]\.x is an instance of class Samples, a subclass of Float64Array: .*\(mean\)/],
      [{ raw: Buffer.from('abc') }, /args\[0\]\.raw is a Buffer: a worker would receive a plain Uint8Array without Buffer's methods .*Pass a Uint8Array/],
      [{ model: Object.create(protoModel) as object }, /args\[0\]\.model is an object whose prototype is another object \(made with Object\.create or Object\.setPrototypeOf\): a worker would receive its own fields only, without what it inherits \(predict\)\. Pass a plain object/],
    ];
    const check = ddf.delayed(useIt);
    for (const [arg, message] of cases) {
      expect(() => check(arg)).toThrow(message);
      expect(() => ddf.shared(arg)).toThrow(new RegExp(`^ddf\\.shared\\(value\\): ${message.source.replace('args\\[0\\]', 'value')}`));
    }
    // The plain built-ins themselves still go through, and arrive the same on every scheduler.
    const plain = await ddf.compute(check({ points: [[3, 4]], index: new Map([['a', 1]]), x: new Float64Array(4), raw: new Uint8Array(3), model: { w: 1 } }), opts(scheduler));
    expect(plain).toEqual(['undefined']);
  });

  it('the futures API refuses them too, on threads, before anything runs', () => {
    const model = Object.assign(Object.create(protoModel) as typeof protoModel, { w: 2 });
    expect(() => client.map((m: { predict(x: number): number }) => m.predict(1), [{ predict: (x: number) => x }, model])).toThrow(/^client\.map\(\) of 'lambda': args\[0\]\.predict is a function/);
    expect(() => client.submit((m: { predict(x: number): number }) => m.predict(1), model)).toThrow(/^client\.submit\(\) of 'lambda': args\[0\] is an object whose prototype is another object .*\(predict\)/);
    expect(() => client.submit((v: number[]) => v.length, Vector.from([1]) as Vector)).toThrow(/args\[0\] is an instance of class Vector, a subclass of Array/);
  });

  it('a task returning a Buffer fails its task, saying to return a Uint8Array', async () => {
    const read = ddf.delayed(() => Buffer.from('abc'));
    await expect(read().compute(opts('threads'))).rejects.toThrow(/result is a Buffer: the caller would receive a plain Uint8Array without Buffer's methods; return a Uint8Array/);
  });
});

describe('item 5: a ddf.delayed function given to client.map / client.submit runs the function it wraps', () => {
  it('map and submit accept it on threads, with its options; the result types are the function’s', async () => {
    const scale = ddf.delayed((x: number) => x * 10, { name: 'scale' });
    const futures: ddf.Future<number>[] = client.map(scale, [1, 2, 3]);
    expect(await client.gather(futures)).toEqual([10, 20, 30]);
    expect(futures[0]!.key).toMatch(/^scale-[0-9a-f]{12}$/); // its name option is kept
    const one: ddf.Future<number> = client.submit(scale, 4);
    expect(await one).toBe(40);
    // Lazy arguments still work with it, and its explicit globals travel with it.
    const rate = 3;
    const withGlobals = ddf.delayed((x: number) => x * rate, { globals: { rate } });
    expect(await client.gather(client.map(withGlobals, [1, 2]))).toEqual([3, 6]);
    expect(await client.submit(withGlobals, ddf.delayed((n: number) => n + 1)(1))).toBe(6);
  });

  it('its explicit { pure: false } is kept (every call its own task); otherwise map is pure, as in Dask', async () => {
    const draw = ddf.delayed((_seed: number) => Math.random(), { pure: false });
    const drawn = client.map(draw, [1, 1]);
    const values = await client.gather(drawn);
    expect(drawn[0]!.key).not.toBe(drawn[1]!.key);
    expect(values[0]).not.toBe(values[1]);
    const plain = ddf.delayed((_seed: number) => Math.random()); // delayed's own default (impure) does not carry over
    const same = client.map(plain, [1, 1]);
    expect(new Set(await client.gather(same)).size).toBe(1);
    expect(same[0]!.key).toBe(same[1]!.key);
  });
});

describe("item 6: purity defaults follow Dask's", () => {
  it('delayed calls are impure by default (every call runs); { pure: true } opts in to one run per equal call', async () => {
    const random = ddf.delayed(() => Math.random());
    const [a, b] = await ddf.compute(random(), random(), opts('threads'));
    expect(a).not.toBe(b);
    expect(ddf.lastComputeReport()!.workerTasks).toBe(2);
    expect(random().key).not.toBe(random().key);
    const pure = ddf.delayed((seed: number) => Math.random() + seed * 0, { pure: true });
    const [p, q] = await ddf.compute(pure(1), pure(1), opts('threads'));
    expect(p).toBe(q);
    expect(ddf.lastComputeReport()!.workerTasks).toBe(1);
    expect(pure(1).key).toBe(pure(1).key);
  });

  it('client.map and client.submit are pure by default; { pure: false } gives every call its own key', async () => {
    const draw = (_seed: number) => Math.random();
    const futures = client.map(draw, [7, 7]);
    const submitted = [client.submit(draw, 8), client.submit(draw, 8)];
    const [x, y] = await client.gather(futures);
    expect(x).toBe(y);
    expect(futures[0]!.key).toMatch(/^draw-/);
    expect(futures[0]!.key).toBe(futures[1]!.key);
    await client.gather(submitted); // two submits are two computes: equal keys, each run once
    expect(submitted[0]!.key).toMatch(/^draw-/);
    expect(submitted[0]!.key).toBe(submitted[1]!.key);
    const impure = client.map(draw, [7, 7], { pure: false });
    const [u, v] = await client.gather(impure);
    expect(u).not.toBe(v);
    expect(impure[0]!.key).not.toBe(impure[1]!.key);
  });
});

describe("item 7: a failing shipped function's stack names the user's file and line", () => {
  it('a named function and a lambda, on threads', async () => {
    const defined = lineHere() + 1;
    const explode = ddf.delayed(function explode(n: number) {
      if (n > 0) throw new RangeError(`too big: ${n}`);
      return n;
    });
    const error = (await explode(3).compute(opts('threads')).catch((e: unknown) => e)) as ddf.DuskTaskError;
    expect(error.message).toContain('RangeError: too big: 3');
    const frame = /at explode \((.*):(\d+):\d+\)/.exec(error.workerStack ?? '');
    expect(frame?.[1]).toMatch(/test\/tasks\/first-contact\.test\.ts$/);
    expect(Math.abs(Number(frame![2]) - defined)).toBeLessThanOrEqual(2);
    expect(error.workerStack).not.toMatch(/<anonymous>|eval at/);

    const lambdaLine = lineHere() + 1;
    const futures = client.map((x: number) => { if (x === 2) throw new Error('two is not allowed'); return x; }, [1, 2]);
    const failed = (await futures[1]!.then(() => null, (e: unknown) => e)) as ddf.DuskTaskError;
    expect(failed.message).toContain('two is not allowed');
    const lambdaFrame = /\(?([^\s()]*first-contact\.test\.ts):(\d+):\d+\)?/.exec(failed.workerStack ?? '');
    expect(lambdaFrame).not.toBeNull();
    expect(Math.abs(Number(lambdaFrame![2]) - lambdaLine)).toBeLessThanOrEqual(2);
    expect(await futures[0]).toBe(1);
  });
});

describe('item 11: which inputs a task writes in place, and which it gets copies of', () => {
  const write = ddf.delayed((a: Float64Array) => {
    a[0] = -1;
    return a.buffer instanceof SharedArrayBuffer;
  });

  it.each(SCHEDULERS)('a plain typed array argument is a copy: a task’s write never reaches the caller (%s)', async (scheduler) => {
    const plain = new Float64Array(4).fill(1);
    const [inShared] = await ddf.compute(write(plain), opts(scheduler));
    expect(inShared).toBe(false);
    expect(plain[0]).toBe(1);
  });

  it.each(SCHEDULERS)('ddf.shared(plain array) is copied once into shared memory: writes reach shared.prepared with sync and threads, never the caller (%s)', async (scheduler) => {
    const plain = new Float64Array(4).fill(1);
    const shared = ddf.shared(plain);
    await ddf.compute(write(shared), opts(scheduler));
    expect(plain[0]).toBe(1);
    expect((shared.prepared as Float64Array)[0]).toBe(scheduler === 'processes' ? 1 : -1);
  });

  it.each(SCHEDULERS)('an array backed by a SharedArrayBuffer is shared in place with sync and threads (as an argument or shared); processes copy it (%s)', async (scheduler) => {
    const direct = new Float64Array(new SharedArrayBuffer(32)).fill(1);
    const viaShared = new Float64Array(new SharedArrayBuffer(32)).fill(1);
    await ddf.compute(write(direct), write(ddf.shared(viaShared)), opts(scheduler));
    const reached = scheduler === 'processes' ? 1 : -1;
    expect([direct[0], viaShared[0]]).toEqual([reached, reached]);
  });
});
