/**
 * Joins against DuckDB: generated CSV shards (null keys, duplicate keys on both sides, keys
 * on one side only) joined on one int key, int32 against float64, two columns, and category
 * against string; every how × strategy on sync and threads (and processes once), compared as
 * sorted multisets with DuckDB's rows, and row for row across schedulers (the order must not
 * depend on the schedule). Then the plan: errors, pushed-down columns and filters, and no
 * second shuffle of a frame already hashed by the key.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { optimize } from '../../src/plan/optimize/index.js';
import { lowerToGraph } from '../../src/plan/physical/lower.js';
import { errorOf, rng, tempDir } from '../helpers.js';

const { col } = ddf;
type How = NonNullable<ddf.JoinOptions['how']>;
type Strategy = NonNullable<ddf.JoinOptions['strategy']>;
const HOWS: How[] = ['inner', 'left', 'right', 'outer', 'semi', 'anti'];
const WORDS = ['ant', 'bee', 'cat', 'dog', 'eel', 'fox', 'gnu'];

let dir: string;
let remove: () => void;
let instance: DuckDBInstance;
let connection: Awaited<ReturnType<DuckDBInstance['connect']>>;
let left: ddf.DataFrame;
let right: ddf.DataFrame;

const LEFT_COLUMNS = ['id', 'k1', 'k2', 'cat', 'v', 'x'];
const RIGHT_COLUMNS = ['k1', 'k1f', 'k2', 'cat', 'v', 'w'];

function writeData(): void {
  const random = rng(13);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const na = (p: number, v: string) => (random() < p ? 'NA' : v);
  let id = 0;
  for (let s = 0; s < 3; s++) {
    const lines = [LEFT_COLUMNS.join(',')];
    for (let r = 0; r < 400; r++) {
      lines.push([String(id++), na(0.05, String(Math.floor(random() * 60))), na(0.05, pick(WORDS)), na(0.05, pick(WORDS)), (random() * 100).toFixed(2), na(0.1, (random() * 10).toFixed(1))].join(','));
    }
    writeFileSync(join(dir, `left-${s}.csv`), `${lines.join('\n')}\n`);
  }
  for (let s = 0; s < 2; s++) {
    const lines = [RIGHT_COLUMNS.join(',')];
    for (let r = 0; r < 60; r++) {
      const k = Math.floor(random() * 80) - 10;
      // k1f: mostly k1 as a float, sometimes a non-whole number (matches no int).
      const kf = random() < 0.1 ? `${k}.5` : `${k}.0`;
      lines.push([na(0.05, String(k)), na(0.05, kf), na(0.05, pick(WORDS)), na(0.05, pick([...WORDS, 'yak'])), (random() * 100).toFixed(2), na(0.1, `w${r}`)].join(','));
    }
    writeFileSync(join(dir, `right-${s}.csv`), `${lines.join('\n')}\n`);
  }
}

/** A join as Dusk's options and as the ON clause / key columns DuckDB needs. */
interface KeyCase {
  name: string;
  options: ddf.JoinOptions;
  /** Left and right key columns, paired. */
  leftKeys: string[];
  rightKeys: string[];
  shared: boolean;
}

const KEY_CASES: KeyCase[] = [
  { name: 'on int32', options: { on: 'k1' }, leftKeys: ['k1'], rightKeys: ['k1'], shared: true },
  { name: 'int32 = float64', options: { leftOn: 'k1', rightOn: 'k1f' }, leftKeys: ['k1'], rightKeys: ['k1f'], shared: false },
  { name: 'on two columns', options: { on: ['k1', 'k2'] }, leftKeys: ['k1', 'k2'], rightKeys: ['k1', 'k2'], shared: true },
  { name: 'category = string', options: { on: 'cat' }, leftKeys: ['cat'], rightKeys: ['cat'], shared: true },
];

