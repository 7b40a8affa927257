import { describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { resolveOptions } from '../../src/config.js';
import { optimize } from '../../src/plan/optimize/index.js';
import { lowerToGraph } from '../../src/plan/physical/lower.js';
import { executorFor } from '../../src/scheduler/executors.js';
import { runGraph } from '../../src/scheduler/run-graph.js';
import { readFlights, flightsForThisFile, SCHEDULERS } from './persist-data.js';
import { dieOnce } from '../tasks/task-module.js';
import { dirname, join } from 'node:path';

const { col } = ddf;
const flights = flightsForThisFile('dusk-persist-');

/** Rows of each partition, by computing the frame's toDelayed parts in one graph. */
async function partitionRows(frame: ddf.DataFrame, options: ddf.ComputeOptions): Promise<number[]> {
  const [tables] = await ddf.compute(frame.toDelayed(), options);
  return tables.map((t) => t.numRows);
}

describe('persist', () => {
  for (const options of SCHEDULERS) {
    it(`holds the same table as a recompute, in the same partitions, and opens no file afterwards (${options.scheduler})`, async () => {
      const air = readFlights(flights());
      expect(air.npartitions).toBeGreaterThan(3);
      const p = await air.persist().compute(options);
      expect(ddf.lastComputeReport()!.opens).not.toEqual({});
      expect(p.npartitions).toBe(air.npartitions);
      expect(p.dtypes).toEqual(air.dtypes);
      const [fromCsv, fromMemory] = await Promise.all([air.toRecords().compute(options), p.toRecords().compute(options)]);
      expect(fromMemory).toEqual(fromCsv);
      expect(await partitionRows(p, options)).toEqual(await partitionRows(air, options));

      const query = (f: ddf.DataFrame) => [f.col('DepDelay').mean(), f.groupBy('Origin').agg({ n: ddf.len(), d: col('DepDelay').sum() }).toRecords(), f.col('Diverted').count()] as const;
      const want = await ddf.compute(...query(air), options);
      const got = await ddf.compute(...query(p), options);
      expect(ddf.lastComputeReport()!.opens).toEqual({});
      expect(ddf.lastComputeReport()!.bytesRead).toBe(0);
      expect(got).toEqual(want);
      p.unpersist();
    });
  }

  it('of a filtered, derived frame keeps its partition count and boundaries (partitions of any length, or empty)', async () => {
    const air = readFlights(flights());
    // Few rows pass: partition lengths are not multiples of 8, and some are 0.
    const derived = air.filter(col('Cancelled').eq(0).and(col('DepDelay').gt(95))).withColumns({ late: col('DepDelay').gt(97), km: col('Distance').mul(1.609) });
    const options = { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 } as const;
    const p = await derived.persist().compute(options);
    expect(p.npartitions).toBe(air.npartitions);
    const rows = await partitionRows(p, options);
    expect(rows).toEqual(await partitionRows(derived, options));
    expect(rows.some((n) => n % 8 !== 0)).toBe(true);
    expect(await p.toRecords().compute(options)).toEqual(await derived.toRecords().compute(options));
    // Null bitmaps and bool values read right at partition starts that are not on a byte.
    const q = (f: ddf.DataFrame) => [f.col('Diverted').count(), f.col('Diverted').sum(), f.filter(col('late')).col('km').sum()] as const;
    expect(await ddf.compute(...q(p), options)).toEqual(await ddf.compute(...q(derived), options));
    p.unpersist();
    // Nothing passes: every partition is empty, and still there.
    const none = await air.filter(col('Distance').lt(0)).persist().compute(options);
    expect(none.npartitions).toBe(air.npartitions);
    expect(await partitionRows(none, options)).toEqual(new Array(air.npartitions).fill(0));
    expect((await none.toArrow().compute(options)).numRows).toBe(0);
    expect(await none.groupBy('Carrier').agg({ n: ddf.len() }).toRecords().compute(options)).toEqual([]);
    none.unpersist();
  });

  it('explain() says the scan is of persisted data', async () => {
    const p = await readFlights(flights()).filter(col('Cancelled').eq(0)).persist().compute({ scheduler: 'sync' });
    const text = p.col('DepDelay').mean().explain();
    expect(text).toMatch(/SharedScan memory persisted data \(\d+ rows computed from: Filter/);
    expect(text).not.toMatch(/csv/i);
    p.unpersist();
  });

  it('unpersist() frees the data: workers forget it, and computes over the frame (or frames made from it) fail naming unpersist', async () => {
    const options = { scheduler: 'threads', numWorkers: 1, inlineBelowBytes: 0 } as const;
    const resolved = resolveOptions(options);
    const p = await readFlights(flights()).persist().compute(options);
    const derived = p.filter(col('Cancelled').eq(1));
    // A graph over p run without sending the shared data: the worker must already hold it.
    const withoutSharing = () => {
      const { graph } = lowerToGraph(optimize([p.col('DepDelay').sum().plan]), { workers: 1 });
      graph.shared.clear();
      return graph;
    };
    const want = await p.col('DepDelay').sum().compute(options); // the worker now holds the columns
    const held = withoutSharing();
    expect((await runGraph(held, executorFor(resolved), resolved)).values[0]).toBe(want);
    p.unpersist();
    await expect(runGraph(held, executorFor(resolved), resolved)).rejects.toThrow(/shared value memory-[\w-]+ never reached this worker/);
    await expect(p.col('DepDelay').sum().compute(options)).rejects.toThrow(/was unpersisted/);
    await expect(derived.toArrow().compute({ scheduler: 'sync' })).rejects.toThrow(/was unpersisted/);
    p.unpersist(); // twice: nothing more to free
    // A frame that reads no persisted data: unpersist does nothing, and it still computes.
    const air = readFlights(flights());
    air.unpersist();
    expect(await air.col('Cancelled').sum().compute({ scheduler: 'sync' })).toBeGreaterThan(0);
  });

  for (const scheduler of ['threads', 'processes'] as const) {
    it(`a worker that dies loses nothing: its replacement gets the data from the caller (${scheduler})`, async () => {
      const options = { scheduler, numWorkers: 1, inlineBelowBytes: 0, retries: 1 } as const;
      const p = await readFlights(flights()).persist().compute(options);
      const want = await p.col('DepDelay').sum().compute(options);
      await ddf.delayed(dieOnce)(join(dirname(flights()), `died-${scheduler}`)).compute(options); // the only worker exits; a new one runs the retry
      expect(await p.col('DepDelay').sum().compute(options)).toBe(want);
      expect(ddf.lastComputeReport()!.opens).toEqual({});
      p.unpersist();
    });
  }

  it('a persisted frame and other results compute in one graph: the file is read once', async () => {
    const air = readFlights(flights(), null);
    const [p, max] = await ddf.compute(air.persist(), air.col('DepDelay').max(), { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 });
    expect(Object.values(ddf.lastComputeReport()!.opens)).toEqual([1, 1, 1]);
    expect(await p.col('DepDelay').max().compute({ scheduler: 'sync' })).toBe(max);
    p.unpersist();
  });
});
