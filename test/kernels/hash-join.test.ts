import { describe, expect, it } from 'vitest';
import type { ColumnBatch, ColumnData } from '../../src/core/column-data.js';
import { builtSideOf, clearBuiltSides, hashJoinOp, type HashJoinArgs } from '../../src/ops/hash-join.js';
import { noProgress } from '../../src/io/io-metrics.js';
import { newTaskContext } from '../../src/ops/registry.js';
import { buildJoinTable, castColumn, keyMatchDtype, matchKey, probeJoinTable, takeOrNull, unmatchedRows } from '../../src/kernels/hash-join.js';

function floats(values: (number | null)[]): ColumnData {
  const validity = new Uint8Array((values.length + 7) >> 3);
  values.forEach((v, i) => { if (v !== null) validity[i >> 3]! |= 1 << (i & 7); });
  const nullCount = values.filter((v) => v === null).length;
  return { dtype: 'float64', length: values.length, nullCount, validity: nullCount ? validity : null, values: Float64Array.from(values, (v) => v ?? 0) };
}
function int64s(values: bigint[]): ColumnData {
  return { dtype: 'int64', length: values.length, nullCount: 0, validity: null, values: BigInt64Array.from(values) };
}
function pairs(build: ColumnData[], probe: ColumnData[], mode: 'inner' | 'keep' | 'semi' | 'anti' = 'inner'): [number, number][] {
  const table = buildJoinTable(build, build[0]!.length);
  const { probe: p, build: b } = probeJoinTable(table, probe, probe[0]!.length, mode, null);
  return Array.from(p, (row, i) => [row, b === null ? -2 : b[i]!]);
}

describe('hash join kernel', () => {
  it('pairs each probe row with its matches in build order; null keys never match, NaN matches NaN', () => {
    const build = [floats([2, 1, 2, null, NaN, -0])];
    const probe = [floats([2, null, 3, NaN, 0, 1])];
    expect(pairs(build, probe)).toEqual([[0, 0], [0, 2], [3, 4], [4, 5], [5, 1]]);
    expect(pairs(build, probe, 'keep')).toEqual([[0, 0], [0, 2], [1, -1], [2, -1], [3, 4], [4, 5], [5, 1]]);
    expect(pairs(build, probe, 'semi').map((p) => p[0])).toEqual([0, 3, 4, 5]);
    expect(pairs(build, probe, 'anti').map((p) => p[0])).toEqual([1, 2]);
  });

  it('marks matched build rows; the rest (null keys too) are the unmatched', () => {
    const build = [floats([2, null, 7, 2])];
    const table = buildJoinTable(build, 4);
    const matched = new Uint8Array(4);
    probeJoinTable(table, [floats([2, null])], 2, 'inner', matched);
    expect([...unmatchedRows(matched)]).toEqual([1, 2]);
  });

  it('compares int64 with float64 exactly: a float that is no whole number (or past 2^53 rounding) matches no int64', () => {
    expect(keyMatchDtype('int64', 'float64')).toBe('int64');
    const big = 2n ** 53n;
    const build = [int64s([big, big + 1n, 3n])];
    const probe = [castColumn(floats([2 ** 53, 3.5, 3, 2 ** 70]), 'int64')];
    expect(pairs(build, probe)).toEqual([[0, 0], [2, 2]]);
  });

  it('joins on two columns only when both match', () => {
    const build = [floats([1, 1, 2]), castColumn({ dtype: 'category', length: 3, nullCount: 0, validity: null, indices: Int32Array.from([0, 1, 0]), dictionary: ['a', 'b'] }, 'string')];
    const probe = [floats([1, 2, 2]), castColumn({ dtype: 'category', length: 3, nullCount: 0, validity: null, indices: Int32Array.from([0, 0, 1]), dictionary: ['b', 'a'] }, 'string')];
    expect(pairs(build, probe)).toEqual([[0, 1], [2, 2]]);
  });

  it('matches a category key with a string key by text, each dictionary entry hashed once', () => {
    const enc = new TextEncoder();
    const words = ['b', 'zz', 'a', 'b'];
    const bytes = words.map((w) => enc.encode(w));
    const offsets = new Int32Array(words.length + 1);
    bytes.forEach((b, i) => (offsets[i + 1] = offsets[i]! + b.length));
    const data = new Uint8Array(offsets[words.length]!);
    bytes.forEach((b, i) => data.set(b, offsets[i]!));
    const probe: ColumnData = { dtype: 'string', length: 4, nullCount: 0, validity: null, offsets, data };
    const build: ColumnData = { dtype: 'category', length: 3, nullCount: 0, validity: null, indices: Int32Array.from([1, 0, 1]), dictionary: ['a', 'b'] };
    expect(pairs([matchKey(build, 'string')], [matchKey(probe, 'string')])).toEqual([[0, 0], [0, 2], [2, 1], [3, 0], [3, 2]]);
  });

  it('takes rows with −1 as null', () => {
    const col = takeOrNull(floats([5, null, 7]), Int32Array.from([2, -1, 1, 0]));
    expect(col.nullCount).toBe(2);
    expect([0, 1, 2, 3].map((i) => ((col.validity![i >> 3]! >> (i & 7)) & 1) === 1)).toEqual([true, false, false, true]);
    const values = (col as { values: Float64Array }).values;
    expect([values[0], values[3]]).toEqual([7, 5]);
  });
});

