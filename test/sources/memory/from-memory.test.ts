/**
 * fromColumns / fromArrow: in-memory data as a frame. Results equal the same data read from
 * CSV, on sync and threads; the columns travel to workers as shared data (SharedArrayBuffers),
 * not inside the tasks; bad inputs are named.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../../src/index.js';
import { DuskSchemaError } from '../../../src/core/errors.js';
import { lowerToGraph } from '../../../src/plan/physical/lower.js';
import { optimize } from '../../../src/plan/optimize/index.js';
import { rng, tempDir } from '../../helpers.js';

const { col } = ddf;
let dir: string;
let remove: () => void;
const ROWS = 5003;
const x = new Float64Array(ROWS);
const k = new Int32Array(ROWS);
const s: (string | null)[] = [];
let csv: string;

beforeAll(() => {
  ({ dir, remove } = tempDir('dusk-memory-'));
  const random = rng(3);
  const lines = ['x,k,s'];
  for (let i = 0; i < ROWS; i++) {
    x[i] = Math.round((random() - 0.5) * 1e6) / 100;
    k[i] = Math.floor(random() * 50) - 10;
    s.push(random() < 0.1 ? null : `g${Math.floor(random() * 6)}`);
    lines.push(`${x[i]},${k[i]},${s[i] ?? ''}`);
  }
  csv = join(dir, 'data.csv');
  writeFileSync(csv, `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await ddf.shutdown();
  remove?.();
});

/** The same questions of any frame with columns x, k, s. */
async function answers(df: ddf.DataFrame, options: ddf.ComputeOptions): Promise<unknown> {
  const f = df.filter(col('k').gt(5)).withColumns({ y: col('x').mul(2) });
  const scalars = await ddf.compute(df.col('x').sum(), df.col('k').mean(), f.col('y').max(), df.col('s').count(), df.col('s').nunique(), options);
  const groups = (await df.groupBy('s', { dropna: false }).agg({ n: ddf.len(), t: col('x').sum(), m: col('k').max() }).toArrow().compute(options)).toArray().map((r) => ({ ...r.toJSON(), n: Number(r.n) }));
  const head = (await df.head(4).compute(options)).toArray().map((r) => r.toJSON());
  const sorted = (await df.sort(['k', 'x']).head(3).compute(options)).toArray().map((r) => r.toJSON());
  const counts = (await df.col('s').valueCounts().toArrow().compute(options)).toArray().map((r) => r.toJSON());
  return { scalars, groups, head, sorted, counts };
}

const SCHEDULES = [{ scheduler: 'sync' as const }, { scheduler: 'threads' as const, numWorkers: 2 }];

describe('fromColumns and fromArrow', () => {
  it.each(SCHEDULES)('give the answers the same data read from CSV gives ($scheduler)', async (options) => {
    const fromCsv = ddf.readCsv(csv, { dtype: { s: 'string' } });
    const want = await answers(fromCsv, options);
    expect(await answers(ddf.fromColumns({ x, k, s }, { npartitions: 4 }), options)).toEqual(want);
    const table = await fromCsv.toArrow();
    expect(await answers(ddf.fromArrow(table, { npartitions: 3 }), options)).toEqual(want);
  });

  it('partitions are row ranges; the data is shared data, not in the tasks', () => {
    const df = ddf.fromColumns({ x, k, s }, { npartitions: 4 });
    expect(df.npartitions).toBe(4);
    expect(df.dtypes).toEqual({ x: 'float64', k: 'int32', s: 'string' });
    expect(ddf.explain(df.col('x').sum())).toMatch(/memory fromColumns\(x, k, s\), 5003 rows in 4 partitions, shared with workers/);
    const { graph } = lowerToGraph(optimize([df.groupBy('s').agg({ t: col('x').sum() }).plan]));
    const scans = graph.topologicalOrder().filter((t) => t.key.startsWith('scan-'));
    expect(scans).toHaveLength(4);
    // Each task carries its row range only; the columns are one shared payload, in shared memory.
    for (const task of scans) expect(JSON.stringify(task.spec).length).toBeLessThan(4000);
    expect(graph.shared.size).toBe(1);
    const [payload] = [...graph.shared.values()];
    const columns = (payload as { kind: 'value'; value: Record<string, { values?: Float64Array; offsets?: Int32Array; data?: Uint8Array }> }).value;
    expect(columns.x!.values!.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(columns.s!.data!.buffer).toBeInstanceOf(SharedArrayBuffer);
    // Copied once: changing the caller's array afterwards does not change the frame.
    expect(columns.x!.values![0]).toBe(x[0]);
  });

  it('reads category (dictionary) columns from Arrow and empty tables', async () => {
    const arrow = await import('apache-arrow');
    const table = new arrow.Table({ c: arrow.vectorFromArray(['a', 'b', 'a', null, 'c'], new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())), v: arrow.vectorFromArray(new Float64Array([1, 2, 3, 4, 5])) });
    const df = ddf.fromArrow(table, { npartitions: 2 });
    expect(df.dtypes).toEqual({ c: 'category', v: 'float64' });
    const rows = (await df.groupBy('c').agg({ t: col('v').sum() }).toArrow().compute({ scheduler: 'threads', numWorkers: 2 })).toArray().map((r) => r.toJSON());
    expect(rows).toEqual([{ c: 'a', t: 4 }, { c: 'b', t: 2 }, { c: 'c', t: 5 }]);
  });

  it('names bad inputs', async () => {
    expect(() => ddf.fromColumns({ x: new Float64Array(3), y: new Float64Array(4) })).toThrow(/fromColumns\(x, y\): column 'y' has 4 rows, but 'x' has 3/);
    expect(() => ddf.fromColumns({ x: new Float64Array(3), m: [1, 'a', 2] as never })).toThrow(/column 'm' mixes number and string values/);
    expect(() => ddf.fromColumns({ d: new DataView(new ArrayBuffer(8)) as never })).toThrow(DuskSchemaError);
    expect(() => ddf.fromColumns({ x: new Float64Array(3) }, { npartitions: 0 })).toThrow(/npartitions must be a positive integer/);
    const arrow = await import('apache-arrow');
    const dates = new arrow.Table({ d: arrow.vectorFromArray([new Date(0)], new arrow.DateMillisecond()) });
    expect(() => ddf.fromArrow(dates)).toThrow(/fromArrow: column 'd' has Arrow type Date/);
  });
});
