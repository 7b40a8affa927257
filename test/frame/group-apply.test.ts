import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { optimize } from '../../src/plan/optimize/index.js';
import { lowerToGraph } from '../../src/plan/physical/lower.js';
import { rng, tempDir } from '../helpers.js';
import { SCHEDULERS } from './persist-data.js';

const CARRIERS = ['WN', 'AA', 'UA', 'DL', 'US', 'B6', 'OO'];
let dir: ReturnType<typeof tempDir>;
let glob = '';

/** Airline-shaped CSVs: ArrDelay ≈ a carrier's own line in Distance plus noise, some delays NA, a few rows with no carrier. */
beforeAll(() => {
  dir = tempDir('dusk-group-apply-');
  const random = rng(14);
  for (let f = 0; f < 3; f++) {
    const lines = ['UniqueCarrier,Distance,ArrDelay'];
    for (let r = 0; r < 3000; r++) {
      const c = Math.floor(random() * CARRIERS.length);
      const carrier = random() < 0.01 ? '' : CARRIERS[c]!;
      const distance = 100 + Math.floor(random() * 2400);
      const delay = random() < 0.05 ? 'NA' : String(Math.round((c * 3 - 5 + distance * (0.002 * (c + 1)) + (random() - 0.5) * 40) * 100) / 100);
      lines.push([carrier, distance, delay].join(','));
    }
    writeFileSync(join(dir.dir, `air-${f}.csv`), `${lines.join('\n')}\n`);
  }
  glob = join(dir.dir, 'air-*.csv');
});
afterAll(async () => {
  await ddf.shutdown();
  dir.remove();
});

const read = () => ddf.readCsv(glob, { blocksize: 25_000 });

interface Column {
  length: number;
  get(i: number): unknown;
}

/** A closed-form simple regression of ArrDelay on Distance over one group's rows (rows with a delay). */
function ols(table: { getChild(name: string): Column | null }, key: Record<string, unknown>) {
  const x = table.getChild('Distance')!;
  const y = table.getChild('ArrDelay')!;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const v = y.get(i);
    if (v === null) continue;
    xs.push(Number(x.get(i)));
    ys.push(v as number);
  }
  let mx = 0;
  let my = 0;
  for (let i = 0; i < xs.length; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= xs.length;
  my /= ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { carrier: String(key.UniqueCarrier), n: xs.length, slope, intercept: my - slope * mx };
}
const OLS_SCHEMA = { carrier: 'string', n: 'int32', slope: 'float64', intercept: 'float64' } as const;

/** The same fit in plain JS over the CSV text, group by group in file order. */
function reference(): Map<string, { n: number; slope: number; intercept: number }> {
  const rows = new Map<string, { getChild(name: string): Column }>();
  const byCarrier = new Map<string, { x: number[]; y: (number | null)[] }>();
  for (let f = 0; f < 3; f++) {
    for (const line of readFileSync(join(dir.dir, `air-${f}.csv`), 'utf8').trim().split('\n').slice(1)) {
      const [carrier, distance, delay] = line.split(',') as [string, string, string];
      if (carrier === '') continue;
      const group = byCarrier.get(carrier) ?? { x: [], y: [] };
      group.x.push(Number(distance));
      group.y.push(delay === 'NA' ? null : Number(delay));
      byCarrier.set(carrier, group);
    }
  }
  for (const [carrier, { x, y }] of byCarrier) {
    const column = (values: unknown[]): Column => ({ length: values.length, get: (i) => values[i] });
    rows.set(carrier, { getChild: (name) => column(name === 'Distance' ? x : y) });
  }
  return new Map([...rows].map(([carrier, table]) => [carrier, ols(table, { UniqueCarrier: carrier })]));
}

function shuffleSplits(frame: ddf.DataFrame): number {
  const { graph } = lowerToGraph(optimize([frame.plan]), { workers: 2 });
  return [...graph.tasks.values()].filter((t) => t.spec.op === 'shuffle-split').length;
}

