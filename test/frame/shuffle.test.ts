/**
 * concat and the hash shuffle, on real in-memory frames and a real CSV: rows are neither lost
 * nor duplicated, equal keys share a partition, results are the same on every scheduler, and a
 * frame already shuffled by its keys is not shuffled again.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { bucketsOf } from '../../src/kernels/hash-keys.js';
import { splitRows } from '../../src/kernels/split-rows.js';
import type { ColumnData, ColumnDataOf } from '../../src/core/column-data.js';
import { rng, tempDir } from '../helpers.js';
import type { LogicalPlan } from '../../src/plan/logical/index.js';
import { optimize } from '../../src/plan/optimize/index.js';
import { lowerToGraph } from '../../src/plan/physical/lower.js';

const { col } = ddf;
const temp = tempDir('dusk-shuffle-');
afterAll(() => temp.remove());

const N = 5000;
const random = rng(11);
const k = Int32Array.from({ length: N }, () => Math.floor(random() * 97));
const x = Float64Array.from({ length: N }, (_, i) => i / 4);
const frame = ddf.fromColumns({ k, x }, { npartitions: 5 });

function f64(values: number[]): ColumnData {
  return { dtype: 'float64', length: values.length, nullCount: 0, validity: null, values: Float64Array.from(values) };
}

describe('hash of keys', () => {
  it('equal numbers hash alike across int32, int64 and float64; -0 as 0; strings as categories', () => {
    const i32: ColumnData = { dtype: 'int32', length: 3, nullCount: 0, validity: null, values: Int32Array.from([5, -7, 0]) };
    const i64: ColumnData = { dtype: 'int64', length: 3, nullCount: 0, validity: null, values: BigInt64Array.from([5n, -7n, 0n]) };
    const f = f64([5, -7, -0]);
    expect([...bucketsOf([i32], 3, 1009)]).toEqual([...bucketsOf([i64], 3, 1009)]);
    expect([...bucketsOf([f], 3, 1009)]).toEqual([...bucketsOf([i32], 3, 1009)]);
    const text = new TextEncoder().encode('AAUAAA');
    const str: ColumnData = { dtype: 'string', length: 3, nullCount: 0, validity: null, offsets: Int32Array.from([0, 2, 4, 6]), data: text };
    const cat: ColumnData = { dtype: 'category', length: 3, nullCount: 0, validity: null, indices: Int32Array.from([0, 1, 0]), dictionary: ['AA', 'UA'] };
    expect([...bucketsOf([str], 3, 1009)]).toEqual([...bucketsOf([cat], 3, 1009)]);
    const spread = new Set(bucketsOf([f64(Array.from({ length: 1000 }, (_, i) => i))], 1000, 8));
    expect(spread.size).toBe(8);
  });

  it('splitRows keeps each bucket in input order and loses no row', () => {
    const values = Array.from({ length: 100 }, (_, i) => i);
    const batch = { length: 100, names: ['v'], columns: [f64(values)] };
    const of = bucketsOf(batch.columns, 100, 4);
    const buckets = splitRows([batch], [of], 4, ['v']);
    const seen = buckets.flatMap((b, i) => [...(b.columns[0] as ColumnDataOf<'float64'>).values].map((v) => [v, i] as const));
    expect(seen.map(([v]) => v).sort((a, b) => a - b)).toEqual(values);
    for (const [v, i] of seen) expect(of[v]).toBe(i);
    for (const b of buckets) {
      const vs = [...(b.columns[0] as ColumnDataOf<'float64'>).values];
      expect(vs).toEqual([...vs].sort((a, c) => a - c));
    }
  });
});

describe('concat', () => {
  it('puts the rows of each frame one after the other, lining columns up by name', async () => {
    const a = ddf.fromColumns({ x: Float64Array.from([1, 2, 3]), y: Int32Array.from([1, 2, 3]) }, { npartitions: 2 });
    const b = ddf.fromColumns({ y: Int32Array.from([9]), x: Float64Array.from([10]) });
    const both = ddf.concat([a, b]);
    expect(both.npartitions).toBe(a.npartitions + 1);
    expect(both.columns).toEqual(['x', 'y']);
    for (const scheduler of ['sync', 'threads'] as const) {
      expect(await both.toColumns().compute({ scheduler, inlineBelowBytes: 0 })).toEqual({ x: [1, 2, 3, 10], y: [1, 2, 3, 9] });
    }
  });

  it('pushes a filter into each input and reads each CSV once', async () => {
    const files = [0, 1].map((i) => {
      const path = join(temp.dir, `part${i}.csv`);
      writeFileSync(path, ['k,x', ...Array.from({ length: 50 }, (_, r) => `${r % 5},${i * 100 + r}`)].join('\n') + '\n');
      return ddf.readCsv(path);
    });
    const both = ddf.concat(files).filter(col('x').ge(140));
    const plan = await ddf.explain(both.toArrow());
    expect(plan).toMatch(/Concat 2 frames\n\s+Filter/);
    const [rows, n] = await ddf.compute(both.toColumns(), both.col('x').count(), { scheduler: 'threads', inlineBelowBytes: 0 });
    expect(rows.x).toEqual(Array.from({ length: 10 }, (_, r) => 140 + r));
    expect(n).toBe(rows.x!.length);
    expect(Object.values(ddf.lastComputeReport()!.opens)).toEqual([1, 1]);
  });

  it('refuses frames whose columns or dtypes differ, naming them', () => {
    const a = ddf.fromColumns({ x: Float64Array.from([1]) });
    expect(() => ddf.concat([a, ddf.fromColumns({ z: Float64Array.from([1]) })])).toThrow(/frame 1 lacks x and has z/);
    expect(() => ddf.concat([a, ddf.fromColumns({ x: Int32Array.from([1]) })])).toThrow(/column 'x' is int32 in frame 1 but float64 in frame 0/);
    expect(() => ddf.concat([])).toThrow(/non-empty array/);
  });
});

describe('shuffle', () => {
  const expected = (() => {
    const sums = new Map<number, number>();
    for (let i = 0; i < N; i++) if (x[i]! > 100) sums.set(k[i]!, (sums.get(k[i]!) ?? 0) + x[i]!);
    return [...sums].sort((a, b) => a[0] - b[0]).map(([key, s]) => ({ k: key, s }));
  })();

  it('moves every row once and gives the same group-by on every scheduler and partition count', async () => {
    for (const npartitions of [1, 3, 8]) {
      const shuffled = frame.shuffle('k', { npartitions });
      expect(shuffled.npartitions).toBe(npartitions);
      for (const scheduler of ['sync', 'threads', 'processes'] as const) {
        const opts = { scheduler, inlineBelowBytes: 0 };
        const [all, sums] = await ddf.compute(shuffled.col('x').sum(), shuffled.filter(col('x').gt(100)).groupBy('k').agg({ s: col('x').sum() }).toRecords(), opts);
        expect(all).toBe(x.reduce((a, b) => a + b, 0));
        expect(sums).toEqual(expected);
      }
    }
  }, 120_000);

  it('puts every key in exactly one partition', async () => {
    const parts = frame.shuffle('k', { npartitions: 4 }).toDelayed();
    expect(parts).toHaveLength(4);
    const tables = (await ddf.compute(...parts, { scheduler: 'threads', inlineBelowBytes: 0 })) as unknown as { getChild(name: string): { toArray(): Int32Array } }[];
    const owner = new Map<number, number>();
    let rows = 0;
    tables.forEach((table, p) => {
      for (const key of table.getChild('k').toArray()) {
        expect(owner.get(key) ?? p).toBe(p);
        owner.set(key, p);
        rows++;
      }
    });
    expect(rows).toBe(N);
    expect(new Set(owner.values()).size).toBeGreaterThan(1);
  });

  it('keeps rows of a bucket in input order (a stable exchange)', async () => {
    const rows = await frame.shuffle('k', { npartitions: 4 }).toColumns().compute({ scheduler: 'threads', inlineBelowBytes: 0 });
    // Within one key, rows come in input order: x (the row number / 4) increases.
    const last = new Map<number, number>();
    rows.k!.forEach((key, i) => {
      const v = rows.x![i] as number;
      expect(v).toBeGreaterThan(last.get(key as number) ?? -1);
      last.set(key as number, v);
    });
    expect(rows.k!.length).toBe(N);
  });

  it('goes below a filter, and is not repeated on the same keys and count', async () => {
    const once = frame.shuffle('k', { npartitions: 4 });
    const plan = await ddf.explain(once.filter(col('x').gt(3)).shuffle('k', { npartitions: 4 }).toArrow());
    expect(plan).toMatch(/Shuffle[^\n]*\n\s+Filter/);
    const splits = (p: string) => Number(/task graph: (\d+) tasks/.exec(p)![1]);
    const twice = await ddf.explain(once.shuffle('k', { npartitions: 4 }).toArrow());
    const single = await ddf.explain(once.toArrow());
    expect(splits(twice)).toBe(splits(single));
    expect(() => frame.shuffle('nope')).toThrow(/nope/);
    expect(() => frame.shuffle('k', { npartitions: 0 })).toThrow(/positive whole number/);
  });
});

describe('shuffle beyond its memory budget', () => {
  /** Runs `f` with os.tmpdir() pointing into a fresh folder; returns what is left there after. */
  async function inScratch<T>(f: () => Promise<T>): Promise<{ value: T | Error; left: string[] }> {
    const saved = process.env.TMPDIR;
    const dir = join(temp.dir, `scratch-${Math.random().toString(36).slice(2)}`);
    mkdirSync(dir);
    process.env.TMPDIR = dir;
    try {
      const value = await f().catch((err: Error) => err);
      return { value, left: readdirSync(dir) };
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  }

  it('writes buckets to scratch files, gives the same results, and removes the files', async () => {
    const query = (f: ddf.DataFrame) => f.shuffle('k', { npartitions: 3 }).groupBy('k').agg({ s: col('x').sum(), n: ddf.len() }).toRecords();
    const inMemory = await query(frame).compute({ scheduler: 'sync' });
    expect(ddf.lastComputeReport()!.bytesSpilled).toBe(0);
    for (const scheduler of ['sync', 'threads', 'processes'] as const) {
      const { value, left } = await inScratch(() => query(frame).compute({ scheduler, inlineBelowBytes: 0, shuffleMemory: 0 }));
      expect(value).toEqual(inMemory);
      expect(ddf.lastComputeReport()!.bytesSpilled).toBe(N * 12); // int32 k + float64 x, every row once
      expect(left).toEqual([]);
    }
  }, 60_000);

  it('spills the exchanges of sort and dropDuplicates too, with the same results', async () => {
    const sorted = frame.sort(['k', 'x'], { descending: [true, false] }).toColumns();
    const distinct = frame.dropDuplicates('k').sort('k').toColumns();
    const [a, b] = await ddf.compute(sorted, distinct, { scheduler: 'sync' });
    for (const scheduler of ['sync', 'threads'] as const) {
      const { value, left } = await inScratch(() => ddf.compute(sorted, distinct, { scheduler, inlineBelowBytes: 0, shuffleMemory: 0 }));
      expect(value).toEqual([a, b]);
      expect(ddf.lastComputeReport()!.bytesSpilled).toBeGreaterThan(0);
      expect(left).toEqual([]);
    }
  }, 60_000);

  it('removes the scratch files when the compute fails half-way', async () => {
    const good = join(temp.dir, 'good.csv');
    const bad = join(temp.dir, 'bad.csv');
    writeFileSync(good, ['k,x', ...Array.from({ length: 200 }, (_, r) => `${r % 7},${r}`)].join('\n') + '\n');
    writeFileSync(bad, ['k,x', '1,2', '3,4,5', '6,7'].join('\n') + '\n');
    const frames = ddf.concat([ddf.readCsv(good), ddf.readCsv(bad)]).shuffle('k', { npartitions: 2 });
    const { value, left } = await inScratch(() => frames.toColumns().compute({ scheduler: 'sync', shuffleMemory: 0 }));
    expect(value).toBeInstanceOf(Error);
    expect(String(value)).toMatch(/bad\.csv/);
    expect(left).toEqual([]);
  });

  it('checks the option', () => {
    expect(() => ddf.config.set({ shuffleMemory: -1 })).toThrow(/shuffleMemory must be a number of bytes/);
  });
});