/** The output columns pandas' merge gives (the right's clashing names suffixed) and DuckDB's select list for them. */
function expectedColumns(c: KeyCase, how: How): { names: string[]; sql: string[] } {
  const names: string[] = [];
  const sql: string[] = [];
  for (const l of LEFT_COLUMNS) {
    names.push(l);
    const at = c.shared ? c.leftKeys.indexOf(l) : -1;
    sql.push(at >= 0 && (how === 'right' || how === 'outer') ? `coalesce(l.${l}, r.${c.rightKeys[at]})` : `l.${l}`);
  }
  if (how === 'semi' || how === 'anti') return { names, sql };
  for (const r of RIGHT_COLUMNS) {
    if (c.shared && c.rightKeys.includes(r)) continue;
    names.push(LEFT_COLUMNS.includes(r) ? `${r}_right` : r);
    sql.push(`r.${r}`);
  }
  return { names, sql };
}

function duckSql(c: KeyCase, how: How): string {
  const on = c.leftKeys.map((k, i) => `l.${k} = r.${c.rightKeys[i]}`).join(' AND ');
  const { sql } = expectedColumns(c, how);
  const kind = { inner: 'INNER', left: 'LEFT', right: 'RIGHT', outer: 'FULL OUTER', semi: 'SEMI', anti: 'ANTI' }[how];
  return `SELECT ${sql.join(', ')} FROM l ${kind} JOIN r ON ${on}`;
}

function normalize(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return Number(value);
  return value;
}

async function duckRows(sql: string): Promise<unknown[][]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRows().map((row) => row.map(normalize));
}

async function duskRows(frame: ddf.DataFrame, options: ddf.ComputeOptions): Promise<unknown[][]> {
  const [table] = await ddf.compute(frame.toArrow(), options);
  const names = frame.columns;
  return table.toRecords().map((r) => names.map((n) => normalize(r[n])));
}

const sorted = (rows: unknown[][]): string[] => rows.map((r) => JSON.stringify(r)).sort();

function strategies(how: How): Strategy[] {
  return how === 'outer' ? ['auto', 'shuffle'] : ['auto', 'shuffle', 'broadcast'];
}

beforeAll(async () => {
  ({ dir, remove } = tempDir());
  writeData();
  left = ddf.readCsv(join(dir, 'left-*.csv'), { dtype: { id: 'int32', k1: 'int32', k2: 'string', cat: 'category', v: 'float64', x: 'float64' } });
  right = ddf.readCsv(join(dir, 'right-*.csv'), { dtype: { k1: 'int32', k1f: 'float64', k2: 'string', cat: 'string', v: 'float64', w: 'string' } });
  instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  connection = await instance.connect();
  await connection.run(`CREATE TABLE l AS SELECT * FROM read_csv('${join(dir, 'left-*.csv')}', nullstr = 'NA', header = true,
    columns = {'id': 'INTEGER', 'k1': 'INTEGER', 'k2': 'VARCHAR', 'cat': 'VARCHAR', 'v': 'DOUBLE', 'x': 'DOUBLE'})`);
  await connection.run(`CREATE TABLE r AS SELECT * FROM read_csv('${join(dir, 'right-*.csv')}', nullstr = 'NA', header = true,
    columns = {'k1': 'INTEGER', 'k1f': 'DOUBLE', 'k2': 'VARCHAR', 'cat': 'VARCHAR', 'v': 'DOUBLE', 'w': 'VARCHAR'})`);
});

afterAll(async () => {
  connection?.closeSync();
  instance?.closeSync();
  remove?.();
  await ddf.shutdown();
});

