/**
 * Part 'groupby': three grouped aggregations over the bench shards (plain and gzip), Dusk
 * against nodejs-polars, DuckDB and Dask measured in the same run on the same files:
 *   q1  groupBy('UniqueCarrier') → len, mean(DepDelay), max(DepDelay)
 *   q2  filter(DepDelay > 60), groupBy('UniqueCarrier') → len, mean(ArrDelay)
 *   q3  groupBy(['Origin', 'Dest']) → len, mean(ArrDelay)
 * Dusk runs on its threads scheduler with a warm pool (one untimed run of each query, then the
 * best of BENCH_REPEAT); once more, q1 runs in a fresh `node` process (import, pool start and
 * JIT included), as a user's script does. Each peer runs all three queries in a child process
 * of its own (a native crash takes down only that child) with as many threads as Dusk has
 * workers, and reports the best of its runs, timed inside it after loading the library.
 * Every engine's groups are checked against Dusk's (same groups, equal counts and maxima,
 * means to 1e-9 relative) before any time is printed: no wrong answer is timed.
 *
 *   npx tsx bench/groupby.ts            # this part alone (run `npm run build` first: it imports dist/)
 *   BENCH_PARTS=groupby npm run bench   # the same, also writing bench/README.md's results
 *   BENCH_GROUPBY_FORMATS=none,gz  BENCH_PEERS=dask,polars,duckdb  BENCH_DASK_REPEAT=1
 *   BENCH_SHARDS / BENCH_ROWS / BENCH_REPEAT / BENCH_POLARS / DUSK_NUM_WORKERS as for the other parts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as ddf from 'dusk';
import {
  DATA, FORMAT_NAME, type Format, type PartResult, PYTHON, REPEAT, ROOT, type Target, WORKERS,
  bestWallAndCpu, ensureData, fmt, glob, machineLine, markdownTable, pythonHas, target, targetsTable,
} from './common.js';
import { peerVersion, polarsPackage, reasonOf } from './peers.js';

const FORMATS = (process.env.BENCH_GROUPBY_FORMATS ?? 'none,gz').split(',').map((f) => f.trim()).filter(Boolean) as Format[];
const PEERS = (process.env.BENCH_PEERS ?? 'dask,polars,duckdb').split(',').map((p) => p.trim());
/** Dask takes 10–40 s a query on the 2-core machine: one timed run each by default keeps the part under ~10 min. */
const DASK_REPEAT = Number(process.env.BENCH_DASK_REPEAT ?? 1);
/** Dusk's readCsv options, those of the read part (one partition per file). */
const READ_OPTIONS = { encoding: 'latin1', blocksize: null } as const;

// ------------------------------------------------------------------------------ the queries

type AggFn = 'len' | 'mean' | 'max';
interface Agg {
  name: string;
  fn: AggFn;
  column?: string;
}
export interface Query {
  id: 'q1' | 'q2' | 'q3';
  title: string;
  keys: string[];
  aggs: Agg[];
  /** Rows with DepDelay greater than this only (null DepDelay: dropped, as everywhere). */
  depDelayOver?: number;
}

export const QUERIES: Query[] = [
  {
    id: 'q1',
    title: "groupBy('UniqueCarrier') → len, mean(DepDelay), max(DepDelay)",
    keys: ['UniqueCarrier'],
    aggs: [{ name: 'n', fn: 'len' }, { name: 'mean', fn: 'mean', column: 'DepDelay' }, { name: 'max', fn: 'max', column: 'DepDelay' }],
  },
  {
    id: 'q2',
    title: "filter(DepDelay > 60).groupBy('UniqueCarrier') → len, mean(ArrDelay)",
    keys: ['UniqueCarrier'],
    aggs: [{ name: 'n', fn: 'len' }, { name: 'mean', fn: 'mean', column: 'ArrDelay' }],
    depDelayOver: 60,
  },
  {
    id: 'q3',
    title: "groupBy(['Origin', 'Dest']) → len, mean(ArrDelay)",
    keys: ['Origin', 'Dest'],
    aggs: [{ name: 'n', fn: 'len' }, { name: 'mean', fn: 'mean', column: 'ArrDelay' }],
  },
];

/** The columns a query reads. */
function usedColumns(q: Query): string[] {
  return [...new Set([...q.keys, ...(q.depDelayOver !== undefined ? ['DepDelay'] : []), ...q.aggs.flatMap((a) => (a.column ? [a.column] : []))])];
}