describe('group-by over a frame shuffled by its keys', () => {
  it('aggregates each partition on its own (no merge) and gives the table a merge gives', async () => {
    const shuffled = frame.withColumns({ tag: col('k').mod(3) }).shuffle('k', { npartitions: 4 });
    const query = (sort: boolean) => shuffled.groupBy(['k', 'tag'], { sort }).agg({ s: col('x').sum(), m: col('x').median(), n: ddf.len() });
    // One aggregate-and-finish task per partition and no merge of partials across partitions.
    const ops = (lazy: { plan: LogicalPlan }) => [...lowerToGraph(optimize([lazy.plan]), { workers: 2 }).graph.tasks.values()].map((t) => t.spec.op);
    const perPartition = ops(query(true).toArrow());
    expect(perPartition.filter((op) => op === 'aggregate-partition')).toHaveLength(4);
    expect(perPartition).not.toContain('combine');
    expect(ops(shuffled.groupBy('tag').agg({ n: ddf.len() }).toArrow())).not.toContain('aggregate-partition');
    const rows = await shuffled.toColumns().compute({ scheduler: 'sync' });
    // Reference in plain JS over the shuffled rows, in their order (first-seen = that order).
    const groups = new Map<string, { k: number; tag: number; xs: number[] }>();
    rows.k!.forEach((key, i) => {
      const id = `${key}`;
      const g = groups.get(id) ?? groups.set(id, { k: key as number, tag: (key as number) % 3, xs: [] }).get(id)!;
      g.xs.push(rows.x![i] as number);
    });
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    };
    const firstSeen = [...groups.values()].map((g) => ({ k: g.k, tag: g.tag, s: g.xs.reduce((a, b) => a + b, 0), m: median(g.xs), n: g.xs.length }));
    const sorted = [...firstSeen].sort((a, b) => a.k - b.k);
    for (const scheduler of ['sync', 'threads'] as const) {
      const opts = { scheduler, inlineBelowBytes: 0 };
      expect(await query(true).toRecords().compute(opts)).toEqual(sorted);
      expect(await query(false).toRecords().compute(opts)).toEqual(firstSeen);
    }
    // Keys that do not include the shuffle's: the usual merge across partitions.
    expect(await shuffled.groupBy('tag').agg({ n: ddf.len() }).toRecords().compute({ scheduler: 'threads', inlineBelowBytes: 0 })).toEqual(
      [0, 1, 2].map((tag) => ({ tag, n: [...k].filter((v) => v % 3 === tag).length })),
    );
  }, 60_000);
});
