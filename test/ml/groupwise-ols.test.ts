/**
 * Scenario 6 (groupwise fits): examples/scenario-6-ols-per-carrier.ts on generated airline shards
 * (scripts/gen_airline.py), against numpy's lstsq per carrier.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { olsPerCarrier } from '../../examples/scenario-6-ols-per-carrier.js';
import { tempDir } from '../helpers.js';

let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir('dusk-groupwise-ols-');
  execFileSync('python3', [join(import.meta.dirname, '..', '..', 'scripts', 'gen_airline.py'), '--out', dir.dir, '--shards', '3', '--rows-per-shard', '20000', '--compression', 'none', '--seed', '7', '--jobs', '1'], { stdio: 'ignore' });
});
afterAll(async () => {
  await ddf.shutdown();
  dir.remove();
});

/** numpy's lstsq of ArrDelay on [1, DepDelay, Distance] per carrier, rows with all three present (the CSV read by csv + numpy). */
function numpyFits(): Record<string, number[]> {
  const code = `
import csv, glob, json, sys, numpy as np
groups = {}
for f in sorted(glob.glob(sys.argv[1])):
    with open(f, encoding='latin-1', newline='') as fh:
        for row in csv.DictReader(fh):
            if 'NA' in (row['ArrDelay'], row['DepDelay'], row['Distance']) or row['UniqueCarrier'] == '':
                continue
            groups.setdefault(row['UniqueCarrier'], []).append((float(row['DepDelay']), float(row['Distance']), float(row['ArrDelay'])))
out = {}
for carrier, rows in groups.items():
    a = np.array(rows)
    A = np.column_stack([np.ones(len(a)), a[:, 0], a[:, 1]])
    out[carrier] = [len(a)] + np.linalg.lstsq(A, a[:, 2], rcond=None)[0].tolist()
print(json.dumps(out))`;
  return JSON.parse(execFileSync('python3', ['-c', code, join(dir.dir, '*.csv')], { encoding: 'utf8' })) as Record<string, number[]>;
}

describe("groupBy('UniqueCarrier').apply: OLS per carrier (scenario 6)", () => {
  it("equals numpy's lstsq per carrier (1e-8), carriers in key order, the same on sync, threads and processes", async () => {
    const want = numpyFits();
    const glob = join(dir.dir, '*.csv');
    const runs = [
      await olsPerCarrier(glob, { scheduler: 'sync' }),
      await olsPerCarrier(glob, { scheduler: 'threads', numWorkers: 2 }),
      await olsPerCarrier(glob, { scheduler: 'processes', numWorkers: 2 }),
    ];
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    const fits = runs[0]!;
    expect(fits.map((f) => f.UniqueCarrier)).toEqual(Object.keys(want).sort());
    for (const f of fits) {
      const [n, intercept, depDelay, distance] = want[f.UniqueCarrier]!;
      expect(f.n).toBe(n);
      [[f.intercept, intercept], [f.DepDelay, depDelay], [f.Distance, distance]].forEach(([got, w]) => expect(Math.abs(got! - w!) / Math.abs(w!)).toBeLessThan(1e-8));
    }
  }, 120_000);
});
