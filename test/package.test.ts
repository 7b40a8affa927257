import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers.js';

// These run the built package (npm test builds first), as a user's script would.
const ROOT = join(import.meta.dirname, '..');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'airline', 'expected.json'), 'utf8')) as { columns: Record<string, Record<string, number>> };

describe.runIf(existsSync(join(ROOT, 'dist', 'index.js')))('the built package', () => {
  it("import * as ddf from 'dusk' resolves by self-reference and runs the issue's snippet", () => {
    const script = `
      import * as ddf from 'dusk';
      const air = ddf.readCsv('fixtures/airline/bz2/*.csv.bz2', { encoding: 'latin1',
        dtype: { Distance: 'float64', CRSElapsedTime: 'float64', TailNum: 'string', CancellationCode: 'string' } });
      const min = await air.col('DepDelay').min();
      const [mx, mn] = await ddf.compute(air.col('DepDelay').max(), air.col('DepDelay').min());
      console.log(JSON.stringify({ min, mx, mn, opens: ddf.lastComputeReport().opens }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    const result = JSON.parse(out) as { min: number; mx: number; mn: number; opens: Record<string, number> };
    expect(result).toMatchObject({ min: expected.columns.DepDelay!.min, mx: expected.columns.DepDelay!.max, mn: expected.columns.DepDelay!.min });
    expect(Object.values(result.opens)).toEqual([1, 1]);
  });

  it('a script given with node -e can use the processes scheduler: workers do not re-run the script', () => {
    const script = `
      import * as ddf from 'dusk';
      const df = ddf.readCsv('fixtures/airline/none/*.csv', { encoding: 'latin1' });
      console.log(JSON.stringify(await df.col('DepDelay').max().compute({ scheduler: 'processes', numWorkers: 2, inlineBelowBytes: 0 })));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(out)).toBe(expected.columns.DepDelay!.max);
  });

  it('dusk agg computes several aggregates in one pass and prints them', () => {
    const out = execFileSync(process.execPath, ['dist/cli/main.js', 'agg', 'fixtures/airline/gz/*.csv.gz', 'DepDelay:min', 'DepDelay:max', 'DepDelay:mean', '--encoding', 'latin1', '--json'], { cwd: ROOT, encoding: 'utf8' });
    const { results, report } = JSON.parse(out) as { results: Record<string, number>; report: { opens: Record<string, number> } };
    expect(results['DepDelay:min']).toBe(expected.columns.DepDelay!.min);
    expect(results['DepDelay:max']).toBe(expected.columns.DepDelay!.max);
    expect(Math.abs(results['DepDelay:mean']! - expected.columns.DepDelay!.mean!)).toBeLessThan(1e-12);
    expect(Object.values(report.opens)).toEqual([1, 1]);
  });

  it('dusk schema lists columns with inferred dtypes; errors go to stderr with exit code 2', () => {
    const out = execFileSync(process.execPath, ['dist/cli/main.js', 'schema', 'fixtures/airline/none/2001.csv'], { cwd: ROOT, encoding: 'utf8' });
    expect(out).toMatch(/^1 partition\(s\)\nYear\s+int32\n/);
    expect(out).toMatch(/TailNum\s+string/);
    const bad = spawnSync(process.execPath, ['dist/cli/main.js', 'agg', 'fixtures/airline/none/*.csv', 'DepDelya:min'], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Unknown column 'DepDelya'\. Did you mean 'DepDelay'\?/);
  });

  it('dusk agg computes every registry aggregate the CLI can name (median, quantile=Q, std=DDOF, nunique, first, last, len) in one pass', () => {
    const specs = ['DepDelay:median', 'DepDelay:quantile=0.9', 'DepDelay:std=0', 'DepDelay:nunique', 'DepDelay:first', 'Origin:last', 'DepDelay:len', 'DepDelay:count'];
    const out = execFileSync(process.execPath, ['dist/cli/main.js', 'agg', 'fixtures/airline/none/*.csv', ...specs, '--encoding', 'latin1', '--json', '--scheduler', 'sync'], { cwd: ROOT, encoding: 'utf8' });
    const { results, report } = JSON.parse(out) as { results: Record<string, number | string>; report: { opens: Record<string, number>; scheduler: string } };
    // The oracle: the same values computed here from the parsed CSV.
    const rows = ['2001', '2002'].flatMap((y) => readFileSync(join(ROOT, `fixtures/airline/none/${y}.csv`), 'latin1').trim().split('\n').slice(1).map((l) => l.split(',')));
    const header = readFileSync(join(ROOT, 'fixtures/airline/none/2001.csv'), 'latin1').split('\n')[0]!.split(',');
    const dep = rows.map((r) => r[header.indexOf('DepDelay')]!).filter((v) => v !== 'NA').map(Number);
    const sorted = [...dep].sort((a, b) => a - b);
    const at = (q: number) => {
      const pos = q * (sorted.length - 1);
      const lo = Math.floor(pos);
      return sorted[lo]! + (pos - lo) * ((sorted[lo + 1] ?? sorted[lo]!) - sorted[lo]!);
    };
    const mean = dep.reduce((a, b) => a + b, 0) / dep.length;
    expect(results['DepDelay:median']).toBe(at(0.5));
    expect(results['DepDelay:quantile=0.9']).toBeCloseTo(at(0.9), 12);
    expect(results['DepDelay:std=0']).toBeCloseTo(Math.sqrt(dep.reduce((a, v) => a + (v - mean) ** 2, 0) / dep.length), 9);
    expect(results['DepDelay:nunique']).toBe(new Set(dep).size);
    expect(results['DepDelay:first']).toBe(Number(rows[0]![header.indexOf('DepDelay')]));
    expect(results['Origin:last']).toBe(rows[rows.length - 1]![header.indexOf('Origin')]);
    expect(results['DepDelay:len']).toBe(rows.length);
    expect(results['DepDelay:count']).toBe(dep.length);
    expect(report.scheduler).toBe('sync');
    expect(Object.values(report.opens)).toEqual([1, 1]);
  });

  it('dusk agg names an unsupported op with the closest and every supported one; flags and --scheduler are checked', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['dist/cli/main.js', ...args], { cwd: ROOT, encoding: 'utf8' });
    const files = 'fixtures/airline/none/*.csv';
    const mode = run('agg', files, 'DepDelay:mode');
    expect(mode.status).toBe(2);
    expect(mode.stderr).toBe("dusk: 'DepDelay:mode': unsupported aggregate 'mode'. Supported: count, len, sum, mean, min, max, var=ddof, std=ddof, nunique, first, last, median, quantile=q\n");
    expect(run('agg', files, 'DepDelay:medain').stderr).toMatch(/unsupported aggregate 'medain'\. Did you mean 'median'\?/);
    expect(run('agg', files, 'DepDelay:quantile').stderr).toMatch(/quantile needs q, a number from 0 to 1 \(e\.g\. DepDelay:quantile=0\.9\)/);
    const flag = run('agg', files, 'DepDelay:max', '--schedulr', 'sync');
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/^dusk: unknown option '--schedulr'\. Did you mean '--scheduler'\?/);
    expect(run('agg', files, 'DepDelay:max', '--scheduler', 'thread').stderr).toMatch(/--scheduler must be one of sync, threads, processes, distributed; got 'thread'\. Did you mean 'threads'\?/);
    expect(run('agg', files, 'DepDelay:max', '--workers', 'two').stderr).toMatch(/--workers takes a positive integer, got 'two'/);
    const processes = run('agg', files, 'DepDelay:max', '--encoding', 'latin1', '--scheduler', 'processes', '--workers', '2', '--inline-below', '0', '--json');
    expect(processes.status).toBe(0);
    expect(JSON.parse(processes.stdout)).toMatchObject({ results: { 'DepDelay:max': expected.columns.DepDelay!.max }, report: { scheduler: 'processes', workers: 2 } });
    expect(run('--help').stdout).toMatch(/--scheduler NAME +where tasks run: sync, threads, processes, distributed/);
  });
});
