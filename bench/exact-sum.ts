/**
 * The cost of exact sums (src/kernels/exact-sum.ts) per value, against the plain double loop the
 * Series stats used before (sum, min, max and shifted sums for the variance in one pass).
 * Three kinds of data, 4M values in batches of 64K as the CSV reader hands them over:
 *   - delays: integer-valued minutes as float64 (DepDelay), no nulls and with 2% nulls;
 *   - decimals: values with two decimal digits (prices), which take the superaccumulator;
 *   - mixed: doubles of magnitudes 2^-40..2^40, half of them cancelling.
 * Run: npx tsx bench/exact-sum.ts
 */
import type { ColumnData } from '../src/core/column-data.js';
import { accumulateStats, emptyStats, finalizeStats } from '../src/kernels/column-stats.js';
import { rng } from '../test/helpers.js';

const N = 4_000_000;
const BATCH = 65_536;
const REPEAT = 11;


/** The loop Series stats ran before exact sums (kept here as the reference cost). */
function plainStats(col: ColumnData & { dtype: 'float64' }): number {
  const n = col.length;
  const values = col.values;
  const validity = col.validity;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let shift = Number.NaN;
  let s1 = 0;
  let s2 = 0;
  let count = 0;
  if (validity === null) {
    shift = n > 0 ? values[0]! : 0;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      const d = v - shift;
      s1 += d;
      s2 += d * d;
    }
    count = n;
  } else {
    for (let i = 0; i < n; i++) {
      if ((validity[i >> 3]! & (1 << (i & 7))) === 0) continue;
      const v = values[i]!;
      if (count === 0) shift = v;
      count++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      const d = v - shift;
      s1 += d;
      s2 += d * d;
    }
  }
  return sum + min + max + s1 + s2 + count;
}

function batches(make: (r: () => number) => number, nullRate: number): (ColumnData & { dtype: 'float64' })[] {
  const r = rng(42);
  const out: (ColumnData & { dtype: 'float64' })[] = [];
  for (let start = 0; start < N; start += BATCH) {
    const length = Math.min(BATCH, N - start);
    const values = new Float64Array(length);
    const validity = nullRate > 0 ? new Uint8Array((length + 7) >> 3).fill(255) : null;
    let nullCount = 0;
    for (let i = 0; i < length; i++) {
      values[i] = make(r);
      if (validity !== null && r() < nullRate) {
        validity[i >> 3]! &= ~(1 << (i & 7));
        values[i] = 0;
        nullCount++;
      }
    }
    out.push({ dtype: 'float64', length, nullCount, validity, values });
  }
  return out;
}

/** CPU time of one run, in ms (CPU time: the 2-core test machines are shared, wall time is noisy). */
function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

// The reference loop gets the same warm-up as the exact one (see warmUp in column-stats.ts).
for (let k = 0; k < 300; k++) plainStats({ dtype: 'float64', length: 8, nullCount: 0, validity: k % 2 === 0 ? null : new Uint8Array([0xf0]), values: new Float64Array(8) });

const kinds: [string, (ColumnData & { dtype: 'float64' })[]][] = [
  ['delays (integers), no nulls', batches((r) => Math.round(-20 + 80 * r() * r() * r() * 10), 0)],
  ['delays (integers), 2% nulls', batches((r) => Math.round(-20 + 80 * r() * r() * r() * 10), 0.02)],
  ['decimals (x.yz), no nulls', batches((r) => Math.round(r() * 100000) / 100, 0)],
  ['mixed magnitudes, cancelling', batches((r) => (r() < 0.5 ? -1 : 1) * r() * 2 ** Math.floor(r() * 80 - 40), 0)],
];

console.log(`${N.toLocaleString()} values in batches of ${BATCH}; best CPU time of ${REPEAT} interleaved runs; ns per value`);
console.log('| data | plain loop | exact sum, Σx², min, max | ratio | exact sum, min, max (no Σx²) | ratio |');
console.log('|---|---|---|---|---|---|');
let sink = 0;
for (const [name, cols] of kinds) {
  const runs: Record<string, () => void> = {
    plain: () => {
      for (const c of cols) sink += plainStats(c);
    },
    exact: () => {
      const s = emptyStats();
      for (const c of cols) accumulateStats(s, c, 'x', false);
      sink += finalizeStats('var', s);
    },
    sumOnly: () => {
      const s = emptyStats(false);
      for (const c of cols) accumulateStats(s, c, 'x', false);
      sink += finalizeStats('mean', s);
    },
  };
  const bestMs: Record<string, number> = { plain: Infinity, exact: Infinity, sumOnly: Infinity };
  for (let k = 0; k < REPEAT; k++) for (const [run, fn] of Object.entries(runs)) bestMs[run] = Math.min(bestMs[run]!, cpuMs(fn));
  const ns = (ms: number) => ((ms * 1e6) / N).toFixed(2);
  const { plain, exact, sumOnly } = bestMs as { plain: number; exact: number; sumOnly: number };
  console.log(`| ${name} | ${ns(plain)} | ${ns(exact)} | ${(exact / plain).toFixed(2)}× | ${ns(sumOnly)} | ${(sumOnly / plain).toFixed(2)}× |`);
}
if (Number.isNaN(sink)) console.log('');
