import { describe, expect, it } from 'vitest';
import type { ColumnBatch } from '../../src/core/column-data.js';
import type { DType } from '../../src/core/dtypes.js';
import { accumulateBatch, type AggregateSpec, finalizeGrouped, mergeGrouped, newGroupedAccumulator, partialOf } from '../../src/aggregates/grouped.js';
import { type Aggregate, getAggregate, registerAggregate } from '../../src/aggregates/index.js';
import { exactMoments } from '../kernels/oracle.js';
import { type Cell, columnOf, rowsOf } from './data.js';

function run(columns: Record<string, [DType, Cell[]]>, keys: string[], specs: AggregateSpec[], partitionSize = Infinity, options = {}): Cell[][] {
  const names = Object.keys(columns);
  const schema = { columns: names, dtypes: Object.fromEntries(names.map((n) => [n, columns[n]![0]])) };
  const rows = columns[names[0]!]![1].length;
  const partials = [];
  for (let start = 0; start < Math.max(rows, 1); start += partitionSize) {
    const end = Math.min(rows, start + partitionSize);
    const acc = newGroupedAccumulator(keys, specs, schema);
    const batch: ColumnBatch = { length: end - start, names, columns: names.map((n) => columnOf(columns[n]![0], columns[n]![1].slice(start, end))) };
    accumulateBatch(acc, batch);
    partials.push(structuredClone(partialOf(acc)));
  }
  return rowsOf(finalizeGrouped(mergeGrouped(partials), options));
}

const spec = (aggregate: string, column: string | null = 'x', extra: Partial<AggregateSpec> = {}): AggregateSpec => ({ name: aggregate, aggregate, column, ...extra });

describe('NaN and infinities in values', () => {
  const x: [DType, Cell[]] = ['float64', [1, Number.NaN, 3, null, 2]];
  it('sum, mean, var, std and median become NaN; min and max skip NaN; NaN is one distinct value and can be first', () => {
    const [row] = run({ x }, [], ['sum', 'mean', 'var', 'std', 'median', 'min', 'max', 'nunique', 'count', 'first', 'last'].map((a) => spec(a)));
    expect(row!.slice(0, 5).every((v) => Number.isNaN(v))).toBe(true);
    expect(row!.slice(5)).toEqual([1, 3, 4n, 4n, 1, 2]);
    const [onlyNaN] = run({ x: ['float64', [Number.NaN, null, Number.NaN]] }, [], [spec('min'), spec('max'), spec('nunique'), spec('first')]);
    expect(onlyNaN).toEqual([Number.NaN, Number.NaN, 1n, Number.NaN]);
  });
  it('+∞ and −∞ together sum to NaN; one alone wins; overflow only when the exact sum overflows', () => {
    expect(run({ x: ['float64', [Infinity, 1, -Infinity]] }, [], [spec('sum')])).toEqual([[Number.NaN]]);
    expect(run({ x: ['float64', [Infinity, 1]] }, [], [spec('sum'), spec('mean'), spec('var')])).toEqual([[Infinity, Infinity, Number.NaN]]);
    expect(run({ x: ['float64', [1.7e308, 1.7e308, -1.7e308]] }, [], [spec('sum'), spec('mean')], 1)).toEqual([[1.7e308, 1.7e308 / 3]]);
    expect(run({ x: ['float64', [1.7e308, 1.7e308]] }, [], [spec('sum'), spec('mean')], 1)).toEqual([[Infinity, 1.7e308]]);
  });
});

describe('groups without values, and a global aggregate', () => {
  it('sum 0, count 0, others null; var needs two values', () => {
    const rows = run({ k: ['string', ['a', 'b', 'b', 'c']], x: ['float64', [null, 1, 2, 5]] }, ['k'], ['sum', 'count', 'mean', 'min', 'var', 'median', 'first'].map((a) => spec(a)));
    expect(rows).toEqual([
      ['a', 0, 0n, null, null, null, null, null],
      ['b', 3, 2n, 1.5, 1, 0.5, 1.5, 1],
      ['c', 5, 1n, 5, 5, null, 5, 5],
    ]);
  });
  it('no keys: one group of all rows, even with no rows', () => {
    expect(run({ x: ['int32', [1, 2, null]] }, [], [spec('len', null), spec('count'), spec('sum')])).toEqual([[3n, 2n, 3n]]);
    expect(run({ x: ['int32', []] }, [], [spec('len', null), spec('sum'), spec('mean')])).toEqual([[0n, 0n, null]]);
  });
});