describe('join against DuckDB', () => {
  for (const c of KEY_CASES) {
    for (const how of HOWS) {
      it(`${c.name}, ${how}: every strategy, sync and threads`, async () => {
        const expected = sorted(await duckRows(duckSql(c, how)));
        expect(expected.length).toBeGreaterThan(0);
        for (const strategy of strategies(how)) {
          const frame = left.join(right, { ...c.options, how, strategy });
          expect(frame.columns).toEqual(expectedColumns(c, how).names);
          const sync = await duskRows(frame, { scheduler: 'sync' });
          expect(sorted(sync), `${strategy} on sync`).toEqual(expected);
          const threads = await duskRows(frame, { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 });
          // The same rows in the same order, whatever ran where.
          expect(threads, `${strategy} on threads`).toEqual(sync);
        }
      });
    }
  }

  it('processes give the rows sync gives, in the same order', async () => {
    for (const [how, strategy] of [['outer', 'shuffle'], ['right', 'broadcast'], ['left', 'auto']] as [How, Strategy][]) {
      const frame = left.join(right, { on: 'k1', how, strategy });
      const sync = await duskRows(frame, { scheduler: 'sync' });
      expect(sorted(sync)).toEqual(sorted(await duckRows(duckSql(KEY_CASES[0]!, how))));
      expect(await duskRows(frame, { scheduler: 'processes', numWorkers: 2, inlineBelowBytes: 0 })).toEqual(sync);
    }
  }, 60_000);

  it('a join then a groupBy, and a filter on each side pushed below the join', async () => {
    const frame = left
      .join(right, { on: 'k1', how: 'inner', strategy: 'shuffle' })
      .filter(col('x').gt(2).and(col('v_right').lt(80)))
      .groupBy('k2')
      .agg({ n: ddf.len(), s: col('v').sum() });
    const plan = ddf.explain(frame.toArrow());
    // Each side is filtered before the join (the right one by its own column name, v).
    expect(plan).toMatch(/Join inner on \[k1\] \(shuffle into 3 partitions\) → \[k2, v\]\n\s+Filter \(col\("x"\) > 2\)\n\s+Scan csv/);
    expect(plan).toMatch(/\n\s+Filter \(col\("v"\) < 80\)\n\s+Scan csv .*right/);
    const expected = await duckRows('SELECT l.k2, count(*) AS n, sum(l.v) AS s FROM l JOIN r ON l.k1 = r.k1 WHERE l.x > 2 AND r.v < 80 GROUP BY l.k2 HAVING l.k2 IS NOT NULL ORDER BY l.k2');
    const got = await duskRows(frame, { scheduler: 'threads', inlineBelowBytes: 0 });
    expect(got.map((r) => [r[0], r[1]])).toEqual(expected.map((r) => [r[0], r[1]]));
    got.forEach((r, i) => expect(r[2] as number).toBeCloseTo(expected[i]![2] as number, 6));
  });

  it('a filter on the kept side of a left join is not pushed below it (its nulls would come back)', async () => {
    const frame = left.join(right, { on: 'k1', how: 'left' }).filter(col('w').isNull());
    const plan = ddf.explain(frame.toArrow());
    expect(plan.split('\n')[0]).toMatch(/^Filter/);
    expect(sorted(await duskRows(frame, { scheduler: 'sync' }))).toEqual(sorted(await duckRows(`${duckSql(KEY_CASES[0]!, 'left')} WHERE r.w IS NULL`)));
  });
});

