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
      console.log(JSON.stringify(await df.col('DepDelay').max().compute({ scheduler: 'processes', numWorkers: 2 })));`;
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
});
