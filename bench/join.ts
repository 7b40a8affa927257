/**
 * Joins: the 8 plain bench shards (4,000,000 flights) joined with two in-memory tables, then a
 * groupBy; Dusk against nodejs-polars and DuckDB measured in the same run:
 *   j1  inner join carriers (20 codes less two) on UniqueCarrier = code → groupBy(name): len, mean(ArrDelay)
 *   j2  the same as a left join (the two missing codes give a null name group)
 *   j3  inner join planes (100,000 rows) on TailNum → groupBy(manufacturer): len, mean(DepDelay)
 *   j3s j3 with strategy 'shuffle' (Dusk only; the peers run j3 again for the ratio)
 * The small tables are built in memory before timing (Dusk: ddf.fromArrow; polars: pl.DataFrame;
 * DuckDB: a table). Dusk runs on threads with a warm pool (one untimed run, then best of
 * BENCH_REPEAT); each peer in a child process with as many threads, best of its runs.
 * Every engine's groups are checked against Dusk's (same groups, equal counts, means to 1e-9
 * relative) before any time is printed.
 *
 *   npm run build && npx tsx bench/join.ts
 *   BENCH_REPEAT / DUSK_NUM_WORKERS as for the other parts.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { tableFromArrays } from 'apache-arrow';
import * as ddf from 'dusk';
import { bestWallAndCpu, ensureData, fmt, glob, machineLine, markdownTable, REPEAT, WORKERS } from './common.js';
import { peerVersion, polarsPackage, reasonOf } from './peers.js';

const SELF = fileURLToPath(import.meta.url);
const requireHere = createRequire(import.meta.url);
const READ_OPTIONS = { encoding: 'latin1', blocksize: null } as const;

// ------------------------------------------------------------------------------ the tables

/** The generator's carrier codes (scripts/gen_airline.py); HA and AQ are left out of the table, so a left join has unmatched rows. */
const CODES = ['WN', 'AA', 'OO', 'MQ', 'US', 'DL', 'UA', 'XE', 'NW', 'CO', 'EV', '9E', 'FL', 'YV', 'OH', 'B6', 'AS', 'F9'];
const CARRIERS = { code: CODES, name: CODES.map((c) => `Carrier ${c}`) };
const MAKERS = ['Boeing', 'Airbus', 'Embraer', 'Bombardier', 'McDonnell Douglas', 'Cessna', 'ATR', 'Fokker'];
const PLANE_COUNT = 100_000;

/**
 * 100,000 planes keyed by TailNum: the generator's tails are N<100..9999><carrier code>, so
 * N100WN … N9999CO (ten carriers) cover many of the flights' tails; the rest are other planes.
 */
function planes(): { TailNum: string[]; year: Int32Array; manufacturer: string[] } {
  const tails: string[] = [];
  for (const code of CODES.slice(0, 10)) for (let n = 100; n <= 9999; n++) tails.push(`N${n}${code}`);
  for (let i = 0; tails.length < PLANE_COUNT; i++) tails.push(`X${i}`);
  const year = Int32Array.from(tails, (_, i) => 1970 + ((i * 7919) % 38));
  const manufacturer = tails.map((_, i) => MAKERS[(i * 31) % MAKERS.length]!);
  return { TailNum: tails, year, manufacturer };
}

interface Query {
  id: 'j1' | 'j2' | 'j3' | 'j3s';
  title: string;
  table: 'carriers' | 'planes';
  how: 'inner' | 'left';
  leftOn: string;
  rightOn: string;
  by: string;
  value: string;
  strategy?: 'shuffle';
}

