/**
 * The in-process peers of the signature workload on plain and gzip: nodejs-polars
 * `scanCSV(glob).select(min, max, mean)` and DuckDB (@duckdb/node-api) `read_csv(glob)`.
 *
 * Each runs in a child node process (`node --import tsx bench/peers.ts ENGINE GLOB REPEAT THREADS`):
 * a native panic aborts only that child (nodejs-polars 0.24 aborts the process on gzip), its
 * thread pool gets exactly THREADS cores, and its memory does not stay in the bench. The child
 * prints one JSON line: the best of REPEAT wall times (in the child, after loading the library)
 * and the answer, which the bench checks against the generator's manifest.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type PeerName = 'polars' | 'duckdb';

export interface PeerRun {
  seconds: number;
  answer: { max: number; min: number; mean: number; rows?: number };
  version: string;
}

/** A peer's measured run, or why it could not run. */
export type PeerOutcome = ({ ok: true } & PeerRun) | { ok: false; reason: string; version?: string };

const SELF = fileURLToPath(import.meta.url);
const requireHere = createRequire(import.meta.url);

/** nodejs-polars, from BENCH_POLARS (a path to another nodejs-polars package folder) or node_modules. */
export function polarsPackage(): { spec: string; version: string } {
  const spec = process.env.BENCH_POLARS ?? 'nodejs-polars';
  let version = '?';
  try {
    const dir = existsSync(spec) ? spec : dirname(requireHere.resolve('nodejs-polars/package.json'));
    version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // the version is only for the report
  }
  return { spec, version };
}

export function peerVersion(peer: PeerName): string {
  if (peer === 'polars') return polarsPackage().version;
  try {
    return (JSON.parse(readFileSync(join(dirname(requireHere.resolve('@duckdb/node-api')), '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

/** The first line of a failed child's output that says why (panic message, error, missing module). */
export function reasonOf(stderr: string, signal: NodeJS.Signals | null, status: number | null): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const panic = lines.findIndex((l) => l.includes('panicked at'));
  if (panic >= 0 && lines[panic + 1]) return `panicked: ${lines[panic + 1]}`;
  const error = lines.find((l) => /Error\b|Cannot find|not found/i.test(l) && !l.startsWith('at '));
  return (error ?? `exited with ${signal ?? status}`).slice(0, 200);
}

/** Runs one peer on one glob in a child process. */
export function runPeer(peer: PeerName, globPattern: string, repeat: number, threads: number): PeerOutcome {
  const version = peerVersion(peer);
  const child = spawnSync(process.execPath, ['--import', 'tsx', SELF, peer, globPattern, String(repeat), String(threads)], {
    encoding: 'utf8',
    env: { ...process.env, POLARS_MAX_THREADS: String(threads), RUST_BACKTRACE: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith('{'));
  if (child.status !== 0 || line === undefined) return { ok: false, reason: reasonOf(child.stderr, child.signal, child.status), version };
  return { ok: true, ...(JSON.parse(line) as PeerRun) };
}

// ---------------------------------------------------------------------------------- the child

async function timed(repeat: number, run: () => Promise<PeerRun['answer']>): Promise<{ seconds: number; answer: PeerRun['answer'] }> {
  let seconds = Infinity;
  let answer: PeerRun['answer'] = { max: NaN, min: NaN, mean: NaN };
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    answer = await run();
    seconds = Math.min(seconds, (performance.now() - t) / 1000);
  }
  return { seconds, answer };
}

async function polarsChild(globPattern: string, repeat: number): Promise<PeerRun> {
  const { spec, version } = polarsPackage();
  const mod = requireHere(spec) as { default?: unknown };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const pl = (mod.default ?? mod) as any;
  const result = await timed(repeat, async () => {
    const df = await pl
      .scanCSV(globPattern, { nullValues: ['NA'], encoding: 'utf8-lossy' })
      .select(pl.col('DepDelay').min().alias('min'), pl.col('DepDelay').max().alias('max'), pl.col('DepDelay').mean().alias('mean'))
      .collect();
    const [row] = df.toRecords() as { min: number; max: number; mean: number }[];
    return { max: Number(row!.max), min: Number(row!.min), mean: Number(row!.mean) };
  });
  return { ...result, version };
}

async function duckdbChild(globPattern: string, repeat: number, threads: number): Promise<PeerRun> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await instance.connect();
  // ignore_errors=true rather than encoding='latin-1': DuckDB 1.5 rejects the latin-1 TailNum bytes
  // as invalid UTF-8 without one of them, decodes gzip wrongly with encoding='latin-1' (broken
  // lines, "schema mismatch"), and is 1.5-2x slower on plain with it. No row is dropped: the
  // bench checks count(*) = the generator's row count and the aggregates.
  const sql = `SELECT max(DepDelay) AS max, min(DepDelay) AS min, avg(DepDelay) AS mean, count(*) AS rows
               FROM read_csv('${globPattern.replaceAll("'", "''")}', nullstr = 'NA', ignore_errors = true)`;
  const result = await timed(repeat, async () => {
    const reader = await connection.runAndReadAll(sql);
    const [row] = reader.getRowObjects();
    return { max: Number(row!.max), min: Number(row!.min), mean: Number(row!.mean), rows: Number(row!.rows) };
  });
  connection.closeSync();
  instance.closeSync();
  return { ...result, version: peerVersion('duckdb') };
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const [peer, globPattern, repeat, threads] = process.argv.slice(2) as [PeerName, string, string, string];
  const run = peer === 'polars' ? await polarsChild(globPattern, Number(repeat)) : await duckdbChild(globPattern, Number(repeat), Number(threads));
  process.stdout.write(`${JSON.stringify(run)}\n`);
}
