/**
 * A group-by with many groups (8 shards × 250k rows, ~1.2M distinct keys) three ways: the final
 * merge on the calling thread (splitOut: 1), hash lanes on the workers (the default, 'auto'),
 * and the shuffle path (rows shuffled by the key, then each partition aggregated on its own);
 * same run, same files, warm pool; DuckDB on the same files as a peer. Then each way once more
 * with the 'processes' scheduler on a fresh pool, sampling every worker process's peak RSS
 * (VmHWM) and the calling process's. Results are checked equal before any time is printed.
 *
 *   npm run build && npx tsx bench/split-out.ts     (BENCH_REPEAT, DUSK_NUM_WORKERS as elsewhere)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import * as ddf from 'dusk';
import { best, DATA, descendants, procStatus, REPEAT, WORKERS } from './common.js';

const SHARDS = 8;
const ROWS = 250_000;
const KEYS = 2_000_000;
const dir = join(DATA, 'many-groups');

function makeData(): void {
  if (existsSync(join(dir, `part-${SHARDS - 1}.csv`))) return;
  mkdirSync(dir, { recursive: true });
  let seed = 12345;
  const random = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let s = 0; s < SHARDS; s++) {
    const lines = ['k,v'];
    for (let i = 0; i < ROWS; i++) lines.push(`${Math.floor(random() * KEYS)},${Math.floor(random() * 1000)}`);
    writeFileSync(join(dir, `part-${s}.csv`), lines.join('\n') + '\n');
  }
}

async function main(): Promise<void> {
  makeData();
  const files = join(dir, 'part-*.csv');
  const query = (splitOut: number | 'auto' | 'shuffle') => {
    const air = ddf.readCsv(files);
    const aggs = { n: ddf.len(), s: ddf.col('v').sum(), m: ddf.col('v').mean() };
    return splitOut === 'shuffle' ? air.shuffle('k').groupBy('k').agg(aggs) : air.groupBy('k', { splitOut }).agg(aggs);
  };
  const [one, lanes, shuffled] = await ddf.compute(query(1).toArrow(), query('auto').toArrow(), query('shuffle').toArrow());
  const db = await DuckDBInstance.create(':memory:', { threads: String(WORKERS) });
  const connection = await db.connect();
  const sql = `SELECT k, count(*) n, sum(v) s, avg(v) m FROM read_csv('${files}') GROUP BY k ORDER BY k`;
  const duck = (await connection.runAndReadAll(sql)).getRows();
  const keys = one.getChild('k')!.toArray();
  const laneKeys = lanes.getChild('k')!.toArray();
  const shuffleKeys = shuffled.getChild('k')!.toArray();
  const sums = [one, lanes, shuffled].map((t) => t.getChild('s')!.toArray());
  if (duck.length !== one.numRows || lanes.numRows !== one.numRows || shuffled.numRows !== one.numRows) throw new Error(`groups differ: duckdb ${duck.length}, one merge ${one.numRows}, lanes ${lanes.numRows}, shuffle ${shuffled.numRows}`);
  for (let i = 0; i < one.numRows; i += 997) {
    if (Number(keys[i]) !== Number(duck[i]![0]) || Number(laneKeys[i]) !== Number(keys[i]) || Number(shuffleKeys[i]) !== Number(keys[i])) throw new Error(`row ${i}: keys differ`);
    if (sums.some((s) => Number(s[i]) !== Number(duck[i]![2]))) throw new Error(`row ${i}: sums differ`);
  }
  const tOne = await best(() => query(1).toArrow());
  const tLanes = await best(() => query('auto').toArrow());
  const tShuffle = await best(() => query('shuffle').toArrow());
  const tDuck = await best(() => connection.runAndReadAll(sql));
  connection.closeSync();
  db.closeSync();
  console.log(`${SHARDS} shards × ${ROWS} rows, ${one.numRows} groups, ${WORKERS} workers, best of ${REPEAT}`);
  console.log(`one merge on the caller (splitOut: 1)  ${(tOne * 1000).toFixed(0)} ms`);
  console.log(`lanes on the workers ('auto')          ${(tLanes * 1000).toFixed(0)} ms   ratio ${(tLanes / tOne).toFixed(2)}× of one merge`);
  console.log(`shuffle by k, then per partition      ${(tShuffle * 1000).toFixed(0)} ms   ratio ${(tShuffle / tOne).toFixed(2)}× of one merge`);
  console.log(`DuckDB (same files, ${WORKERS} threads)        ${(tDuck * 1000).toFixed(0)} ms   Dusk lanes / DuckDB ${(tLanes / tDuck).toFixed(2)}×`);
  console.log(`peak RSS, 'processes' scheduler, each way in a fresh node process with ${WORKERS} workers:`);
  for (const way of ['1', 'auto', 'shuffle']) {
    const out = execFileSync(process.execPath, [...process.execArgv, import.meta.filename, '--rss', way], { encoding: 'utf8', env: { ...process.env } });
    const { workerMB, callerMB } = JSON.parse(out.trim().split('\n').pop()!) as { workerMB: number[]; callerMB: number };
    console.log(`  ${way.padEnd(8)} per worker ${workerMB.map((m) => m.toFixed(0)).join(' / ')} MB, calling process ${callerMB.toFixed(0)} MB`);
  }
  await ddf.shutdown();
}

/** Runs `f`, sampling the worker processes' and this process's resident memory every 50 ms. */
async function peakRss(f: () => Promise<unknown>): Promise<{ workerMB: number[]; callerMB: number }> {
  const workers = new Map<number, number>();
  let callerMB = process.memoryUsage().rss / 2 ** 20;
  const sample = (): void => {
    callerMB = Math.max(callerMB, process.memoryUsage().rss / 2 ** 20);
    for (const pid of descendants(process.pid)) {
      const s = procStatus(pid);
      // tsx's esbuild service is a child too; the workers are node processes.
      if (s && s.name !== 'esbuild') workers.set(pid, Math.max(workers.get(pid) ?? 0, s.hwmMB));
    }
  };
  const timer = setInterval(sample, 50);
  try {
    await f();
    sample();
  } finally {
    clearInterval(timer);
  }
  return { workerMB: [...workers.values()].sort((a, b) => b - a), callerMB };
}

const rssWay = process.argv.indexOf('--rss');
if (rssWay >= 0) {
  // One way, in this fresh process: its peak and its workers'.
  const way = process.argv[rssWay + 1]!;
  const files = join(dir, 'part-*.csv');
  const air = ddf.readCsv(files);
  const aggs = { n: ddf.len(), s: ddf.col('v').sum(), m: ddf.col('v').mean() };
  const frame = way === 'shuffle' ? air.shuffle('k').groupBy('k').agg(aggs) : air.groupBy('k', { splitOut: way === 'auto' ? 'auto' : Number(way) }).agg(aggs);
  const peak = await peakRss(() => frame.toArrow().compute({ scheduler: 'processes' }));
  await ddf.shutdown();
  console.log(JSON.stringify(peak));
} else await main();