describe('hash-join op: a broadcast side hashed once per worker', () => {
  const batch = (names: string[], columns: ColumnData[]): ColumnBatch => ({ length: columns[0]!.length, names, columns });
  const args = (buildCacheKey?: string): HashJoinArgs => ({
    how: 'inner',
    build: 'right',
    leftKeys: ['k'],
    rightKeys: ['k'],
    matchDtypes: ['float64'],
    leftDtypes: { k: 'float64', v: 'float64' },
    rightDtypes: { k: 'float64', w: 'float64' },
    columns: [
      { name: 'k', left: 'k', right: null, dtype: 'float64' },
      { name: 'v', left: 'v', right: null, dtype: 'float64' },
      { name: 'w', left: null, right: 'w', dtype: 'float64' },
    ],
    ...(buildCacheKey === undefined ? {} : { buildCacheKey }),
  });
  const ctx = newTaskContext(noProgress);
  const rowsOf = (out: ColumnBatch[]): number[][] => out.flatMap((b) => Array.from({ length: b.length }, (_, i) => b.columns.map((c) => (c as Extract<ColumnData, { dtype: 'float64' }>).values[i]!)));
  const right = [batch(['k', 'w'], [floats([1, 2, 2, 3]), floats([10, 20, 21, 30])])];
  // Partitions whose keys mostly miss the right side (each such key is added to a probed table).
  const partition = (p: number): ColumnBatch[] => [batch(['k', 'v'], [floats([2, 100 + p, 1, 200 + p, 3, 300 + p]), floats([p, p, p, p, p, p])])];

  it('reuses the table for every partition, gives the rows an uncached join gives, and probing does not grow it', async () => {
    clearBuiltSides();
    const key = 'rows-abc:test';
    const first = rowsOf((await hashJoinOp.run(args(key), [partition(0), right], ctx)) as ColumnBatch[]);
    const cached = builtSideOf(key);
    expect(cached).toBeDefined();
    const groups = cached!.table.groups;
    expect(groups).toBe(3);
    expect(first).toEqual(rowsOf((await hashJoinOp.run(args(), [partition(0), right], ctx)) as ColumnBatch[]));
    for (let p = 1; p < 5; p++) {
      const got = rowsOf((await hashJoinOp.run(args(key), [partition(p), right], ctx)) as ColumnBatch[]);
      expect(got).toEqual(rowsOf((await hashJoinOp.run(args(), [partition(p), right], ctx)) as ColumnBatch[]));
      expect(got).toEqual([[2, p, 20], [2, p, 21], [1, p, 10], [3, p, 30]]);
    }
    // The same entry all along (hashed once), with only the build keys in its table.
    expect(builtSideOf(key)).toBe(cached);
    expect(cached!.table.table.groups).toBe(groups);
    expect(cached!.table.table.keys[0]!.size).toBe(3);
  });

  it('keeps a few sides, the least recently used dropped first', async () => {
    clearBuiltSides();
    for (let i = 0; i < 6; i++) await hashJoinOp.run(args(`side-${i}`), [partition(0), right], ctx);
    expect(builtSideOf('side-0')).toBeUndefined();
    expect(builtSideOf('side-1')).toBeUndefined();
    expect(builtSideOf('side-5')).toBeDefined();
    expect(builtSideOf('side-2')).toBeDefined();
    clearBuiltSides();
    expect(builtSideOf('side-5')).toBeUndefined();
  });
});
