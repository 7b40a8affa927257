import { describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { optimize } from '../../src/plan/optimize/index.js';
import { lowerToGraph } from '../../src/plan/physical/lower.js';
import { columnSum, readFlights, flightsForThisFile, SCHEDULERS } from './persist-data.js';

const { col } = ddf;
const flights = flightsForThisFile('dusk-to-delayed-');

describe('toDelayed', () => {
  it('one Delayed per partition; together they are the frame', async () => {
    const air = readFlights(flights());
    const parts = air.toDelayed();
    expect(parts).toHaveLength(air.npartitions);
    expect(parts.every((p) => p instanceof ddf.Delayed)).toBe(true);
    const [tables, whole] = await ddf.compute(parts, air.toArrow(), { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 });
    expect(tables.reduce((n, t) => n + t.numRows, 0)).toBe(whole.numRows);
    expect(tables.flatMap((t) => t.toArray().map((r) => r.toJSON()))).toEqual(whole.toArray().map((r) => r.toJSON()));
    // Each block of each file read once: as many opens, and bytes, as a plain read of the frame.
    const { opens, bytesRead } = ddf.lastComputeReport()!;
    await air.toArrow().compute({ scheduler: 'sync' });
    expect(opens).toEqual(ddf.lastComputeReport()!.opens);
    expect(bytesRead).toBe(ddf.lastComputeReport()!.bytesRead);
  });

  for (const options of SCHEDULERS) {
    it(`parts feed delayed functions in the same graph as the frame's own results: one read of the CSV (${options.scheduler})`, async () => {
      const flown = readFlights(flights()).filter(col('Cancelled').eq(0));
      const partSum = ddf.delayed(columnSum, { pure: true });
      const add = ddf.delayed((...xs: number[]) => xs.reduce((a, b) => a + b, 0));
      const total = add(...flown.toDelayed().map((part) => partSum(part, 'DepDelay')));
      const [viaDelayed, direct] = await ddf.compute(total, flown.col('DepDelay').sum(), options);
      expect(viaDelayed).toBeCloseTo(direct, 6);
      const { opens, bytesRead } = ddf.lastComputeReport()!;
      // The same reads as the frame's sum alone: each block of each file once.
      await flown.col('DepDelay').sum().compute(options);
      expect(Object.keys(opens)).toHaveLength(3);
      expect(opens).toEqual(ddf.lastComputeReport()!.opens);
      expect(bytesRead).toBe(ddf.lastComputeReport()!.bytesRead);
      expect(Object.values(opens).reduce((a, b) => a + b, 0)).toBe(flown.npartitions);
    });
  }

  it('a graph over many parts lowers the frame once (not once per part)', () => {
    const frame = ddf.fromColumns({ x: new Float64Array(64_000).fill(1) }, { npartitions: 1000 });
    const sum = ddf.delayed((...tables: { numRows: number }[]) => tables.reduce((n, t) => n + t.numRows, 0));
    const roots = optimize([sum(...frame.toDelayed()).plan]);
    // Every part reads the same optimized frame, which the optimizer left as it was.
    expect(new Set(roots[0]!.children().map((part) => part.children()[0])).size).toBe(1);
    const started = performance.now();
    const { graph } = lowerToGraph(roots, { workers: 1 });
    expect(performance.now() - started).toBeLessThan(5000); // lowered per part: ~20 s
    expect([...graph.tasks.values()].filter((t) => t.spec.op === 'scan')).toHaveLength(1000);
  });

  it('a source-shipped function gets the partition as an Arrow table', async () => {
    const air = readFlights(flights());
    const describe = ddf.delayed((t: { numRows: number; schema: { fields: { name: string }[] } }) => ({ rows: t.numRows, columns: t.schema.fields.map((f) => f.name) }));
    const first = await describe(air.toDelayed()[0]!).compute({ scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 });
    expect(first.columns).toEqual(air.columns);
    expect(first.rows).toBe((await air.toDelayed()[0]!.compute({ scheduler: 'sync' })).numRows);
  });
});
