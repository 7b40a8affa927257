import { Table, tableFromArrays } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { tableInside } from './task-module.js';

/**
 * What tasks receive and return, on every scheduler: user data arrives as it was given (no
 * value is mistaken for one of Dusk's own), and what cannot cross to a worker fails at call
 * time, the same way everywhere, naming the task and the value's path.
 */

const SCHEDULERS = ['sync', 'threads', 'processes'] as const;
const opts = (scheduler: (typeof SCHEDULERS)[number]) => ({ scheduler, numWorkers: 1, progress: false }) as const;

afterAll(() => ddf.shutdown());

const identity = ddf.delayed((x: unknown) => x);
/** What a task sees of its argument: own keys, prototype, and what reads through the prototype give. */
const inspect = ddf.delayed((o: Record<string, unknown>) => ({
  keys: Object.keys(o),
  plainPrototype: Object.getPrototypeOf(o) === Object.prototype,
  isAdmin: (o as { isAdmin?: unknown }).isAdmin ?? null,
  proto: Object.prototype.hasOwnProperty.call(o, '__proto__') ? Object.getOwnPropertyDescriptor(o, '__proto__')!.value : 'absent',
}));

describe.each(SCHEDULERS)('task arguments and results on %s', (scheduler) => {
  it('user objects shaped like internal references arrive intact (no in-band markers)', async () => {
    const looksLikeDep = { __dusk_ref__: 'dep', index: 0, name: 'x' };
    const looksLikeShared = { __dusk_ref__: 'shared', key: 'nope' };
    const looksLikeTable = { __dusk_arrow_ipc__: new Uint8Array([1, 2, 3]) };
    const [a, b, c] = await ddf.compute(identity(looksLikeDep), identity(looksLikeShared), identity(looksLikeTable), opts(scheduler));
    expect(a).toEqual(looksLikeDep);
    expect(b).toEqual(looksLikeShared);
    expect(c).toEqual(looksLikeTable);
    // …also as shared data, where the Arrow marker used to be looked for.
    const shared = ddf.shared(looksLikeTable);
    expect(await ddf.delayed((s: typeof looksLikeTable, n: number) => [Object.keys(s), s.__dusk_arrow_ipc__[n]])(shared, 2).compute(opts(scheduler))).toEqual([['__dusk_arrow_ipc__'], 3]);
  });

  it("an own '__proto__' key stays a key (never the prototype), beside lazy values too", async () => {
    const json = () => JSON.parse('{"__proto__":{"isAdmin":true},"a":1}') as Record<string, unknown>;
    const seen = await inspect(json()).compute(opts(scheduler));
    expect(seen).toEqual({ keys: ['__proto__', 'a'], plainPrototype: true, isAdmin: null, proto: { isAdmin: true } });
    // The object is on a ref's path (its copy is rebuilt around the lazy value).
    const withLazy = Object.assign(json(), { lazy: identity(2) });
    const [nested] = await ddf.compute(ddf.delayed((o: Record<string, unknown>) => [Object.keys(o), (o as { isAdmin?: unknown }).isAdmin ?? null, o.lazy])(withLazy), opts(scheduler));
    expect(nested).toEqual([['__proto__', 'a', 'lazy'], null, 2]);
    // Returned by a task, and rebuilt by compute() around a lazy value.
    const [back, structure] = await ddf.compute(identity(json()), { lazy: identity(1), data: json() }, opts(scheduler));
    for (const o of [back as Record<string, unknown>, (structure as { data: Record<string, unknown> }).data]) {
      expect(Object.keys(o)).toEqual(['__proto__', 'a']);
      expect((o as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    }
  });

  it('Arrow tables arrive as tables: as an argument, from a lazy table, and as a result', async () => {
    const table = tableFromArrays({ x: Float64Array.from([1, 2, 3]) });
    const sumX = ddf.delayed((t: Table) => (t instanceof Object && typeof t.getChild === 'function' ? t.getChild('x')!.toArray().reduce((a: number, b: number) => a + b, 0) : `not a table: ${Object.keys(t)}`));
    expect(await sumX(table).compute(opts(scheduler))).toBe(6);
    const air = ddf.readCsv('fixtures/airline/none/*.csv', { encoding: 'latin1' });
    const rows = ddf.delayed((t: Table) => (typeof t.numRows === 'number' ? t.numRows : `not a table: ${Object.keys(t)}`));
    expect(await rows(air.head(7)).compute(opts(scheduler))).toBe(7);
    const made = ddf.delayed(tableInside);
    const [result] = await ddf.compute(made(4), opts(scheduler));
    expect(result.nested[0]).toBeInstanceOf(Table);
    expect(result.nested[0]!.numRows).toBe(4);
    // A table returned by one task reaches the next one as a table.
    expect(await rows(ddf.delayed((r: { nested: Table[] }) => r.nested[0]!)(made(5))).compute(opts(scheduler))).toBe(5);
  });

  it('a result that cannot be sent back fails its task, naming what and where', async () => {
    const returnsFunction = ddf.delayed(function makeCallback(n: number) {
      return { n, fn: () => n };
    });
    await expect(returnsFunction(1).compute(opts(scheduler))).rejects.toThrow(/^task 'makeCallback' returned a value that cannot be sent back from a worker: result\.fn is a function \(fn\)/);
    const returnsInstance = ddf.delayed(function makeModel() {
      class Model {
        weights = [1, 2];
        predict(): number {
          return 1;
        }
      }
      return [new Model()];
    });
    await expect(returnsInstance().compute(opts(scheduler))).rejects.toThrow(/task 'makeModel' returned .*result\[0\] is an instance of class Model: the caller would receive a plain copy of its fields without its methods/);
    // Cyclic results are data the clone carries.
    const cyclic = await ddf.delayed(() => {
      const o: Record<string, unknown> = { a: 1 };
      o.self = o;
      return o;
    })().compute(opts(scheduler));
    expect((cyclic as { self: unknown }).self).toBe(cyclic);
  });

  it('a thrown object keeps its message, code and other properties', async () => {
    const throwsObject = ddf.delayed(function fitFold() {
      throw { message: 'fold 3 has no rows', code: 'E_EMPTY', fold: 3 };
    });
    const err = (await throwsObject().compute(opts(scheduler)).catch((e: unknown) => e)) as ddf.DuskTaskError & { code?: string; fold?: number };
    expect(err).toBeInstanceOf(ddf.DuskTaskError);
    expect(err.message).toMatch(/^task fitFold-[0-9a-f]+ failed: fold 3 has no rows \(thrown as a plain object, not an Error; code: "E_EMPTY", fold: 3\)$/);
    expect(err.code).toBe('E_EMPTY');
    expect(err.fold).toBe(3);
    const throwsCoded = ddf.delayed(function readIt() {
      throw Object.assign(new Error('no such file'), { code: 'ENOENT', errno: -2 });
    });
    const coded = (await throwsCoded().compute(opts(scheduler)).catch((e: unknown) => e)) as ddf.DuskTaskError & { code?: string; errno?: number };
    expect(coded.message).toMatch(/failed: Error: no such file \(code: "ENOENT", errno: -2\)$/);
    expect([coded.code, coded.errno]).toEqual(['ENOENT', -2]);
  });

  it('Maps, Sets and Dates are inputs by their content: different ones are different tasks', async () => {
    const describe = ddf.delayed((v: unknown) => (v instanceof Map ? [...v.keys()] : v instanceof Set ? [...v] : v instanceof Date ? v.getTime() : String(v)));
    const out = await ddf.compute(describe(new Map([['a', 1]])), describe(new Map([['b', 1]])), describe(new Set([1])), describe(new Set([2])), describe(new Date(0)), describe(new Date(5)), describe(Number.NaN), describe(null), opts(scheduler));
    expect(out).toEqual([['a'], ['b'], [1], [2], 0, 5, 'NaN', 'null']);
  });
});

describe('values that cannot reach a worker fail at call time, on every scheduler alike', () => {
  class Model {
    constructor(readonly depth: number) {}
    predict(): number {
      return this.depth;
    }
  }

  it('a class instance is named with the task, its path and what to pass instead', () => {
    const fit = ddf.delayed(function fit(_fold: number, _options: { model: Model }) {
      return 1;
    });
    expect(() => fit(1, { model: new Model(3) })).toThrow(
      /^delayed\(\) of 'fit': args\[1\]\.model is an instance of class Model: a worker would receive a plain copy of its fields without its methods\. Pass plain data \(an object of its fields\) and rebuild the instance inside the task, or create it inside a task function \(ddf\.task in a module\)$/,
    );
    expect(() => fit(1, { model: new Map([['m', new Model(1)]]) as unknown as Model })).toThrow(/args\[1\]\.model<Map value 0> is an instance of class Model/);
    expect(() => ddf.shared({ model: new Model(1) })).toThrow(/^ddf\.shared\(value\): value\.model is an instance of class Model/);
    const model = new Model(2);
    expect(() => ddf.delayed((x: number) => x * model.depth, { globals: { model } })).toThrow(/function 'lambda': globals\.model is an instance of class Model/);
  });

  it('the same on the futures API, before anything runs', async () => {
    const client = await ddf.Client.local({ nWorkers: 1, scheduler: 'sync' });
    try {
      expect(() => client.submit((m: Model) => m.depth, new Model(1))).toThrow(/^client\.submit\(\) of 'lambda': args\[0\] is an instance of class Model/);
      expect(() => client.map((m: { f: () => number }) => m.f(), [{ f: () => 1 }])).toThrow(/^client\.map\(\) of 'lambda': args\[0\]\.f is a function \(f\), which cannot be copied/);
      expect(() => ddf.delayed((x: unknown) => x)(client.submit((x: number) => x, 1))).toThrow(/args\[0\] is a Future: await it first/);
    } finally {
      await client.close();
    }
  });

  it('a cyclic argument names where the cycle closes', () => {
    const node: Record<string, unknown> = { id: 1, children: [] };
    (node.children as unknown[]).push({ id: 2, parent: node });
    expect(() => identity(node)).toThrow(/^delayed\(\) of 'lambda': args\[0\]\.children\[0\]\.parent refers back to args\[0\] \(a cycle\)/);
    const list: unknown[] = [1];
    list.push(list);
    expect(() => identity({ list })).toThrow(/args\[0\]\.list\[1\] refers back to args\[0\]\.list \(a cycle\)/);
  });
});
