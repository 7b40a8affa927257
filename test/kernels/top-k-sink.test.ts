/**
 * The top-k sink: fed many batches (more rows than it keeps before cutting back), it gives the
 * first n rows of a stable sort of everything it was fed; partials merged in order give the
 * whole input's first n. And over a CSV, a top-k is one more consumer of the shared scan.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import type { ColumnBatch, ColumnDataOf } from '../../src/core/column-data.js';
import { topKSink, type TopKSpec } from '../../src/kernels/sinks/top-k.js';
import { rng, tempDir } from '../helpers.js';

const temp = tempDir('dusk-top-k-');
afterAll(() => temp.remove());

function batch(keys: number[], ids: number[]): ColumnBatch {
  const validity = new Uint8Array((keys.length + 7) >> 3);
  let nulls = 0;
  keys.forEach((k, i) => (Number.isNaN(k) && i % 2 === 0 ? nulls++ : (validity[i >> 3]! |= 1 << (i & 7))));
  return {
    length: keys.length,
    names: ['k', 'id'],
    columns: [
      { dtype: 'float64', length: keys.length, nullCount: nulls, validity: nulls > 0 ? validity : null, values: Float64Array.from(keys) },
      { dtype: 'int32', length: ids.length, nullCount: 0, validity: null, values: Int32Array.from(ids) },
    ],
  };
}

const idsOf = (batches: ColumnBatch[]) => batches.flatMap((b) => [...(b.columns[1] as ColumnDataOf<'int32'>).values]);

describe('top-k sink', () => {
  const random = rng(3);
  const N = 200_000;
  // Few distinct keys (many ties), some NaN (every other one a null instead).
  const keys = Array.from({ length: N }, () => (random() < 0.01 ? Number.NaN : Math.floor(random() * 500)));
  const ids = Array.from({ length: N }, (_, i) => i);
  const reference = (n: number, descending: boolean, dropMissing: boolean) =>
    ids
      .filter((i) => !dropMissing || !Number.isNaN(keys[i]!))
      .sort((a, b) => {
        const ka = keys[a]!;
        const kb = keys[b]!;
        const ma = Number.isNaN(ka);
        const mb = Number.isNaN(kb);
        // nulls last (whatever the direction), NaN after numbers (first when descending)
        const na = ma && a % 2 === 0;
        const nb = mb && b % 2 === 0;
        if (na !== nb) return na ? 1 : -1;
        if (ma !== mb) return (ma ? 1 : -1) * (descending ? -1 : 1);
        return (descending ? kb - ka : ka - kb) || a - b;
      })
      .slice(0, n);

  for (const [n, descending, dropMissing] of [[10, true, true], [1000, false, false], [70_000, true, false]] as const) {
    it(`keeps the first ${n} of ${N} rows fed 5,000 at a time (${descending ? 'descending' : 'ascending'}${dropMissing ? ', missing keys dropped' : ''}), in two partials merged in order`, () => {
      const spec: TopKSpec = { kind: 'top-k', order: { keys: [{ column: 'k', descending }], nullsFirst: false }, n, dropMissing };
      const partials = [0, N / 2].map((start) => {
        let acc = topKSink.init(spec);
        for (let at = start; at < start + N / 2; at += 5000) acc = topKSink.update(spec, acc, batch(keys.slice(at, at + 5000), ids.slice(at, at + 5000)));
        return topKSink.seal(spec, acc);
      });
      expect(idsOf(topKSink.finish(spec, topKSink.merge(spec, partials)))).toEqual(reference(n, descending, dropMissing));
    });
  }

  it('over a CSV is fed by the shared scan, with the other results of the compute (one read)', async () => {
    const file = join(temp.dir, 'k.csv');
    writeFileSync(file, ['k,id', ...Array.from({ length: 3000 }, (_, i) => `${(i * 7919) % 101},${i}`)].join('\n') + '\n');
    const air = ddf.readCsv(file, { blocksize: 8000 });
    const top = air.nlargest(5, 'k');
    expect(ddf.explain(top.toArrow(), air.col('k').mean())).toMatch(/one pass feeds: .*top-k|one pass feeds: .*top 5/);
    const [rows, mean] = await ddf.compute(top.toColumns(), air.col('k').mean(), { scheduler: 'threads', inlineBelowBytes: 0 });
    const expected = Array.from({ length: 3000 }, (_, i) => ({ k: (i * 7919) % 101, id: i })).sort((a, b) => b.k - a.k || a.id - b.id).slice(0, 5);
    expect(rows).toEqual({ k: expected.map((r) => r.k), id: expected.map((r) => r.id) });
    expect(mean).toBeCloseTo(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 101).reduce((a, b) => a + b, 0) / 3000, 10);
    // Each byte-range partition opened once: one pass for both results.
    expect(air.npartitions).toBeGreaterThan(1);
    expect(Object.values(ddf.lastComputeReport()!.opens)).toEqual([air.npartitions]);
  });
});
