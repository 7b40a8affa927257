import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { FIXTURES } from '../helpers.js';

const expected = JSON.parse(readFileSync(join(FIXTURES, 'airline', 'expected.json'), 'utf8')) as {
  rows: number;
  columns: Record<string, Record<'count' | 'sum' | 'min' | 'max' | 'mean' | 'var' | 'std', number>>;
};
const GLOBS = { none: 'airline/none/*.csv', gzip: 'airline/gz/*.csv.gz', bz2: 'airline/bz2/*.csv.bz2' };
const DTYPES = { TailNum: 'string', CancellationCode: 'string' } as const;
const OPS = ['count', 'sum', 'min', 'max', 'mean', 'var', 'std'] as const;

function air(kind: keyof typeof GLOBS, extra: ddf.ReadCsvOptions = {}) {
  return ddf.readCsv(join(FIXTURES, GLOBS[kind]), { encoding: 'latin1', dtype: DTYPES, ...extra });
}

afterAll(() => ddf.shutdown());

describe('reductions equal pandas on the airline fixtures', () => {
  for (const kind of Object.keys(GLOBS) as (keyof typeof GLOBS)[]) {
    it(`${kind}: count, sum, min, max, mean, var, std of ${Object.keys(expected.columns).length} columns`, async () => {
      const df = air(kind);
      const columns = Object.keys(expected.columns);
      const lazies = columns.flatMap((c) => OPS.map((op) => df.col(c)[op]()));
      const results = await ddf.compute(...lazies);
      columns.forEach((c, i) =>
        OPS.forEach((op, j) => {
          const want = expected.columns[c]![op]!;
          const got = results[i * OPS.length + j]!;
          if (op === 'count' || op === 'min' || op === 'max' || op === 'sum') expect(got, `${c}.${op}`).toBe(want);
          else expect(Math.abs(got - want) / Math.abs(want), `${c}.${op}`).toBeLessThan(1e-12);
        }),
      );
    });
  }
});

describe('one graph, one read pass', () => {
  it('opens each file once for several reductions of several columns', async () => {
    const df = air('bz2');
    await ddf.compute(df.col('DepDelay').max(), df.col('DepDelay').min(), df.col('DepDelay').std(), df.col('Distance').mean());
    const report = ddf.lastComputeReport()!;
    expect(Object.keys(report.opens).sort()).toHaveLength(2);
    expect(Object.values(report.opens)).toEqual([1, 1]);
  });

  it('two separate compute calls read every file twice', async () => {
    const df = air('gzip');
    const opens: Record<string, number> = {};
    for (const lazy of [df.col('DepDelay').max(), df.col('DepDelay').min()]) {
      await lazy;
      for (const [path, n] of Object.entries(ddf.lastComputeReport()!.opens)) opens[path] = (opens[path] ?? 0) + n;
    }
    expect(Object.values(opens)).toEqual([2, 2]);
  });

  it('explain() shows one shared scan of only the used columns feeding every result', () => {
    const df = air('none');
    const text = ddf.explain(df.col('DepDelay').max(), df.col('DepDelay').min(), df.col('Distance').mean());
    expect(text.match(/SharedScan/g)).toHaveLength(1);
    expect(text).toContain('reads: DepDelay, Distance;');
    expect(text).toContain('one pass feeds: stats(DepDelay); stats(Distance)');
    expect(df.col('DepDelay').min().explain()).toContain('columns: DepDelay\n');
  });

  it('parses only the columns used: a bad value in an unused column is never read', async () => {
    // CancellationCode holds letters; read as float64 it cannot parse. Unused, it is skipped.
    const df = ddf.readCsv(join(FIXTURES, GLOBS.none), { encoding: 'latin1', dtype: { CancellationCode: 'float64' } });
    expect(await df.col('DepDelay').max()).toBe(expected.columns.DepDelay!.max);
    await expect(df.col('CancellationCode').max()).rejects.toThrow(/column 'CancellationCode': value '[A-C]' is not a valid float64/);
  });

  it('equal work asked twice in one call runs once', async () => {
    const df = air('none');
    const [a, b] = await ddf.compute(df.col('DepDelay').mean(), df.col('DepDelay').mean());
    expect(a).toBe(b);
    expect(ddf.lastComputeReport()!.workerTasks).toBe(df.npartitions);
  });
});

