import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ColumnData } from '../../src/core/column-data.js';
import * as ddf from '../../src/index.js';
import { accumulateStats, type ColumnStats, emptyStats, finalizeStats, mergeStats, type ReduceOp } from '../../src/kernels/column-stats.js';
import { rng, tempDir } from '../helpers.js';
import { exactMoments } from './oracle.js';

afterAll(() => ddf.shutdown());

const MOMENTS: ReduceOp[] = ['sum', 'mean', 'var', 'std'];

function float64(values: number[], nulls: ReadonlySet<number> = new Set()): ColumnData {
  const validity = nulls.size === 0 ? null : new Uint8Array((values.length + 7) >> 3);
  if (validity !== null) for (let i = 0; i < values.length; i++) if (!nulls.has(i)) validity[i >> 3]! |= 1 << (i & 7);
  return { dtype: 'float64', length: values.length, nullCount: nulls.size, validity, values: Float64Array.from(values) };
}

/** Stats of `values` cut into partitions of the given sizes (cycled), each partition in batches of `batch`. */
function statsIn(values: number[], partitionSizes: number[], batch: number, order: 'sequential' | 'tree' = 'sequential'): ColumnStats {
  const parts: ColumnStats[] = [];
  for (let start = 0, k = 0; start < values.length; k++) {
    const end = Math.min(values.length, start + partitionSizes[k % partitionSizes.length]!);
    const part = emptyStats();
    for (let b = start; b < end; b += batch) accumulateStats(part, float64(values.slice(b, Math.min(end, b + batch))), 'x', false);
    // Partials cross threads by structured clone.
    parts.push(structuredClone(part));
    start = end;
  }
  if (order === 'tree') {
    let level = parts;
    while (level.length > 1) {
      const next: ColumnStats[] = [];
      for (let i = 0; i < level.length; i += 2) {
        if (i + 1 < level.length) mergeStats(level[i]!, level[i + 1]!);
        next.push(level[i]!);
      }
      level = next;
    }
    return level[0] ?? emptyStats();
  }
  const total = emptyStats();
  for (const part of parts) mergeStats(total, part);
  return total;
}

function moments(s: ColumnStats): number[] {
  return MOMENTS.map((op) => finalizeStats(op, s));
}

const CHUNKINGS: [number[], number][] = [
  [[1e9], 65536],
  [[1e9], 1],
  [[1], 1],
  [[7], 3],
  [[1000], 100],
  [[4093, 1, 17, 60000], 512],
];

function mixedMagnitudes(n: number, seed: number): number[] {
  const r = rng(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 5 === 4) {
      // Cancels an earlier value exactly, so the true sum is far smaller than its terms.
      out.push(-out[Math.floor(r() * out.length)]!);
      continue;
    }
    const magnitude = Math.floor(r() * 120) - 60;
    out.push((r() < 0.5 ? -1 : 1) * (1 + r()) * 2 ** magnitude);
  }
  return out;
}

function decimals(n: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Math.round((r() - 0.3) * 1e7) / 100);
}

describe('exact sums: the same bits for every partitioning, equal to the exact answer rounded once', () => {
  const datasets: [string, number[]][] = [
    ['mixed magnitudes 2^-60..2^60 with exact cancellations', mixedMagnitudes(12000, 1)],
    ['decimals (two digits)', decimals(12000, 2)],
    ['integers in doubles (the fast path)', decimals(12000, 3).map(Math.round)],
    ['huge, tiny and subnormal values', [1e308, 1.5e308, -1e308, 5e-324, 2.5e-320, -1e-310, 3.14, 1e-300, 7e300, -7e300, 2 ** -1060].concat(mixedMagnitudes(50, 4))],
    ['a sum that is a rounding tie (ties to even)', [1, 2 ** -53, 2 ** -53, 2 ** -53]],
    ['just above a tie', [1, 2 ** -53, 2 ** -110]],
    ['values that cancel to a tiny sum', [1e16, 1, -1e16, 2 ** -40, 1e-30, -1]],
  ];
  const oracle = exactMoments(datasets.map(([, v]) => v));
  datasets.forEach(([name, values], d) => {
    it(name, () => {
      const runs = CHUNKINGS.flatMap(([sizes, batch]) => [moments(statsIn(values, sizes, batch)), moments(statsIn(values, sizes, batch, 'tree'))]);
      for (const run of runs) expect(run.map(String)).toEqual(runs[0]!.map(String));
      const want = oracle[d]!;
      const [sum, mean, variance, std] = runs[0]!;
      expect(Object.is(sum, want.sum), `sum ${sum} vs fsum ${want.sum}`).toBe(true);
      expect(Object.is(mean, want.mean), `mean ${mean} vs ${want.mean}`).toBe(true);
      expect(Object.is(variance, want.var), `var ${variance} vs ${want.var}`).toBe(true);
      expect(std).toBe(Math.sqrt(want.var));
    });
  });

  it('300 small random sets over the whole double range (subnormal to near overflow) round like Python', () => {
    const r = rng(11);
    const sets = Array.from({ length: 300 }, () =>
      Array.from({ length: 2 + Math.floor(r() * 30) }, () => {
        const e = Math.floor(r() * 2098) - 1074;
        const v = (r() < 0.5 ? -1 : 1) * (1 + r()) * 2 ** Math.min(e, 1022);
        return Number.isFinite(v) ? v : 1;
      }),
    );
    const want = exactMoments(sets);
    sets.forEach((values, k) => {
      const got = moments(statsIn(values, [3], 2));
      expect([got[0], got[1], got[2]].map(String), `set ${k}: ${values.join(', ')}`).toEqual([want[k]!.sum, want[k]!.mean, want[k]!.var].map(String));
    });
  });

  it('plain double summation would differ between these partitionings (the test can fail)', () => {
    const values = mixedMagnitudes(30000, 1);
    const naive = (size: number) => {
      let total = 0;
      for (let s = 0; s < values.length; s += size) total += values.slice(s, s + size).reduce((a, b) => a + b, 0);
      return total;
    };
    expect(new Set([1e9, 7, 1000, 4093].map(naive)).size).toBeGreaterThan(1);
  });
});

