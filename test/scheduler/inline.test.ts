import { statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { resolveOptions } from '../../src/config.js';
import { executorFor } from '../../src/scheduler/executors.js';
import type { PoolExecutor } from '../../src/scheduler/pool-executor.js';
import { tempDir } from '../helpers.js';

// Small computes of the threads and processes schedulers run on the calling thread, as sync
// does, without starting the pool (inlineBelowBytes). Worker counts here are unusual (5, 6) so
// that each pool looked at is this file's own, untouched by other computes.
const tmp = tempDir();
afterAll(async () => {
  await ddf.shutdown();
  tmp.remove();
});

function csv(name: string, rows: number): string {
  const path = join(tmp.dir, name);
  const lines = ['k,x,s'];
  for (let i = 0; i < rows; i++) lines.push(`${i % 13},${(i * 7919) % 1000003},row number ${i} with some padding text`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** The shared pool compute would use for these options (not started by asking). */
const poolOf = (scheduler: 'threads' | 'processes', numWorkers: number) => executorFor(resolveOptions({ scheduler, numWorkers })) as PoolExecutor;

const queries = (df: ddf.DataFrame) => [df.col('x').sum(), df.col('x').max(), df.col('x').mean(), df.groupBy('k').agg({ n: ddf.col('x').count() }).sort('k').toArrow()] as const;

describe('small computes run inline', () => {
  const tiny = csv('tiny.csv', 200);

  it('a tiny CSV on threads runs on the calling thread: same results and report as sync, inline: true, no worker started', async () => {
    const df = ddf.readCsv(tiny);
    const sync = await ddf.compute(...queries(df), { scheduler: 'sync' });
    const syncReport = ddf.lastComputeReport()!;
    const threads = await ddf.compute(...queries(df), { scheduler: 'threads', numWorkers: 5 });
    const report = ddf.lastComputeReport()!;
    expect(threads.slice(0, 3)).toEqual(sync.slice(0, 3));
    expect(threads[3].toArray().map((r) => r.toJSON())).toEqual(sync[3].toArray().map((r) => r.toJSON()));
    expect(report).toMatchObject({ scheduler: 'threads', inline: true, workers: 1, bytesRead: syncReport.bytesRead, opens: syncReport.opens, bytesDecoded: syncReport.bytesDecoded, tasks: syncReport.tasks, workerTasks: syncReport.workerTasks });
    expect(syncReport.inline).toBe(false);
    expect(poolOf('threads', 5).ids()).toEqual([]);
  });

  it('processes too', async () => {
    const sum = ddf.readCsv(tiny).col('x').sum();
    expect(await sum.compute({ scheduler: 'processes', numWorkers: 5 })).toBe(await sum.compute({ scheduler: 'sync' }));
    await sum.compute({ scheduler: 'processes', numWorkers: 5 });
    expect(ddf.lastComputeReport()).toMatchObject({ scheduler: 'processes', inline: true });
    expect(poolOf('processes', 5).ids()).toEqual([]);
  });

  it('a CSV of 4 MiB or more, inlineBelowBytes: 0 and delayed calls run on workers', async () => {
    const big = csv('big.csv', 120_000);
    const df = ddf.readCsv(big);
    const want = await ddf.compute(...queries(df), { scheduler: 'sync' });
    const got = await ddf.compute(...queries(df), { scheduler: 'threads', numWorkers: 6 });
    expect(ddf.lastComputeReport()).toMatchObject({ scheduler: 'threads', inline: false, workers: 6 });
    expect(got.slice(0, 3)).toEqual(want.slice(0, 3));
    expect(poolOf('threads', 6).ids().length).toBeGreaterThan(0);
    // Just below the file's size runs inline; at its size, not.
    const { size } = statSync(big);
    expect(size).toBeGreaterThan(4 << 20);
    await df.col('x').sum().compute({ scheduler: 'threads', numWorkers: 6, inlineBelowBytes: size + 1 });
    expect(ddf.lastComputeReport()!.inline).toBe(true);
    await df.col('x').sum().compute({ scheduler: 'threads', numWorkers: 6, inlineBelowBytes: size });
    expect(ddf.lastComputeReport()!.inline).toBe(false);

    const tinySum = ddf.readCsv(tiny).col('x').sum();
    expect(await tinySum.compute({ scheduler: 'threads', numWorkers: 6, inlineBelowBytes: 0 })).toBe(await tinySum.compute({ scheduler: 'sync' }));
    await tinySum.compute({ scheduler: 'threads', numWorkers: 6, inlineBelowBytes: 0 });
    expect(ddf.lastComputeReport()).toMatchObject({ inline: false, workers: 6 });
    ddf.config.set({ inlineBelowBytes: 0 });
    try {
      await tinySum.compute({ scheduler: 'threads', numWorkers: 6 });
      expect(ddf.lastComputeReport()!.inline).toBe(false);
    } finally {
      ddf.config.reset();
    }
    // A user function may block or wait: never inline, however small its input.
    const double = ddf.delayed((x: number) => x * 2);
    expect(await double(21).compute({ scheduler: 'threads', numWorkers: 6 })).toBe(42);
    expect(ddf.lastComputeReport()).toMatchObject({ inline: false, workers: 6 });
  });

  it('compressed bytes count by their decoding cost', async () => {
    const gz = join(tmp.dir, 'tiny.csv.gz');
    writeFileSync(gz, gzipSync(Buffer.from(['a,b', ...Array.from({ length: 2000 }, (_, i) => `${i},${i * 3}`)].join('\n'))));
    const df = ddf.readCsv(gz);
    const { size } = statSync(gz);
    await df.col('b').sum().compute({ scheduler: 'threads', numWorkers: 6, inlineBelowBytes: 16 * size + 1 });
    expect(ddf.lastComputeReport()!.inline).toBe(true);
    await df.col('b').sum().compute({ scheduler: 'threads', numWorkers: 6, inlineBelowBytes: 16 * size });
    expect(ddf.lastComputeReport()!.inline).toBe(false);
  });

  it('inlineBelowBytes is checked like the other options', () => {
    expect(() => ddf.config.set({ inlineBelowBytes: -1 })).toThrow(/inlineBelowBytes must be a non-negative integer/);
    expect(() => ddf.config.set({ inlineBelowBytes: 1.5 })).toThrow(/inlineBelowBytes must be a non-negative integer/);
    expect(() => ddf.config.set({ inlineBelowBytes: '4MB' as unknown as number })).toThrow(/inlineBelowBytes must be a non-negative integer/);
    expect(() => ddf.config.set({ inlineBelowByte: 0 } as ddf.ComputeOptions)).toThrow(/unknown option 'inlineBelowByte'\. Did you mean 'inlineBelowBytes'\?/);
    expect(ddf.config.get().inlineBelowBytes).toBe(4 << 20);
  });
});