describe('results do not depend on the schedule', () => {
  it('gives bit-identical answers on sync and threads with 1, 2 and 3 workers, and for any partitioning', async () => {
    const runs: number[][] = [];
    for (const blocksize of [null, 40_000]) {
      const df = air('none', { blocksize });
      if (blocksize !== null) expect(df.npartitions).toBeGreaterThan(4);
      const lazies = [df.col('DepDelay').sum(), df.col('DepDelay').min(), df.col('ArrDelay').max(), df.col('Distance').count()];
      runs.push(await ddf.compute(...lazies, { scheduler: 'sync' }));
      for (const numWorkers of [1, 2, 3]) runs.push(await ddf.compute(...lazies, { scheduler: 'threads', numWorkers, inlineBelowBytes: 0 }));
      // var/mean are bit-identical for one partitioning on every scheduler
      const moments = [df.col('DepDelay').var(), df.col('Distance').mean()];
      const sync = await ddf.compute(...moments, { scheduler: 'sync' });
      expect(await ddf.compute(...moments, { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 })).toEqual(sync);
      expect(await ddf.compute(...moments, { scheduler: 'threads', numWorkers: 2 })).toEqual(sync); // inline: small input
    }
    for (const run of runs) expect(run).toEqual(runs[0]);
  });

  it('the snippet from the issue runs verbatim', async () => {
    const air = ddf.readCsv(join(FIXTURES, 'airline/bz2/*.csv.bz2'), {
      encoding: 'latin1',
      dtype: { Distance: 'float64', CRSElapsedTime: 'float64', TailNum: 'string', CancellationCode: 'string' },
    });
    expect(await air.col('DepDelay').min()).toBe(expected.columns.DepDelay!.min);
    const [mx, mn] = await ddf.compute(air.col('DepDelay').max(), air.col('DepDelay').min());
    expect([mx, mn]).toEqual([expected.columns.DepDelay!.max, expected.columns.DepDelay!.min]);
    expect(await air.col('DepDelay').min().compute({ scheduler: 'sync' })).toBe(mn);
  });
});

describe('config', () => {
  it('config.set changes the default scheduler and worker count; per-call options override', async () => {
    ddf.config.set({ scheduler: 'sync' });
    try {
      await air('none').col('DepDelay').max();
      expect(ddf.lastComputeReport()!.scheduler).toBe('sync');
      await air('none').col('DepDelay').max().compute({ scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 });
      expect(ddf.lastComputeReport()).toMatchObject({ scheduler: 'threads', workers: 2, inline: false });
    } finally {
      ddf.config.reset();
    }
  });

  it('DUSK_NUM_WORKERS sets the default worker count', () => {
    process.env.DUSK_NUM_WORKERS = '3';
    try {
      expect(ddf.config.get().numWorkers).toBe(3);
      process.env.DUSK_NUM_WORKERS = 'lots';
      expect(() => ddf.config.get()).toThrow(/DUSK_NUM_WORKERS must be a positive integer/);
    } finally {
      delete process.env.DUSK_NUM_WORKERS;
    }
  });

  it('rejects unknown schedulers and bad worker counts', () => {
    expect(() => ddf.config.set({ scheduler: 'gpu' as ddf.SchedulerName })).toThrow(/scheduler must be one of/);
    expect(() => ddf.config.set({ numWorkers: 0 })).toThrow(/numWorkers must be a positive integer/);
  });

  it('refuses a misspelt option instead of ignoring it, naming the call, the key and the closest valid one', () => {
    const js = (options: object) => options as ddf.ComputeOptions; // what a JavaScript caller can pass
    expect(() => ddf.config.set(js({ schedulr: 'sync' }))).toThrow(/^config\.set: unknown option 'schedulr'\. Did you mean 'scheduler'\? Options: scheduler, numWorkers, chunksize, retries, progress, inlineBelowBytes, shuffleMemory, device, gpuFloat32, dashboard$/);
    expect(() => ddf.config.set(js({ num_workers: 2 }))).toThrow(/unknown option 'num_workers'\. Did you mean 'numWorkers'\?/);
    expect(() => ddf.config.set(js({ workers: 2 }))).toThrow(/unknown option 'workers'\. Did you mean 'numWorkers'\?/);
    expect(() => ddf.config.set(js({ color: 'red' }))).toThrow(/unknown option 'color'\. Options: scheduler/);
    expect(ddf.config.get().scheduler).toBe('threads'); // nothing was set
  });
});

