import { describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { partitionSize, readFlights, flightsForThisFile, SCHEDULERS } from './persist-data.js';

const { col } = ddf;
const flights = flightsForThisFile('dusk-map-partitions-');

/** Per partition: its index, its row count and the mean delay of its rows, as plain columns. */
function summary(table: { numRows: number; getChild(name: string): { length: number; get(i: number): number | null } | null }, index: number) {
  const delay = table.getChild('DepDelay')!;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < delay.length; i++) {
    const v = delay.get(i);
    if (v !== null) {
      sum += v;
      n++;
    }
  }
  return { part: new Int32Array([index]), rows: new Int32Array([table.numRows]), meanDelay: [n === 0 ? null : sum / n] };
}
const SUMMARY_SCHEMA = { part: 'int32', rows: 'int32', meanDelay: 'float64' } as const;

describe('mapPartitions', () => {
  it('runs fn once per partition, with its index, identically on sync, threads and processes', async () => {
    const air = readFlights(flights());
    const mapped = air.mapPartitions(summary, { schema: SUMMARY_SCHEMA });
    expect(mapped.npartitions).toBe(air.npartitions);
    expect(mapped.dtypes).toEqual(SUMMARY_SCHEMA);
    const results = [];
    for (const options of SCHEDULERS) {
      results.push(await mapped.toRecords().compute(options));
      expect(ddf.lastComputeReport()!.workerTasks).toBeGreaterThanOrEqual(air.npartitions);
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    const rows = results[0]!;
    expect(rows.map((r) => r.part)).toEqual(Array.from({ length: air.npartitions }, (_, i) => i));
    expect(rows.reduce((n, r) => n + (r.rows as number), 0)).toBe(await air.col('Cancelled').count().compute({ scheduler: 'sync' }));
  });

  it('returns Arrow tables too; its result is a frame like any other (filter, group-by, after a filter)', async () => {
    const air = readFlights(flights());
    // The table as it came in, with a row-wise column made from its values.
    const withHours = (t: { numRows: number; getChild(n: string): { get(i: number): number | null } | null }) => {
      const delay = t.getChild('DepDelay')!;
      const hours = Array.from({ length: t.numRows }, (_, i) => {
        const v = delay.get(i);
        return v === null ? null : v / 60;
      });
      const origin = t.getChild('Origin')!;
      return { Origin: Array.from({ length: t.numRows }, (_, i) => origin.get(i) as unknown as string), hours };
    };
    const options = { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 } as const;
    const flown = air.filter(col('Cancelled').eq(0));
    const mapped = flown.mapPartitions(withHours, { schema: { Origin: 'string', hours: 'float64' } });
    const got = await mapped.filter(col('hours').gt(1)).groupBy('Origin').agg({ n: ddf.len(), h: col('hours').sum() }).toRecords().compute(options);
    const want = await flown.withColumns({ hours: col('DepDelay').div(60) }).filter(col('hours').gt(1)).groupBy('Origin').agg({ n: ddf.len(), h: col('hours').sum() }).toRecords().compute(options);
    expect(got).toEqual(want);
    // An Arrow table back: the input itself, narrowed to two columns.
    const same = air.mapPartitions((t: { select(names: string[]): unknown }) => t.select(['Carrier', 'Distance']) as never, { schema: { Carrier: 'category', Distance: 'int64' } });
    expect(await same.toRecords().compute(options)).toEqual(await air.select('Carrier', 'Distance').toRecords().compute(options));
  });

  it('ships functions as delayed does: globals, and ddf.task functions by their module', async () => {
    const air = readFlights(flights());
    const scale = (t: { numRows: number; getChild(n: string): { get(i: number): bigint | number | null } | null }) => ({
      far: Array.from({ length: t.numRows }, (_, i) => Number(t.getChild('Distance')!.get(i)) > threshold),
    });
    const threshold = 1500;
    expect(() => air.mapPartitions(scale, { schema: { far: 'bool' } })).toThrow(/uses 'threshold' from the calling script/);
    const mapped = air.mapPartitions(scale, { schema: { far: 'bool' }, globals: { threshold } });
    const options = { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 } as const;
    expect(await mapped.col('far').sum().compute(options)).toBe(await air.filter(col('Distance').gt(threshold)).col('Distance').count().compute(options));
    const sizes = air.mapPartitions(partitionSize, { schema: { part: 'int32', rows: 'int32' } });
    for (const opts of SCHEDULERS) {
      const rows = await sizes.toRecords().compute(opts);
      expect(rows.map((r) => r.part)).toEqual(Array.from({ length: air.npartitions }, (_, i) => i));
      expect(rows.reduce((n, r) => n + (r.rows as number), 0)).toBe(2500 * 3);
    }
  });

  it('checks each result against the schema: a mismatch names the partition, the column and both dtypes', async () => {
    const air = readFlights(flights());
    const options = { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 } as const;
    const wrongType = air.mapPartitions((t: { numRows: number }) => ({ n: [t.numRows] }), { schema: { n: 'int64' } });
    await expect(wrongType.toArrow().compute(options)).rejects.toThrow(/partition \d+ \(\d+ of \d+\): column 'n' is float64, but the schema says int64/);
    const missing = air.mapPartitions(function counts(t: { numRows: number }) {
      return { n: [t.numRows] };
    }, { schema: { n: 'float64', m: 'float64' } });
    await expect(missing.toArrow().compute({ scheduler: 'sync' })).rejects.toThrow(/mapPartitions 'counts', partition 0 \(1 of \d+\): the result lacks 'm'/);
    const notATable = air.mapPartitions(function nothing() {
      return 42 as never;
    }, { schema: { n: 'float64' } });
    await expect(notATable.toArrow().compute({ scheduler: 'sync' })).rejects.toThrow(/the function returned number; return an Arrow table or an object of columns/);
    expect(() => air.mapPartitions(summary, {} as never)).toThrow(/needs the columns fn returns with their dtypes/);
    expect(() => air.mapPartitions(summary, { schema: { x: 'float32' as never } })).toThrow(/dtype for column 'x' must be one of/);
    expect(() => air.mapPartitions(summary, { schema: SUMMARY_SCHEMA, meta: {} } as never)).toThrow(/unknown option 'meta'. Did you mean 'schema'/);
  });

  it('a throwing fn fails the compute naming the partition, with the error and its line', async () => {
    const air = readFlights(flights());
    const failing = air.mapPartitions(function failOnThird(t: { numRows: number }, index: number) {
      if (index === 2) throw new RangeError('bad partition data');
      return { n: [t.numRows] };
    }, { schema: { n: 'float64' } });
    for (const options of SCHEDULERS) {
      const error = await failing.toArrow().compute(options).then(() => null, (e: Error) => e);
      expect(error?.message, options.scheduler).toMatch(/mapPartitions 'failOnThird', partition 2 \(3 of \d+\) threw: RangeError: bad partition data/);
      expect(String((error as Error & { workerStack?: string }).workerStack ?? error?.stack), options.scheduler).toMatch(/map-partitions\.test\.ts:\d+/);
    }
  });

  it('the input keeps every column: the optimizer cannot see what fn reads', () => {
    const air = readFlights(flights());
    const text = air.mapPartitions(summary, { schema: SUMMARY_SCHEMA }).col('rows').sum().explain();
    expect(text).toMatch(/MapPartitions summary/);
    expect(text).toMatch(/reads: DepDelay, Cancelled, Origin, Carrier, Distance, Diverted/);
  });
});