describe('groupBy().apply', () => {
  it('per-group OLS equals a plain-JS fit per group, groups in key order, the same on sync, threads and processes', async () => {
    const air = read();
    expect(air.npartitions).toBeGreaterThan(3);
    const fits = air.groupBy('UniqueCarrier').apply(ols, { schema: OLS_SCHEMA });
    expect(fits.columns).toEqual(['UniqueCarrier', 'carrier', 'n', 'slope', 'intercept']);
    expect(fits.npartitions).toBe(1);
    const results = [];
    for (const options of SCHEDULERS) results.push(await fits.toRecords().compute(options));
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    const rows = results[0]!;
    // Key order (null keys dropped, as groupBy's default), each fit given its own key.
    expect(rows.map((r) => r.UniqueCarrier)).toEqual([...CARRIERS].sort());
    expect(rows.map((r) => r.carrier)).toEqual([...CARRIERS].sort());
    const want = reference();
    for (const row of rows) {
      const w = want.get(row.UniqueCarrier as string)!;
      expect(row.n).toBe(w.n);
      expect(Math.abs((row.slope as number) - w.slope)).toBeLessThanOrEqual(1e-12 * Math.abs(w.slope));
      expect(Math.abs((row.intercept as number) - w.intercept)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w.intercept)));
    }
  });

  it('a frame already shuffled by the key is not shuffled again; the result does not depend on the partitioning', async () => {
    const air = read();
    const n = air.npartitions;
    const fit = (frame: ddf.DataFrame) => frame.groupBy('UniqueCarrier').apply(ols, { schema: OLS_SCHEMA });
    expect(shuffleSplits(fit(air))).toBe(n);
    const byCarrier = air.shuffle('UniqueCarrier', { npartitions: 3 });
    expect(shuffleSplits(fit(byCarrier))).toBe(n);
    // Shuffled by another column: the rows move again.
    expect(shuffleSplits(fit(air.shuffle('Distance', { npartitions: 3 })))).toBe(n + 3);
    const options = { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 } as const;
    expect(await fit(byCarrier).toRecords().compute(options)).toEqual(await fit(air).toRecords().compute(options));
  });

  it('rows, tables and columns as results; sort: false and dropna: false', async () => {
    const air = read();
    const options = { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 } as const;
    // Several rows per group as columns: the group's two first distances.
    const firstTwo = air.groupBy('UniqueCarrier', { dropna: false }).apply((t: { getChild(n: string): Column | null }) => {
      const d = t.getChild('Distance')!;
      return { rank: new Int32Array([1, 2]), Distance: BigInt64Array.of(BigInt(d.get(0) as number), BigInt(d.get(1) as number)) };
    }, { schema: { rank: 'int32', Distance: 'int64' } });
    const rows = await firstTwo.toRecords().compute(options);
    expect(rows.map((r) => r.UniqueCarrier)).toEqual([...[...CARRIERS].sort().flatMap((c) => [c, c]), null, null]);
    expect(rows.map((r) => r.rank)).toEqual(rows.map((_, i) => 1 + (i % 2)));
    // Unsorted: the shuffle's partitions kept, the same groups.
    const unsorted = air.groupBy('UniqueCarrier', { sort: false }).apply(ols, { schema: OLS_SCHEMA });
    expect(unsorted.npartitions).toBe(air.npartitions);
    const fits = await air.groupBy('UniqueCarrier').apply(ols, { schema: OLS_SCHEMA }).toRecords().compute(options);
    const loose = await unsorted.toRecords().compute(options);
    expect([...loose].sort((a, b) => String(a.UniqueCarrier).localeCompare(String(b.UniqueCarrier)))).toEqual(fits);
    expect(await unsorted.toRecords().compute({ scheduler: 'sync' })).toEqual(loose);
  });

  it('a result unlike the schema, or a throwing fn, fails naming the group', async () => {
    const air = read();
    const lacking = air.groupBy('UniqueCarrier').apply((t: { numRows: number }) => ({ n: t.numRows }), { schema: { n: 'int32', mean: 'float64' } });
    const wrongType = air.groupBy('UniqueCarrier').apply((t: { numRows: number }, key: ddf.GroupKey) => ({ n: key.UniqueCarrier === 'DL' ? 'many' : t.numRows }), { schema: { n: 'int32' } });
    const failing = air.groupBy('UniqueCarrier').apply(function fitOrFail(t: { numRows: number }, key: ddf.GroupKey) {
      if (key.UniqueCarrier === 'UA') throw new RangeError('singular matrix');
      return { n: t.numRows };
    }, { schema: { n: 'int32' } });
    for (const options of SCHEDULERS) {
      const fail = (frame: ddf.DataFrame) => frame.toArrow().compute(options).then(() => null, (e: Error) => e);
      // Every group lacks it: which one is reported first depends on the schedule.
      expect((await fail(lacking))?.message, options.scheduler).toMatch(/groupBy\(\[UniqueCarrier\]\)\.apply 'lambda', group UniqueCarrier=(AA|B6|DL|OO|UA|US|WN): the result lacks 'mean' \(schema: n, mean\)/);
      expect((await fail(wrongType))?.message, options.scheduler).toMatch(/group UniqueCarrier=DL, column 'n': string many is not a int32 value/);
      expect((await fail(failing))?.message, options.scheduler).toMatch(/apply 'fitOrFail', group UniqueCarrier=UA threw: RangeError: singular matrix/);
    }
    expect(() => air.groupBy('UniqueCarrier').apply(ols, { schema: { UniqueCarrier: 'string' } })).toThrow(/'UniqueCarrier', a key column/);
    expect(() => air.groupBy('UniqueCarrier').apply(ols, {} as never)).toThrow(/groupBy\(\)\.apply\(fn, \{ schema \}\) needs the columns/);
  });
});
