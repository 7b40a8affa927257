/**
 * split_out: a group-by with many groups merges in hash lanes on the workers. On a real CSV
 * with ~155,000 keys in 3 partitions (~79,000 in each) the lanes are chosen from the partials ('auto') and give
 * the same table as one merge (splitOut: 1) and as a plain-JS reference, on every scheduler.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { mergeOrDefer, isDeferred } from '../../src/aggregates/lanes.js';
import { newGroupedAccumulator, accumulateBatch, partialOf } from '../../src/aggregates/grouped.js';
import { computeLazies } from '../../src/frame/compute.js';
import type { Table } from 'apache-arrow';
import { rng, tempDir } from '../helpers.js';

const { col } = ddf;
const ROWS = 300_000;
const KEYS = 200_000;
const temp = tempDir('dusk-split-out-');
const file = join(temp.dir, 'many-groups.csv');
/** key → [count, sum of v, count of v] in plain JS. */
const reference = new Map<number, [number, number, number]>();
const firstSeen: number[] = [];

beforeAll(() => {
  const random = rng(5);
  const lines = ['k,tag,v'];
  for (let i = 0; i < ROWS; i++) {
    const k = Math.floor(random() * KEYS);
    const v = random() < 0.1 ? null : Math.round(random() * 1000) / 8;
    lines.push(`${k},t${k % 7},${v ?? ''}`);
    let r = reference.get(k);
    if (!r) {
      r = [0, 0, 0];
      reference.set(k, r);
      firstSeen.push(k);
    }
    r[0] += 1;
    if (v !== null) {
      r[1] += v;
      r[2] += 1;
    }
  }
  writeFileSync(file, lines.join('\n') + '\n');
});

afterAll(async () => {
  await ddf.shutdown();
  temp.remove();
});

function byKey(splitOut: number | 'auto', sort = true) {
  const df = ddf.readCsv(file, { blocksize: 2 << 20 });
  return df.groupBy(['k', 'tag'], { splitOut, sort }).agg({ n: ddf.len(), s: col('v').sum(), c: col('v').count() });
}

function rowsOf(table: Table): [number, string, number, number, number][] {
  const k = table.getChild('k')!.toArray();
  const tag = table.getChild('tag')!.toArray();
  const n = table.getChild('n')!.toArray();
  const s = table.getChild('s')!.toArray();
  const c = table.getChild('c')!.toArray();
  return Array.from({ length: table.numRows }, (_, i) => [Number(k[i]), String(tag[i]), Number(n[i]), s[i] as number, Number(c[i])]);
}

describe('groupBy split_out', () => {
  it('many groups: the lanes give one merge’s table, sorted and first-seen, on sync and threads', async () => {
    const want = JSON.stringify([...reference.keys()].sort((a, b) => a - b).map((k) => {
      const [n, s, c] = reference.get(k)!;
      return [k, `t${k % 7}`, n, s, c];
    }));
    // Lanes: 'auto' gives one per worker (none on sync), splitOut: 3 gives 3 everywhere.
    for (const [scheduler, autoLanes] of [['sync', 0], ['threads', 3]] as const) {
      // Lanes that merged something (a lane gets nothing when the partials were merged already).
      let lanesUsed = 0;
      const hooks = () => ({ onResult: (key: string, value: unknown) => void (key.startsWith('merge-lane-') && value !== null && lanesUsed++) });
      const [auto, one, forced, unsorted] = (await computeLazies(
        [byKey('auto').toArrow(), byKey(1).toArrow(), byKey(3).toArrow(), byKey('auto', false).toArrow()],
        { scheduler, numWorkers: 3, inlineBelowBytes: 0 },
        undefined,
        hooks,
      )) as Table[];
      // As text: a deep comparison of 155,000 rows is slow.
      expect(JSON.stringify(rowsOf(auto!)), scheduler).toBe(want);
      expect(JSON.stringify(rowsOf(one!)), scheduler).toBe(want);
      expect(JSON.stringify(rowsOf(forced!)), scheduler).toBe(want);
      expect(JSON.stringify(rowsOf(unsorted!).map((r) => r[0])), `${scheduler}, first-seen order`).toBe(JSON.stringify(firstSeen));
      // 'auto' chose the lanes from the partials (~79,000 groups each), twice; the forced 3 too.
      expect(lanesUsed, scheduler).toBe(autoLanes + 3 + autoLanes);
    }
    // On threads the lanes ran as worker tasks: the scans + 3 (auto) + 3 (forced) + 3 (unsorted).
    const partitions = ddf.readCsv(file, { blocksize: 2 << 20 }).npartitions;
    expect(partitions).toBe(3);
    expect(ddf.lastComputeReport()!.workerTasks).toBe(partitions + 3 + 3 + 3);
  });

  it('a merge step defers to the lanes only when a partial shows many groups', () => {
    const input = { columns: ['k'], dtypes: { k: 'int32' as const } };
    const partialWith = (groups: number) => {
      const acc = newGroupedAccumulator(['k'], [{ name: 'n', aggregate: 'len', column: null }], input);
      const values = Int32Array.from({ length: groups }, (_, i) => i);
      accumulateBatch(acc, { length: groups, names: ['k'], columns: [{ dtype: 'int32', length: groups, nullCount: 0, validity: null, values }] });
      return partialOf(acc);
    };
    expect(isDeferred(mergeOrDefer([partialWith(10), partialWith(20)], 1000))).toBe(false);
    expect(isDeferred(mergeOrDefer([partialWith(10), partialWith(1000)], 1000))).toBe(true);
  });

  it('explain shows the lanes; a bad splitOut is refused when the query is built', () => {
    expect(ddf.explain(byKey(3).toArrow())).toMatch(/split_out=3 .*\n[^]*split_out: final merge in 3 lanes\)/);
    expect(ddf.explain(byKey('auto').toArrow(), { numWorkers: 4, inlineBelowBytes: 0 })).toMatch(/split_out: final merge in 4 lanes once a partial has 65536 groups/);
    expect(ddf.explain(byKey('auto').toArrow(), { scheduler: 'sync' })).not.toMatch(/split_out/);
    expect(() => byKey(0)).toThrow(/splitOut must be 'auto' or a whole number of lanes from 1 to 256, not 0/);
    expect(() => byKey(2.5)).toThrow(/not 2.5/);
  });
});