const QUERIES: Query[] = [
  { id: 'j1', title: 'inner join carriers → groupBy(name)', table: 'carriers', how: 'inner', leftOn: 'UniqueCarrier', rightOn: 'code', by: 'name', value: 'ArrDelay' },
  { id: 'j2', title: 'left join carriers → groupBy(name)', table: 'carriers', how: 'left', leftOn: 'UniqueCarrier', rightOn: 'code', by: 'name', value: 'ArrDelay' },
  { id: 'j3', title: 'inner join planes (10^5) on TailNum → groupBy(manufacturer)', table: 'planes', how: 'inner', leftOn: 'TailNum', rightOn: 'TailNum', by: 'manufacturer', value: 'DepDelay' },
  { id: 'j3s', title: 'j3 with strategy shuffle', table: 'planes', how: 'inner', leftOn: 'TailNum', rightOn: 'TailNum', by: 'manufacturer', value: 'DepDelay', strategy: 'shuffle' },
];

/** A group: key (null as 'null'), count, mean. */
type Rows = [string, number, number | null][];

interface Run {
  seconds: number;
  cpu: number;
  rows: Rows;
}

function num(x: unknown): number | null {
  return x === null || x === undefined ? null : Number(x);
}

function rowsOf(records: Record<string, unknown>[], q: Query): Rows {
  return records.map((r) => [String(r[q.by] ?? 'null'), Number(r.n), num(r.mean)]);
}

// ------------------------------------------------------------------------------ the engines

async function duskRuns(): Promise<Record<string, Run>> {
  const carriers = ddf.fromArrow(tableFromArrays(CARRIERS));
  const plane = planes();
  const planesFrame = ddf.fromArrow(tableFromArrays(plane));
  const air = ddf.readCsv(glob('none'), READ_OPTIONS);
  const out: Record<string, Run> = {};
  for (const q of QUERIES) {
    const frame = air
      .join(q.table === 'carriers' ? carriers : planesFrame, { leftOn: q.leftOn, rightOn: q.rightOn, how: q.how, ...(q.strategy ? { strategy: q.strategy } : {}) })
      .groupBy(q.by, { dropna: false })
      .agg({ n: ddf.len(), mean: ddf.col(q.value).mean() });
    const run = async (): Promise<Rows> => rowsOf((await frame.toRecords()) as Record<string, unknown>[], q);
    await run(); // warm: the pool, the JIT
    out[q.id] = await bestWallAndCpu(REPEAT, run);
    console.error(`  dusk ${q.id}: ${fmt(out[q.id]!.seconds)} s`);
  }
  return out;
}

async function polarsChild(repeat: number): Promise<Record<string, Run>> {
  const { spec } = polarsPackage();
  const mod = requireHere(spec) as { default?: unknown };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- nodejs-polars is loaded from a path chosen at run time, untyped
  const pl = (mod.default ?? mod) as any;
  const plane = planes();
  const tables = { carriers: pl.DataFrame(CARRIERS).lazy(), planes: pl.DataFrame({ ...plane, year: Array.from(plane.year) }).lazy() };
  const out: Record<string, Run> = {};
  for (const q of QUERIES) {
    if (q.strategy) continue;
    out[q.id] = await bestWallAndCpu(repeat, async () => {
      const df = await pl
        .scanCSV(glob('none'), { nullValues: ['NA'], encoding: 'utf8-lossy' })
        .join(tables[q.table], { leftOn: q.leftOn, rightOn: q.rightOn, how: q.how })
        .groupBy(q.by)
        .agg(pl.len().alias('n'), pl.col(q.value).mean().alias('mean'))
        .collect();
      return rowsOf(df.toRecords() as Record<string, unknown>[], q);
    });
  }
  return out;
}