/** One query on Dusk, as a user writes it. */
export function duskQuery(air: ddf.DataFrame, q: Query): ddf.DataFrame {
  const rows = q.depDelayOver !== undefined ? air.filter(ddf.col('DepDelay').gt(q.depDelayOver)) : air;
  const aggs: Record<string, ddf.Expr> = {};
  for (const a of q.aggs) aggs[a.name] = a.fn === 'len' ? ddf.len() : ddf.col(a.column!)[a.fn]();
  return rows.groupBy(q.keys).agg(aggs);
}

/** A query's groups: each row is its keys, then its aggregates in query order (NaN and null both as null). */
type Rows = (string | number | null)[][];

function plainNumber(x: unknown): number | null {
  if (x === null || x === undefined) return null;
  const n = Number(x);
  return Number.isNaN(n) ? null : n;
}

function tableRows(table: { toArray(): unknown[] }, q: Query): Rows {
  return table.toArray().map((row) => {
    const r = (row as { toJSON(): Record<string, unknown> }).toJSON();
    return [...q.keys.map((k) => String(r[k])), ...q.aggs.map((a) => plainNumber(r[a.name]))];
  });
}

/** Throws unless `got` has Dusk's groups with equal counts and maxima and means within 1e-9 relative. */
function checkGroups(engine: string, q: Query, format: Format, want: Rows, got: Rows): void {
  const where = `${engine} on ${q.id} (${FORMAT_NAME[format]})`;
  const key = (row: Rows[number]) => JSON.stringify(row.slice(0, q.keys.length));
  const wanted = new Map(want.map((r) => [key(r), r]));
  if (got.length !== want.length) throw new Error(`${where}: ${got.length} groups, Dusk has ${want.length}`);
  for (const row of got) {
    const w = wanted.get(key(row));
    if (w === undefined) throw new Error(`${where}: group ${key(row)} is not among Dusk's`);
    q.aggs.forEach((a, i) => {
      const x = row[q.keys.length + i] as number | null;
      const y = w[q.keys.length + i] as number | null;
      const same = x === null || y === null ? x === y : a.fn === 'mean' ? Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(y), 1e-300) : x === y;
      if (!same) throw new Error(`${where}: group ${key(row)} ${a.name} = ${x}, Dusk has ${y}`);
    });
  }
}

// ------------------------------------------------------------------------------ the engines

interface EngineQueryRun {
  /** Best wall time of the timed runs. */
  seconds: number;
  /** Least CPU time (every thread of the engine's process) of the timed runs: steadier than wall time on a shared machine. */
  cpu: number;
  rows: Rows;
}
/** What a peer child (or Dask's script) prints: per query, its best time and groups, or why it failed. */
interface EngineRun {
  version: string;
  queries: Partial<Record<Query['id'], EngineQueryRun | { error: string }>>;
}
type Outcome = ({ ok: true } & EngineQueryRun) | { ok: false; reason: string } | null;

async function duskRun(format: Format, q: Query): Promise<EngineQueryRun> {
  const once = async () => duskQuery(ddf.readCsv(glob(format), READ_OPTIONS), q).toArrow();
  await once(); // untimed: starts the pool, compiles the kernels, warms the page cache
  let table: Awaited<ReturnType<typeof once>> | undefined;
  const { seconds, cpu } = await bestWallAndCpu(REPEAT, async () => {
    table = await once();
    return [];
  });
  return { seconds, cpu, rows: tableRows(table!, q) };
}

const FRESH_SCRIPT = join(DATA, 'groupby-fresh.mjs');

/**
 * q1 in a new `node` process, as a user's script runs it: the wall time from spawn to exit
 * (node start, `import 'dusk'`, readCsv, the pool's start, the query, shutdown). The script
 * lives in bench/data (git-ignored) and imports 'dusk' by name (the package's self-reference).
 */