describe('stats without squares', () => {
  it('give the same sum and mean bits; var refuses', () => {
    const values = mixedMagnitudes(3000, 12);
    const withSquares = statsIn(values, [500], 64);
    const plain = emptyStats(false);
    for (let b = 0; b < values.length; b += 64) accumulateStats(plain, float64(values.slice(b, b + 64)), 'x', false);
    expect([finalizeStats('sum', plain), finalizeStats('mean', plain)]).toEqual([finalizeStats('sum', withSquares), finalizeStats('mean', withSquares)]);
    expect(() => finalizeStats('var', plain)).toThrow(/made without squares/);
  });
});

describe('NaN, infinities and overflow', () => {
  const sumOf = (values: number[]) => finalizeStats('sum', statsIn(values, [3], 2));
  it('NaN propagates to sum, mean, var and std; min and max skip it', () => {
    const s = statsIn([1, Number.NaN, 3], [1e9], 100);
    expect(moments(s).every(Number.isNaN)).toBe(true);
    expect([finalizeStats('min', s), finalizeStats('max', s), finalizeStats('count', s)]).toEqual([1, 3, 3]);
    const onlyNaN = statsIn([Number.NaN], [1], 1);
    expect([finalizeStats('min', onlyNaN), finalizeStats('max', onlyNaN)]).toEqual([Number.NaN, Number.NaN]);
  });
  it('+∞ and −∞: their sum is NaN, either alone wins; var is NaN', () => {
    expect(sumOf([1, Infinity, 2])).toBe(Infinity);
    expect(sumOf([1, -Infinity, 2])).toBe(-Infinity);
    expect(sumOf([Infinity, 1, -Infinity])).toBeNaN();
    expect(finalizeStats('mean', statsIn([Infinity, 1], [1], 1))).toBe(Infinity);
    expect(finalizeStats('var', statsIn([Infinity, 1], [1], 1))).toBeNaN();
  });
  it('overflows only when the exact sum does', () => {
    expect(sumOf([1.7e308, 1.7e308, -1.7e308])).toBe(1.7e308);
    expect(sumOf([1.7e308, 1.7e308])).toBe(Infinity);
    expect(sumOf([-1.7e308, -1.7e308])).toBe(-Infinity);
    expect(finalizeStats('mean', statsIn([1.7e308, 1.7e308], [1], 1))).toBe(1.7e308);
    // x² overflows a double, the exact variance does not.
    expect(finalizeStats('var', statsIn([1e300, 1e300, 1e300], [1], 1))).toBe(0);
    // The exact variance 2e600 does not fit a double.
    expect(finalizeStats('var', statsIn([-1e300, 1e300], [1], 1))).toBe(Infinity);
  });
  it('nothing: sum 0, count 0, others NaN', () => {
    const s = statsIn([], [1], 1);
    expect([finalizeStats('sum', s), finalizeStats('count', s)]).toEqual([0, 0]);
    for (const op of ['mean', 'var', 'std', 'min', 'max'] as const) expect(finalizeStats(op, s)).toBeNaN();
  });
});