describe('keys', () => {
  it('float keys: NaN is one group, −0 and 0 are one group (shown as 0), nulls last or dropped', () => {
    const k: [DType, Cell[]] = ['float64', [0, Number.NaN, -0, null, 2, Number.NaN, -1]];
    const x: [DType, Cell[]] = ['int32', [1, 2, 3, 4, 5, 6, 7]];
    expect(run({ k, x }, ['k'], [spec('sum')], 2, { dropna: false })).toEqual([[-1, 7n], [0, 4n], [2, 5n], [Number.NaN, 8n], [null, 4n]]);
    expect(run({ k, x }, ['k'], [spec('sum')], 3)).toEqual([[-1, 7n], [0, 4n], [2, 5n], [Number.NaN, 8n]]);
    expect(Object.is(run({ k, x }, ['k'], [spec('sum')], 3)[1]![0], 0)).toBe(true);
  });
  it('strings sort by code point (UTF-8 bytes), categories by value whatever their dictionaries', () => {
    const k: [DType, Cell[]] = ['string', ['é', 'z', 'Z', '\u{1F600}', '\u{FFFD}', 'é', '']];
    const x: [DType, Cell[]] = ['int32', [1, 1, 1, 1, 1, 1, 1]];
    const order = ['', 'Z', 'z', 'é', '\u{FFFD}', '\u{1F600}'];
    expect(run({ k, x }, ['k'], [spec('count')], 2).map((r) => r[0])).toEqual(order);
    expect(run({ k: ['category', k[1]], x }, ['k'], [spec('count')], 2).map((r) => r[0])).toEqual(order);
    expect(run({ k, x }, ['k'], [spec('count')], 2, { sort: false }).map((r) => r[0])).toEqual(['é', 'z', 'Z', '\u{1F600}', '\u{FFFD}', '']);
  });
  it('bool and int64 keys, several key columns with nulls', () => {
    const rows = run(
      { b: ['bool', [true, false, null, true, false]], i: ['int64', [2n ** 60n, -1n, 5n, 2n ** 60n, null]], x: ['int32', [1, 2, 3, 4, 5]] },
      ['b', 'i'],
      [spec('sum')],
      2,
      { dropna: false },
    );
    expect(rows).toEqual([[false, -1n, 2n], [false, null, 5n], [true, 2n ** 60n, 5n], [null, 5n, 3n]]);
  });
});

describe('outputs', () => {
  it('dtypes: sum of ints is exact int64, min/max/first keep the dtype, categories stay categories', () => {
    const big = 2n ** 62n;
    const rows = run({ x: ['int64', [big, big - 1n, -big]] }, [], [spec('sum'), spec('max'), spec('mean')], 1);
    expect(rows).toEqual([[big - 1n, big, Number(big - 1n) / 3]]);
    expect(() => run({ x: ['int64', [big, big]] }, [], [spec('sum')])).toThrow(/sum\(x\): the sum of group 0 is 9223372036854775808, outside the int64 range; cast the column to float64/);
    expect(run({ x: ['category', ['b', 'a', null, 'c']] }, [], [spec('min'), spec('max'), spec('first'), spec('last'), spec('nunique')], 2)).toEqual([['a', 'c', 'b', 'c', 3n]]);
    expect(run({ x: ['bool', [true, null, false]] }, [], [spec('min'), spec('max'), spec('sum'), spec('mean')], 1)).toEqual([[false, true, 1n, 0.5]]);
  });
  it('quantile interpolates linearly between order statistics, like numpy/pandas', () => {
    const x: [DType, Cell[]] = ['float64', [10, 1, 4, 3, null, 2]];
    const q = (p: number) => spec('quantile', 'x', { name: `q${p}`, q: p });
    expect(run({ x }, [], [q(0), q(0.1), q(0.5), q(0.9), q(1), spec('median')], 2)).toEqual([[1, 1.4, 3, 7.6000000000000005, 10, 3]]);
  });
});

describe('the registry', () => {
  it('refuses a second aggregate with a taken name, and names the known ones for an unknown name', () => {
    const copy: Aggregate = { ...getAggregate('sum') };
    expect(() => registerAggregate(copy)).toThrow("an aggregate named 'sum' is already registered; choose another name (registered: count, len, sum, mean, min, max, var, std, nunique, first, last, median, quantile)");
    expect(() => getAggregate('avg')).toThrow("unknown aggregate 'avg'; known: count, len, sum, mean");
  });
});