function duskFresh(format: Format, q: Query): { seconds: number; phases: Record<string, number>; rows: Rows } {
  mkdirSync(DATA, { recursive: true });
  writeFileSync(FRESH_SCRIPT, `// written by bench/groupby.ts: ${q.id} as a fresh script runs it
const t0 = performance.now();
const ddf = await import('dusk');
const imported = performance.now();
const { query, glob, options } = JSON.parse(process.argv[2]);
const rows = query.depDelayOver != null ? ddf.readCsv(glob, options).filter(ddf.col('DepDelay').gt(query.depDelayOver)) : ddf.readCsv(glob, options);
const aggs = Object.fromEntries(query.aggs.map((a) => [a.name, a.fn === 'len' ? ddf.len() : ddf.col(a.column)[a.fn]()]));
const table = await rows.groupBy(query.keys).agg(aggs).toArrow();
const done = performance.now();
await ddf.shutdown();
const { user, system } = process.cpuUsage(); // every thread: the workers are threads of this process
console.log(JSON.stringify({ phases: { import: (imported - t0) / 1000, query: (done - imported) / 1000, cpu: (user + system) / 1e6 }, records: table.toArray().map((r) => r.toJSON()) }, (_, v) => (typeof v === 'bigint' ? Number(v) : v)));
`);
  const t = performance.now();
  const child = spawnSync(process.execPath, [FRESH_SCRIPT, JSON.stringify({ query: q, glob: glob(format), options: READ_OPTIONS })], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - t) / 1000;
  if (child.status !== 0) throw new Error(`Dusk fresh process failed on ${format}: ${child.stderr.slice(-2000)}`);
  const out = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { phases: Record<string, number>; records: Record<string, unknown>[] };
  const rows = out.records.map((r) => [...q.keys.map((k) => String(r[k])), ...q.aggs.map((a) => plainNumber(r[a.name]))]);
  return { seconds, phases: out.phases, rows };
}

const SELF = fileURLToPath(import.meta.url);
const requireHere = createRequire(import.meta.url);

/** nodejs-polars or DuckDB running the queries in a child process (`bench/groupby.ts peer ENGINE FORMAT`). */
function runPeerQueries(peer: 'polars' | 'duckdb', format: Format): EngineRun | { error: string } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', SELF, 'peer', peer, format, String(REPEAT), String(WORKERS)], {
    encoding: 'utf8',
    env: { ...process.env, POLARS_MAX_THREADS: String(WORKERS), RUST_BACKTRACE: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith('{'));
  if (child.status !== 0 || line === undefined) return { error: reasonOf(child.stderr, child.signal, child.status) };
  return JSON.parse(line) as EngineRun;
}

/** In the child: each query, its error caught so that one failing query does not hide the others. */
async function eachQuery(run: (q: Query) => Promise<EngineQueryRun>): Promise<EngineRun['queries']> {
  const out: EngineRun['queries'] = {};
  for (const q of QUERIES) {
    try {
      out[q.id] = await run(q);
    } catch (e) {
      out[q.id] = { error: String((e as Error).message ?? e).split('\n')[0]!.slice(0, 200) };
    }
  }
  return out;
}

async function polarsChild(format: Format, repeat: number): Promise<EngineRun> {
  const { spec, version } = polarsPackage();
  const mod = requireHere(spec) as { default?: unknown };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- nodejs-polars is loaded from a path chosen at run time, untyped
  const pl = (mod.default ?? mod) as any;
  const queries = await eachQuery((q) =>
    bestWallAndCpu(repeat, async () => {
      let frame = pl.scanCSV(glob(format), { nullValues: ['NA'], encoding: 'utf8-lossy' });
      if (q.depDelayOver !== undefined) frame = frame.filter(pl.col('DepDelay').gt(q.depDelayOver));
      const aggs = q.aggs.map((a) => (a.fn === 'len' ? pl.len() : pl.col(a.column)[a.fn]()).alias(a.name));
      const df = await frame.groupBy(q.keys).agg(...aggs).collect();
      return (df.toRecords() as Record<string, unknown>[]).map((r) => [...q.keys.map((k) => String(r[k])), ...q.aggs.map((a) => plainNumber(r[a.name]))]);
    }),
  );
  return { version, queries };
}

async function duckdbChild(format: Format, repeat: number, threads: number): Promise<EngineRun> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await instance.connect();
  // ignore_errors = true, as in the read part (bench/peers.ts says why); the check against
  // Dusk's per-group counts shows no row is dropped.
  const source = `read_csv('${glob(format).replaceAll("'", "''")}', nullstr = 'NA', ignore_errors = true)`;
  const queries = await eachQuery((q) => {
    const aggs = q.aggs.map((a) => `${a.fn === 'len' ? 'count(*)' : `${a.fn === 'mean' ? 'avg' : a.fn}(${a.column})`} AS ${a.name}`);
    const sql = `SELECT ${[...q.keys, ...aggs].join(', ')} FROM ${source}${q.depDelayOver !== undefined ? ` WHERE DepDelay > ${q.depDelayOver}` : ''} GROUP BY ${q.keys.join(', ')}`;
    return bestWallAndCpu(repeat, async () => {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjects().map((r) => [...q.keys.map((k) => String(r[k])), ...q.aggs.map((a) => plainNumber(r[a.name]))]);
    });
  });
  connection.closeSync();
  instance.closeSync();
  return { version: peerVersion('duckdb'), queries };
}