describe('join plans', () => {
  it('reads only the columns the result uses from each side', () => {
    const plan = ddf.explain(left.join(right, { on: 'k1' }).select('id', 'w').toArrow());
    expect(plan).toMatch(/SharedScan csv .*left.*; reads: id, k1;/);
    expect(plan).toMatch(/SharedScan csv .*right.*; reads: k1, w;/);
  });

  it('a pruned left column does not rename a right column', async () => {
    const frame = left.join(right, { on: 'k1', how: 'inner' }).select('id', 'v_right');
    const rows = await duskRows(frame, { scheduler: 'sync' });
    expect(sorted(rows)).toEqual(sorted(await duckRows('SELECT l.id, r.v FROM l JOIN r ON l.k1 = r.k1')));
  });

  function shuffleSplits(frame: ddf.DataFrame): number {
    const { graph } = lowerToGraph(optimize([frame.plan]), { workers: 2 });
    return [...graph.tasks.values()].filter((t) => t.spec.op === 'shuffle-split').length;
  }

  it('a frame already shuffled by the key is not shuffled again', async () => {
    const l4 = left.shuffle('k1', { npartitions: 4 });
    const r4 = right.shuffle('k1', { npartitions: 4 });
    const both = l4.join(r4, { on: 'k1', how: 'outer' });
    expect(both.npartitions).toBe(4);
    // Only the two explicit shuffles split rows: 3 left partitions + 2 right ones.
    expect(shuffleSplits(both)).toBe(5);
    expect(ddf.explain(both.toArrow())).toMatch(/Join outer on \[k1\] \(shuffle into 4 partitions\)/);
    // One side hashed by its key: the other is shuffled to its count, it is not moved.
    const one = l4.join(right, { on: 'k1', how: 'outer' });
    expect(one.npartitions).toBe(4);
    expect(shuffleSplits(one)).toBe(5);
    // Shuffled by another key: both sides move.
    expect(shuffleSplits(left.shuffle('k2', { npartitions: 4 }).join(right, { on: 'k1', how: 'outer' }))).toBe(3 + 4 + 2);
    // A join's result is hashed by its keys: a second join on them moves only the new side.
    const again = both.join(right.select('k1', 'w'), { on: 'k1', how: 'inner', strategy: 'shuffle' });
    expect(shuffleSplits(again)).toBe(5 + 2);
    const expected = await duckRows('SELECT count(*) FROM (SELECT coalesce(l.k1, r.k1) AS k1 FROM l FULL OUTER JOIN r ON l.k1 = r.k1) j JOIN r ON j.k1 = r.k1');
    expect((await duskRows(again, { scheduler: 'threads', inlineBelowBytes: 0 })).length).toBe(expected[0]![0]);
  });

  it('a join outputs only the columns its parent uses (the key a group-by drops is not gathered)', async () => {
    const frame = left.join(right, { on: 'k1', how: 'inner' }).groupBy('k2').agg({ n: ddf.len(), s: col('v_right').sum() });
    const plan = ddf.explain(frame.toArrow());
    expect(plan).toMatch(/Join inner on \[k1\] \(broadcast right\) → \[k2, v_right\]\n/);
    const { graph } = lowerToGraph(optimize([frame.plan]), { workers: 2 });
    const joins = [...graph.tasks.values()].filter((t) => t.spec.op === 'hash-join');
    expect(joins.length).toBe(3);
    for (const t of joins) expect((t.spec.args as { columns: { name: string }[] }).columns.map((c) => c.name)).toEqual(['k2', 'v_right']);
    const expected = await duckRows('SELECT l.k2, count(*) AS n, sum(r.v) AS s FROM l JOIN r ON l.k1 = r.k1 GROUP BY l.k2 HAVING l.k2 IS NOT NULL ORDER BY l.k2');
    for (const options of [{ scheduler: 'sync' }, { scheduler: 'threads', inlineBelowBytes: 0 }] as ddf.ComputeOptions[]) {
      const got = await duskRows(frame, options);
      expect(got.map((r) => [r[0], r[1]])).toEqual(expected.map((r) => [r[0], r[1]]));
      got.forEach((r, i) => expect(r[2] as number).toBeCloseTo(expected[i]![2] as number, 6));
    }
    // Nothing used but the row count: one column is still output, and the count is right.
    const count = await ddf.compute(left.join(right, { on: 'k1', how: 'inner' }).select({ n: ddf.len() }).toArrow());
    const [[n]] = await duckRows('SELECT count(*) FROM l JOIN r ON l.k1 = r.k1');
    expect(Number(count[0].toRecords()[0]!.n)).toBe(n);
  });

  it('a broadcast side hashed on a worker is never served for other data (two in-memory tables, one warm pool)', async () => {
    const keys = Int32Array.from({ length: 80 }, (_, i) => i - 10);
    const table = (tag: string) => ddf.fromArrow(tableFromArrays({ k1: keys, tag: Array.from(keys, (k) => `${tag}${k}`) }));
    const options: ddf.ComputeOptions = { scheduler: 'threads', numWorkers: 2, inlineBelowBytes: 0 };
    const cacheKeys: string[] = [];
    for (const tag of ['one-', 'two-', 'one-']) {
      const frame = left.join(table(tag), { on: 'k1', how: 'inner', strategy: 'broadcast' }).select('k1', 'tag');
      const { graph } = lowerToGraph(optimize([frame.plan]), { workers: 2 });
      const joins = [...graph.tasks.values()].filter((t) => t.spec.op === 'hash-join');
      const keyOf = (t: (typeof joins)[number]) => (t.spec.args as { buildCacheKey?: string }).buildCacheKey;
      // Every partition task of one join names the same broadcast side, the task it depends on.
      expect(new Set(joins.map(keyOf)).size).toBe(1);
      expect(keyOf(joins[0]!)!.startsWith(`${joins[0]!.deps[1]}:`)).toBe(true);
      cacheKeys.push(keyOf(joins[0]!)!);
      const rows = await duskRows(frame, options);
      const [[n]] = await duckRows('SELECT count(*) FROM l WHERE k1 BETWEEN -10 AND 69');
      expect(rows.length).toBe(n);
      for (const [k, t] of rows) expect(t).toBe(`${tag}${k}`);
    }
    // A new frame of the same values is new data to the cache: its own key.
    expect(new Set(cacheKeys).size).toBe(3);
  });

  it("'auto' broadcasts a small side and shuffles an outer join", () => {
    expect(ddf.explain(left.join(right, { on: 'k1', how: 'left' }).toArrow())).toMatch(/Join left on \[k1\] \(broadcast right\)/);
    expect(ddf.explain(left.join(right, { on: 'k1', how: 'right' }).toArrow())).toMatch(/Join right on \[k1\] \(broadcast left\)/);
    expect(ddf.explain(left.join(right, { on: 'k1', how: 'outer' }).toArrow())).toMatch(/Join outer on \[k1\] \(shuffle into 3 partitions\)/);
    // An aggregate's rows count as small.
    const counts = right.groupBy('k1').agg({ n: ddf.len() });
    expect(ddf.explain(left.join(counts, { on: 'k1', how: 'inner' }).toArrow())).toMatch(/\(broadcast right\)/);
  });
});