describe('group ids', () => {
  it('several key columns: a direct table while the codes are few, hashing after, same groups as a JS Map', () => {
    // Early rows use few values (direct table), later ones many (2^11 × 2^11 codes: hashed).
    const a: Cell[] = [];
    const b: Cell[] = [];
    const x: Cell[] = [];
    let seed = 7;
    const next = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    for (let i = 0; i < 30000; i++) {
      const range = i < 10000 ? 20 : 3000;
      a.push(next(range));
      b.push(i % 101 === 0 ? null : String(next(range)));
      x.push(i);
    }
    const rows = run({ a: ['int32', a], b: ['string', b], x: ['int32', x] }, ['a', 'b'], [spec('len', null), spec('first')], 7000, { sort: false, dropna: false });
    const want = new Map<string, [number, number]>();
    a.forEach((v, i) => {
      const key = `${v}|${b[i]}`;
      const found = want.get(key);
      if (found) found[0]++;
      else want.set(key, [1, i]);
    });
    expect(rows.length).toBe(want.size);
    expect(rows.map((r) => [`${r[0]}|${r[1]}`, Number(r[2]), r[3]])).toEqual([...want].map(([k, [n, i]]) => [k, n, i]));
  });
  it('long strings (more than 8 bytes) and short ones that share a prefix stay distinct', () => {
    const k: Cell[] = ['abcdefgh', 'abcdefghi', 'abcdefgh', 'abcdefghij', 'abcdefghi', 'abcdefg', 'abcdefgh\u0000', '', 'x'.repeat(100), 'x'.repeat(100)];
    const rows = run({ k: ['string', k], x: ['int32', k.map(() => 1)] }, ['k'], [spec('count')], 3, { sort: false });
    expect(rows).toEqual([['abcdefgh', 2n], ['abcdefghi', 2n], ['abcdefghij', 1n], ['abcdefg', 1n], ['abcdefgh\u0000', 1n], ['', 1n], ['x'.repeat(100), 2n]]);
  });
});

describe('exact tiers of the grouped sums', () => {
  it('small integers, narrow windows, promotion to the full range, negative totals: same bits as the exact oracle, for every chunking', () => {
    let seed = 3;
    const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
    const k: Cell[] = [];
    const x: Cell[] = [];
    for (let i = 0; i < 6000; i++) {
      const g = Math.floor(next() * 6);
      k.push(g);
      // Group 0: small integers; 1: decimals; 2: magnitudes 2^-200..2^200 (wide); 3: mostly negative;
      // 4: integers beyond the small tier and huge values; 5: a mix that starts narrow and is promoted late.
      const v = [
        () => Math.floor(next() * 200) - 100,
        () => Math.round(next() * 1e6) / 100,
        () => (next() - 0.5) * 2 ** Math.floor(next() * 400 - 200),
        () => -next() * 1e5 - 1e-7,
        () => (next() < 0.5 ? 1e15 + Math.floor(next() * 1000) : (next() - 0.5) * 1e300),
        () => (i > 5000 ? (next() - 0.5) * 2 ** -300 : next()),
      ][g]!();
      x.push(v);
    }
    const specs = [spec('sum'), spec('mean'), spec('var'), spec('std')];
    const groups = [0, 1, 2, 3, 4, 5].map((g) => x.filter((_, i) => k[i] === g) as number[]);
    const want = exactMoments(groups).map((m) => [m.sum, m.mean, m.var, Math.sqrt(m.var)]);
    for (const partitionSize of [6000, 1000, 37]) {
      const rows = run({ k: ['int32', k], x: ['float64', x] }, ['k'], specs, partitionSize);
      expect(rows.map((r) => r.slice(1)), `partitions of ${partitionSize}`).toEqual(want);
    }
  });
});

describe('partials between threads', () => {
  it('a partial moved through a MessageChannel with its buffers transferred merges to the same result, and the sender keeps working', async () => {
    const names = ['k', 's', 'x'];
    const schema = { columns: names, dtypes: { k: 'string', s: 'string', x: 'float64' } } as const;
    const specs = [spec('nunique', 's'), spec('first', 's'), spec('sum'), spec('var'), spec('median'), spec('max', 's')];
    const batch: ColumnBatch = {
      length: 4,
      names,
      columns: [columnOf('string', ['a', 'b', 'a', null]), columnOf('string', ['p', 'q', null, 'p']), columnOf('float64', [0.1, 2, 0.25, 4])],
    };
    const make = () => {
      const acc = newGroupedAccumulator(['k'], specs, schema);
      accumulateBatch(acc, batch);
      return partialOf(acc);
    };
    const want = rowsOf(finalizeGrouped(mergeGrouped([make()]), { dropna: false }));
    const partial = make();
    const buffers = new Set<ArrayBuffer>();
    const collect = (v: unknown): void => {
      if (ArrayBuffer.isView(v)) buffers.add(v.buffer as ArrayBuffer);
      else if (v !== null && typeof v === 'object') Object.values(v).forEach(collect);
    };
    collect(partial);
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<typeof partial>((resolve) => port2.once('message', resolve));
    port1.postMessage(partial, [...buffers]);
    const moved = await received;
    port1.close();
    expect(rowsOf(finalizeGrouped(mergeGrouped([moved]), { dropna: false }))).toEqual(want);
    // Nothing module-level was detached: new accumulators of every key dtype still work here.
    expect(run({ k: ['float64', [1.5, 1.5]], x: ['float64', [1, 2]] }, ['k'], [spec('nunique')])).toEqual([[1.5, 2n]]);
    expect(run({ k: ['int64', [1n, 1n]], x: ['float64', [1, 2]] }, ['k'], [spec('sum')])).toEqual([[1n, 3]]);
  });
});
