/**
 * split_out: a group-by with many groups (8 shards × 250k rows, ~1.2M distinct keys) with the
 * final merge on the calling thread (splitOut: 1) against hash lanes on the workers (the
 * default, 'auto'), same run, same files, warm pool; DuckDB on the same files as a peer.
 * Results are checked equal before any time is printed.
 *
 *   npm run build && npx tsx bench/split-out.ts     (BENCH_REPEAT, DUSK_NUM_WORKERS as elsewhere)
 */
import { mkdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import * as ddf from 'dusk';
import { best, DATA, REPEAT, WORKERS } from './common.js';

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
  const query = (splitOut: number | 'auto') =>
    ddf.readCsv(files).groupBy('k', { splitOut }).agg({ n: ddf.len(), s: ddf.col('v').sum(), m: ddf.col('v').mean() });
  const [one, lanes] = await ddf.compute(query(1).toArrow(), query('auto').toArrow());
  const db = await DuckDBInstance.create(':memory:', { threads: String(WORKERS) });
  const connection = await db.connect();
  const sql = `SELECT k, count(*) n, sum(v) s, avg(v) m FROM read_csv('${files}') GROUP BY k ORDER BY k`;
  const duck = (await connection.runAndReadAll(sql)).getRows();
  const keys = one.getChild('k')!.toArray();
  const laneKeys = lanes.getChild('k')!.toArray();
  if (duck.length !== one.numRows || lanes.numRows !== one.numRows) throw new Error(`groups differ: duckdb ${duck.length}, one merge ${one.numRows}, lanes ${lanes.numRows}`);
  for (let i = 0; i < one.numRows; i += 997) {
    if (Number(keys[i]) !== Number(duck[i]![0]) || Number(laneKeys[i]) !== Number(keys[i])) throw new Error(`row ${i}: keys differ`);
  }
  const tOne = await best(() => query(1).toArrow());
  const tLanes = await best(() => query('auto').toArrow());
  const tDuck = await best(() => connection.runAndReadAll(sql));
  connection.closeSync();
  db.closeSync();
  console.log(`${SHARDS} shards × ${ROWS} rows, ${one.numRows} groups, ${WORKERS} workers, best of ${REPEAT}`);
  console.log(`one merge on the caller (splitOut: 1)  ${(tOne * 1000).toFixed(0)} ms`);
  console.log(`lanes on the workers ('auto')          ${(tLanes * 1000).toFixed(0)} ms   ratio ${(tLanes / tOne).toFixed(2)}× of one merge`);
  console.log(`DuckDB (same files, ${WORKERS} threads)        ${(tDuck * 1000).toFixed(0)} ms   Dusk lanes / DuckDB ${(tLanes / tDuck).toFixed(2)}×`);
  await ddf.shutdown();
}

await main();