describe('join errors', () => {
  it('names the side and the column, and refuses contradictory or unknown options', () => {
    expect(errorOf(() => left.join(right, { on: 'nope' })).message).toMatch(/Unknown column 'nope' in join's left frame \(on\)/);
    expect(errorOf(() => left.join(right, { leftOn: 'k1', rightOn: 'kf' })).message).toMatch(/Unknown column 'kf' in join's right frame \(rightOn\)\. Did you mean 'k1'\?/);
    expect(errorOf(() => left.join(right, { on: 'id' })).message).toMatch(/in join's right frame/);
    expect(errorOf(() => left.join(right, { on: 'k1', leftOn: 'k1' })).message).toMatch(/either on, or leftOn with rightOn, not both/);
    expect(errorOf(() => left.join(right, { leftOn: 'k1' })).message).toMatch(/leftOn needs rightOn/);
    expect(errorOf(() => left.join(right, {})).message).toMatch(/say which columns to join on/);
    expect(errorOf(() => left.join(right, { leftOn: ['k1', 'k2'], rightOn: 'k1' })).message).toMatch(/leftOn has 2 columns but rightOn has 1/);
    expect(errorOf(() => left.join(right, { on: 'k1', left_on: 'k1' } as ddf.JoinOptions)).message).toMatch(/unknown option 'left_on'\. Did you mean 'leftOn'\?/);
    expect(errorOf(() => left.join(right, { on: 'k1', how: 'full' as How })).message).toMatch(/how must be one of inner, left, right, outer, semi, anti/);
    expect(errorOf(() => left.join(right, { on: 'k1', how: 'outer', strategy: 'broadcast' })).message).toMatch(/'broadcast' is not possible for an outer join/);
    expect(errorOf(() => left.join({} as ddf.DataFrame, { on: 'k1' })).message).toMatch(/must be a Dusk DataFrame/);
  });

  it('refuses keys of dtypes that cannot be compared, naming both columns and dtypes', () => {
    const err = errorOf(() => left.join(right, { leftOn: 'k1', rightOn: 'w' }));
    expect(err).toBeInstanceOf(ddf.DuskSchemaError);
    expect(err.message).toMatch(/left key 'k1' \(int32\) cannot be compared with right key 'w' \(string\)/);
  });

  it('refuses a suffix that makes a name twice', () => {
    const l = left.withColumns({ v_right: col('v') });
    expect(errorOf(() => l.join(right, { on: 'k1' })).message).toMatch(/right column 'v' would be named 'v_right', which the left frame already has/);
    expect(l.join(right, { on: 'k1', suffix: '_r' }).columns).toContain('v_r');
  });
});