describe('compute options and argument shapes', () => {
  it('a final options object with a misspelt key is refused, not computed as a value', async () => {
    const df = air('none');
    const js = (options: object) => options as ddf.ComputeOptions;
    await expect(ddf.compute(df.col('DepDelay').max(), js({ schedulr: 'sync' }))).rejects.toThrow(/^compute: unknown option 'schedulr'\. Did you mean 'scheduler'\?/);
    await expect(df.col('DepDelay').max().compute(js({ numworkers: 1 }))).rejects.toThrow(/unknown option 'numworkers'\. Did you mean 'numWorkers'\?/);
    expect(() => ddf.explain(df.col('DepDelay').max(), js({ progres: false }))).toThrow(/^explain: unknown option 'progres'\. Did you mean 'progress'\?/);
    // A plain object holding lazy values is a value; an empty final object is (no) options.
    expect(await ddf.compute({ mx: df.col('DepDelay').max() }, {})).toEqual([{ mx: expected.columns.DepDelay!.max }]);
  });

  it('explain takes every shape compute takes (nested arrays, objects, a final options object) and agrees with the flat call', async () => {
    const df = air('none');
    const [mx, mn, mean] = [df.col('DepDelay').max(), df.col('DepDelay').min(), df.col('Distance').mean()];
    const flat = ddf.explain(mx, mn, mean);
    const shapes: unknown[][] = [[[mx, mn, mean]], [[mx, [mn]], { m: mean }], [{ a: [mx, { b: mn }] }, mean, { scheduler: 'sync' }], [mx, mx, [mn, mean, mn]]];
    for (const shape of shapes) {
      expect(ddf.explain(...shape)).toBe(flat);
      expect(await ddf.compute(...shape)).toBeDefined();
      expect(Object.values(ddf.lastComputeReport()!.opens)).toEqual([1, 1]);
    }
    expect(await ddf.compute([mx, [mn]], { scheduler: 'sync' })).toEqual([[expected.columns.DepDelay!.max, [expected.columns.DepDelay!.min]]]);
    expect(() => ddf.explain([1, 2])).toThrow(/^explain: no lazy value among the arguments/);
  });

  it('a DataFrame or Series where a lazy value belongs is refused with what to pass instead', async () => {
    const df = air('none');
    await expect(ddf.compute(df)).rejects.toThrow(/^compute argument 0 is a DataFrame.*pass df\.toArrow\(\)/);
    expect(() => ddf.explain([df.col('DepDelay').max(), { s: df.col('Distance') }])).toThrow(/^explain argument 0\[1\]\.s is a Series \(column 'Distance'\).*\.max\(\)/);
  });
});

/** Runs fn with process.stderr.write captured; returns what was written. */
async function captureStderr(fn: () => Promise<unknown>): Promise<string> {
  const writes: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = original;
  }
  return writes.join('');
}

describe('progress', () => {
  it('draws a bar on stderr with tasks done, bytes read and MB/s when asked', async () => {
    const written = await captureStderr(() => air('none').col('DepDelay').max().compute({ progress: true, scheduler: 'sync' }));
    const last = written.trim().split('\n').pop()!;
    expect(last).toMatch(/\[█+\] 2\/2 tasks \| 0\.3 MB read \| [\d.]+ MB\/s \| [\d.]+ s/);
  });

  it('stays quiet by default when stderr is not a terminal', async () => {
    expect(await captureStderr(() => air('none').col('DepDelay').max().compute({ scheduler: 'sync' }))).toBe('');
  });
});