async function duckdbChild(repeat: number, threads: number): Promise<Record<string, Run>> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await instance.connect();
  const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
  await connection.run(`CREATE TABLE carriers AS SELECT * FROM (VALUES ${CODES.map((c, i) => `(${quote(c)}, ${quote(CARRIERS.name[i]!)})`).join(', ')}) t(code, name)`);
  const plane = planes();
  await connection.run('CREATE TABLE planes (TailNum VARCHAR, year INTEGER, manufacturer VARCHAR)');
  const appender = await connection.createAppender('planes');
  for (let i = 0; i < plane.TailNum.length; i++) {
    appender.appendVarchar(plane.TailNum[i]!);
    appender.appendInteger(plane.year[i]!);
    appender.appendVarchar(plane.manufacturer[i]!);
    appender.endRow();
  }
  appender.closeSync();
  const source = `read_csv(${quote(glob('none'))}, nullstr = 'NA', ignore_errors = true)`;
  const out: Record<string, Run> = {};
  for (const q of QUERIES) {
    if (q.strategy) continue;
    const sql = `SELECT t.${q.by} AS ${q.by}, count(*) AS n, avg(a.${q.value}) AS mean FROM ${source} a ${q.how === 'left' ? 'LEFT' : 'INNER'} JOIN ${q.table} t ON a.${q.leftOn} = t.${q.rightOn} GROUP BY t.${q.by}`;
    out[q.id] = await bestWallAndCpu(repeat, async () => rowsOf((await connection.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[], q));
  }
  connection.closeSync();
  instance.closeSync();
  return out;
}

function runPeer(peer: 'polars' | 'duckdb'): Record<string, Run> | { error: string } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', SELF, 'peer', peer, String(REPEAT), String(WORKERS)], {
    encoding: 'utf8',
    env: { ...process.env, POLARS_MAX_THREADS: String(WORKERS), RUST_BACKTRACE: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith('{'));
  if (child.status !== 0 || line === undefined) return { error: reasonOf(child.stderr, child.signal, child.status) };
  return JSON.parse(line) as Record<string, Run>;
}

/** Refuses a peer's answer that differs from Dusk's: same groups, equal counts, means to 1e-9. */
function check(engine: string, q: Query, want: Rows, got: Rows): void {
  const byKey = new Map(got.map((r) => [r[0], r]));
  const same = want.length === got.length && want.every(([key, n, mean]) => {
    const g = byKey.get(key);
    return g !== undefined && g[1] === n && (mean === null ? g[2] === null : g[2] !== null && Math.abs(g[2] - mean) <= 1e-9 * Math.max(1, Math.abs(mean)));
  });
  if (!same) throw new Error(`${engine} ${q.id}: groups differ from Dusk's:\n dusk ${JSON.stringify(want)}\n ${engine} ${JSON.stringify(got)}`);
}

async function main(): Promise<void> {
  ensureData('none');
  console.error(`join bench: ${WORKERS} workers, best of ${REPEAT}`);
  const dusk = await duskRuns();
  await ddf.shutdown();
  const peers = { polars: runPeer('polars'), duckdb: runPeer('duckdb') };
  const rows: string[][] = [];
  for (const q of QUERIES) {
    const d = dusk[q.id]!;
    const cells = [q.id, q.title, String(d.rows.length), `${fmt(d.seconds)} (${fmt(d.cpu)})`];
    for (const peer of ['polars', 'duckdb'] as const) {
      const result = peers[peer];
      const p = 'error' in result ? undefined : result[q.strategy ? 'j3' : q.id];
      if (p === undefined) {
        cells.push(`– (${'error' in result ? result.error : 'not run'})`, '–');
        continue;
      }
      check(peer, q, d.rows, p.rows);
      cells.push(`${fmt(p.seconds)} (${fmt(p.cpu)})`, `**${fmt(d.seconds / p.seconds)}** (${fmt(d.cpu / p.cpu)})`);
    }
    rows.push(cells);
  }
  console.log(`### join: ${machineLine()}; Dusk best of ${REPEAT} after a warm-up run; nodejs-polars ${polarsPackage().version}, @duckdb/node-api ${peerVersion('duckdb')}\n`);
  console.log(markdownTable(['query', 'what', 'groups', 'Dusk s (CPU s)', 'polars s (CPU s)', 'Dusk/polars (CPU)', 'DuckDB s (CPU s)', 'Dusk/DuckDB (CPU)'], rows));
}

if (process.argv[2] === 'peer') {
  const [, , , peer, repeat, threads] = process.argv;
  const result = peer === 'polars' ? await polarsChild(Number(repeat)) : await duckdbChild(Number(repeat), Number(threads));
  console.log(JSON.stringify(result));
} else {
  await main();
}