/**
 * Dask (threads scheduler, Debian's python3-dask) running the queries in one python process.
 * Each query selects its columns first (`air[cols]`), as a Dask user does: Dask's optimizer
 * then passes them to read_csv as usecols (without it, pandas parses all 29 columns).
 */
function runDask(format: Format): EngineRun | { error: string } {
  const script = `
import json, sys, time, dask, dask.dataframe as dd
dask.config.set(scheduler='threads', num_workers=${WORKERS})
queries = json.loads(sys.argv[1])
def rows(q, frame):
    out = []
    for keys, values in frame.iterrows():
        keys = keys if isinstance(keys, tuple) else (keys,)
        out.append([str(k) for k in keys] + [None if v != v else float(v) for v in values])
    return out
result = {}
for q in queries:
    best, cpu, got = 1e9, 1e9, None
    for _ in range(${DASK_REPEAT}):
        t, c = time.time(), time.process_time()
        air = dd.read_csv(${JSON.stringify(glob(format))}, compression=${format === 'none' ? 'None' : format === 'gz' ? "'gzip'" : "'bz2'"}, blocksize=None, encoding='latin1',
                          dtype={'DepDelay': 'float64', 'ArrDelay': 'float64', 'Distance': 'float64', 'CRSElapsedTime': 'float64', 'TailNum': 'object', 'CancellationCode': 'object'})
        frame = air[q['columns']]
        if q.get('depDelayOver') is not None:
            frame = frame[frame.DepDelay > q['depDelayOver']]
        spec = {}
        for a in q['aggs']:
            column = a.get('column') or q['aggs'][1]['column']   # len: the size of any column's groups
            spec.setdefault(column, []).append('size' if a['fn'] == 'len' else a['fn'])
        table = frame.groupby(q['keys']).agg(spec).compute()
        best, cpu = min(best, time.time() - t), min(cpu, time.process_time() - c)
        got = table[[(a.get('column') or q['aggs'][1]['column'], 'size' if a['fn'] == 'len' else a['fn']) for a in q['aggs']]]
    result[q['id']] = {'seconds': best, 'cpu': cpu, 'rows': rows(q, got)}
print(json.dumps({'version': dask.__version__, 'queries': result}))`;
  const child = spawnSync(PYTHON, ['-c', script, JSON.stringify(QUERIES.map((q) => ({ ...q, columns: usedColumns(q) })))], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const line = child.stdout.split('\n').find((l) => l.startsWith('{'));
  if (child.status !== 0 || line === undefined) return { error: reasonOf(child.stderr, child.signal, child.status) };
  return JSON.parse(line) as EngineRun;
}

// ------------------------------------------------------------------------------ the part

type PeerName = 'polars' | 'duckdb' | 'dask';
const PEER_TITLE: Record<PeerName, string> = { polars: 'nodejs-polars', duckdb: 'DuckDB', dask: 'Dask' };
/** Dusk's wall time over the peer's, at most this (issue targets). */
const GOAL: Record<PeerName, number> = { polars: 1.0, duckdb: 0.5, dask: 0.2 };

interface Measured {
  format: Format;
  query: Query;
  dusk: EngineQueryRun;
  peers: Record<PeerName, Outcome>;
}

function outcomeOf(run: EngineRun | { error: string } | null, q: Query): Outcome {
  if (run === null) return null;
  if ('error' in run) return { ok: false, reason: run.error };
  const r = run.queries[q.id];
  if (r === undefined) return { ok: false, reason: 'no result' };
  return 'error' in r ? { ok: false, reason: r.error } : { ok: true, ...r };
}

export async function runGroupby(): Promise<PartResult | { skipped: string }> {
  const withDask = PEERS.includes('dask') && pythonHas('dask.dataframe');
  const notes: string[] = [];
  if (PEERS.includes('dask') && !withDask) notes.push('Dask is not installed (apt-get install python3-dask python3-pandas): its columns are skipped.');
  const measured: Measured[] = [];
  const fresh: { format: Format; seconds: number; phases: Record<string, number>; warm: number }[] = [];
  const versions: Partial<Record<PeerName, string>> = {};
  for (const format of FORMATS) {
    const manifest = ensureData(format);
    const runs: Record<PeerName, EngineRun | { error: string } | null> = { polars: null, duckdb: null, dask: null };
    const duskRuns = new Map<Query['id'], EngineQueryRun>();
    for (const q of QUERIES) {
      const run = await duskRun(format, q);
      duskRuns.set(q.id, run);
      if (q.id === 'q1') {
        const total = run.rows.reduce((s, r) => s + (r[1] as number), 0);
        if (total !== manifest.total.rows) throw new Error(`Dusk's q1 counts add up to ${total} rows of ${format}, want ${manifest.total.rows}`);
      }
      console.log(`  ${q.id} ${FORMAT_NAME[format]}: Dusk ${fmt(run.seconds)} s (${run.rows.length} groups)`);
    }
    const q1 = QUERIES[0]!;
    const f = duskFresh(format, q1);
    checkGroups('Dusk (fresh process)', q1, format, duskRuns.get('q1')!.rows, f.rows);
    fresh.push({ format, seconds: f.seconds, phases: f.phases, warm: duskRuns.get('q1')!.seconds });
    console.log(`  q1 ${FORMAT_NAME[format]}: Dusk in a fresh process ${fmt(f.seconds)} s (import ${fmt(f.phases.import!)} s, query ${fmt(f.phases.query!)} s)`);

    for (const peer of ['polars', 'duckdb'] as const) {
      if (!PEERS.includes(peer)) continue;
      runs[peer] = format === 'bz2' ? { error: 'does not read bz2' } : runPeerQueries(peer, format);
    }
    if (withDask) runs.dask = runDask(format);
    for (const [peer, run] of Object.entries(runs) as [PeerName, EngineRun | { error: string } | null][]) {
      if (run && 'version' in run) versions[peer] = run.version;
    }
    for (const q of QUERIES) {
      const dusk = duskRuns.get(q.id)!;
      const peers = { polars: outcomeOf(runs.polars, q), duckdb: outcomeOf(runs.duckdb, q), dask: outcomeOf(runs.dask, q) };
      for (const [peer, o] of Object.entries(peers) as [PeerName, Outcome][]) {
        if (o?.ok) checkGroups(PEER_TITLE[peer], q, format, dusk.rows, o.rows);
        else if (o) notes.push(`${PEER_TITLE[peer]} ${versions[peer] ?? ''} could not run ${q.id} on ${FORMAT_NAME[format]}, skipped: ${o.reason}`);
      }
      measured.push({ format, query: q, dusk, peers });
      console.log(`  ${q.id} ${FORMAT_NAME[format]}: Dusk ${fmt(dusk.seconds)} s (CPU ${fmt(dusk.cpu)} s); ${(['polars', 'duckdb', 'dask'] as const).map((p) => `${PEER_TITLE[p]} ${seconds(peers[p])}, Dusk/${PEER_TITLE[p]} ${ratio(dusk, peers[p])}`).join('; ')}`);
    }
  }

  const table = markdownTable(
    ['query', 'format', 'groups', 'Dusk s (CPU s)', 'polars s (CPU s)', 'Dusk/polars (CPU)', 'DuckDB s (CPU s)', 'Dusk/DuckDB (CPU)', 'Dask s (CPU s)', 'Dusk/Dask (CPU)'],
    measured.map((m) => [
      m.query.id, FORMAT_NAME[m.format], String(m.dusk.rows.length), `${fmt(m.dusk.seconds)} (${fmt(m.dusk.cpu)})`,
      seconds(m.peers.polars), ratio(m.dusk, m.peers.polars),
      seconds(m.peers.duckdb), ratio(m.dusk, m.peers.duckdb),
      seconds(m.peers.dask), ratio(m.dusk, m.peers.dask),
    ]),
  );
  const freshTable = markdownTable(
    ['format', 'fresh process s', 'of which import s', 'of which readCsv + query s', 'CPU s', 'warm pool s', 'fresh / polars', 'fresh / DuckDB'],
    fresh.map((f) => {
      const m = measured.find((x) => x.format === f.format && x.query.id === 'q1')!;
      const wallOver = (o: Outcome) => (o?.ok ? fmt(f.seconds / o.seconds) : '–');
      return [FORMAT_NAME[f.format], fmt(f.seconds), fmt(f.phases.import!), fmt(f.phases.query!), fmt(f.phases.cpu!), fmt(f.warm), wallOver(m.peers.polars), wallOver(m.peers.duckdb)];
    }),
  );

  const targets: Target[] = [];
  for (const m of measured) {
    for (const peer of ['polars', 'duckdb', 'dask'] as const) {
      const o = m.peers[peer];
      targets.push(target('groupby', `${m.query.id} ${FORMAT_NAME[m.format]}: Dusk wall / ${PEER_TITLE[peer]} wall`, o?.ok ? m.dusk.seconds / o.seconds : NaN, `≤ ${fmt(GOAL[peer])}`, (x) => x <= GOAL[peer], o === null ? 'not run' : o.ok ? undefined : `could not run: ${o.reason}`));
    }
  }
  const versionLine = (['polars', 'duckdb', 'dask'] as const).map((p) => `${PEER_TITLE[p] === 'DuckDB' ? '@duckdb/node-api' : PEER_TITLE[p]} ${versions[p] ?? (p === 'duckdb' || p === 'polars' ? peerVersion(p) : '(not run)')}`).join(', ');
  const markdown = [
    `### groupby: grouped aggregations — ${machineLine()}; ${manifestLine()}; Dusk best of ${REPEAT} after a warm-up run, polars and DuckDB best of ${REPEAT}, Dask best of ${DASK_REPEAT}; ${versionLine}`,
    '',
    QUERIES.map((q) => `- ${q.id}: \`${q.title}\``).join('\n'),
    '',
    table,
    '',
    `Times: best wall seconds, and in parentheses the least CPU seconds of the engine's process (every thread) over the same runs. Dusk/X: Dusk's wall time as a fraction of X's, measured in this run (lower is better; targets ≤ 1.0× polars, ≤ 0.5× DuckDB, ≤ 0.2× Dask), and in parentheses the same for CPU time (on a shared machine CPU time moves less than wall time; on an idle one, an engine that keeps all ${WORKERS} cores busy has CPU ≈ ${WORKERS}× wall). Every timed run goes from the glob to the grouped table (Dusk's readCsv and \`toArrow()\`, polars' scanCSV…collect, DuckDB's read_csv, Dask's read_csv…compute). Dusk runs on its threads scheduler with a warm pool; each peer runs in a process of its own with ${WORKERS} threads. Every engine's groups were checked against Dusk's (same groups, equal counts and maxima, means to 1e-9 relative). Dask selects each query's columns first (\`air[cols]\`), which its optimizer passes to read_csv as usecols.`,
    '',
    `q1 in a fresh \`node\` process (spawn to exit: node's start, \`import 'dusk'\`, readCsv, the pool's start, the query, shutdown), as a user's script runs it; the ratios compare it with the peers' timed runs above (which exclude their process start and library load):`,
    '',
    freshTable,
    ...notes.map((n) => `\n- ${n}`),
  ].join('\n');
  return { part: 'groupby', markdown, targets };

  function manifestLine(): string {
    const m = ensureData(FORMATS[0]!);
    return `${m.shards} shards × ${m.rows_per_shard.toLocaleString('en-US')} rows, ${fmt(m.total.bytes_uncompressed / 1e6, 1)} MB of CSV`;
  }
}

function seconds(o: Outcome): string {
  return o === null ? '–' : o.ok ? `${fmt(o.seconds)} (${fmt(o.cpu)})` : 'skipped';
}

/** Dusk's wall time over the peer's, and its CPU time over the peer's in parentheses. */
function ratio(dusk: EngineQueryRun, o: Outcome): string {
  return o?.ok ? `${fmt(dusk.seconds / o.seconds)} (${fmt(dusk.cpu / o.cpu)})` : '–';
}

// ------------------------------------------------------------------------------ entry points

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'peer') {
    const [peer, format, repeat, threads] = args as ['polars' | 'duckdb', Format, string, string];
    const run = peer === 'polars' ? await polarsChild(format, Number(repeat)) : await duckdbChild(format, Number(repeat), Number(threads));
    process.stdout.write(`${JSON.stringify(run)}\n`);
  } else {
    const t0 = performance.now();
    console.log(`Dusk bench — part groupby; ${WORKERS} workers (threads)`);
    const result = await runGroupby();
    await ddf.shutdown();
    if ('skipped' in result) {
      console.log(`skipped: ${result.skipped}`);
    } else {
      writeFileSync(join(ROOT, 'bench', 'results-groupby.md'), `${result.markdown}\n\n${targetsTable(result.targets)}\n`);
      console.log(`\n${result.markdown}\n\n${targetsTable(result.targets)}\n\nwrote bench/results-groupby.md (\`BENCH_PARTS=groupby npm run bench\` also puts it into bench/README.md); ${fmt((performance.now() - t0) / 1000, 0)} s`);
    }
  }
}