describe('integer columns', () => {
  it('int32 with nulls: exact sum and moments', () => {
    const r = rng(9);
    const values = Array.from({ length: 5000 }, () => Math.floor((r() - 0.5) * 2 ** 31));
    const col: ColumnData = { dtype: 'int32', length: values.length, nullCount: 1, validity: new Uint8Array(625).fill(255), values: Int32Array.from(values) };
    col.validity![0] = 0b11111110;
    const s = emptyStats();
    accumulateStats(s, col, 'x', false);
    const kept = values.slice(1);
    const [want] = exactMoments([kept]);
    expect(moments(s)).toEqual([want!.sum, want!.mean, want!.var, Math.sqrt(want!.var)]);
    expect(finalizeStats('count', s)).toBe(4999);
  });
  it('int32 of small values (the direct path) with nulls, in several batch sizes', () => {
    const r = rng(10);
    const values = Array.from({ length: 7000 }, () => Math.floor((r() - 0.3) * 3000));
    const nulls = new Set(Array.from({ length: 300 }, () => Math.floor(r() * values.length)));
    const want = exactMoments([values.filter((_, i) => !nulls.has(i))])[0]!;
    for (const batch of [1, 64, 7000]) {
      const s = emptyStats();
      for (let b = 0; b < values.length; b += batch) {
        const slice = values.slice(b, b + batch);
        const validity = new Uint8Array((slice.length + 7) >> 3);
        slice.forEach((_, i) => !nulls.has(b + i) && (validity[i >> 3]! |= 1 << (i & 7)));
        accumulateStats(s, { dtype: 'int32', length: slice.length, nullCount: 0, validity, values: Int32Array.from(slice) }, 'x', false);
      }
      expect(moments(s)).toEqual([want.sum, want.mean, want.var, Math.sqrt(want.var)]);
      expect(finalizeStats('count', s)).toBe(values.length - nulls.size);
    }
  });
  it('int64 beyond 2^53: the exact sum rounded once', () => {
    const big = [2n ** 62n - 1n, 2n ** 61n + 12345n, -(2n ** 62n), 3n, 2n ** 53n + 1n];
    const col: ColumnData = { dtype: 'int64', length: big.length, nullCount: 0, validity: null, values: BigInt64Array.from(big) };
    const s = emptyStats();
    accumulateStats(s, col, 'x', false);
    const exact = big.reduce((a, b) => a + b, 0n);
    expect(finalizeStats('sum', s)).toBe(Number(exact));
    // The exact variance over the integers, rounded once by Python's Fraction → float.
    const want = execFileSync('python3', ['-c', `from fractions import Fraction as F; xs = [${big.join(',')}]; n = len(xs); print(repr(float(F(n * sum(x * x for x in xs) - sum(xs) ** 2, n * (n - 1)))))`], { encoding: 'utf8' });
    expect(finalizeStats('var', s)).toBe(Number(want));
  });
  it('bool counts true values', () => {
    const col: ColumnData = { dtype: 'bool', length: 10, nullCount: 0, validity: null, values: Uint8Array.from([0b10110101, 0b01]) };
    const s = emptyStats();
    accumulateStats(s, col, 'b', false);
    expect(finalizeStats('sum', s)).toBe(6);
    expect(finalizeStats('mean', s)).toBe(0.6);
  });
});

describe('end to end: readCsv with blocksizes and schedulers gives the same bits', () => {
  it('sum, mean, var and std of a generated float CSV', async () => {
    const { dir, remove } = tempDir();
    try {
      const values = mixedMagnitudes(40000, 7).map((v, i) => (i % 3 === 0 ? Math.round(v * 1000) / 1000 : v));
      const lines = ['id,x'];
      values.forEach((v, i) => lines.push(`${i},${i % 97 === 0 ? 'NA' : String(v)}`));
      const path = join(dir, 'floats.csv');
      writeFileSync(path, lines.join('\n') + '\n');
      const kept = values.filter((_, i) => i % 97 !== 0);
      const [want] = exactMoments([kept]);
      const runs: number[][] = [];
      for (const blocksize of [null, '64KB', '100KB', '333KB']) {
        const x = ddf.readCsv(path, { blocksize }).col('x');
        const lazies = MOMENTS.map((op) => x[op]());
        runs.push((await ddf.compute(...lazies, { scheduler: 'sync' })) as number[]);
        runs.push((await ddf.compute(...lazies, { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 })) as number[]);
        runs.push((await ddf.compute(...lazies, { scheduler: 'threads', numWorkers: 3, inlineBelowBytes: 0 })) as number[]);
      }
      expect(ddf.readCsv(path, { blocksize: '64KB' }).npartitions).toBeGreaterThan(10);
      for (const run of runs) expect(run).toEqual(runs[0]);
      expect(runs[0]).toEqual([want!.sum, want!.mean, want!.var, Math.sqrt(want!.var)]);
    } finally {
      remove();
    }
  });
});
