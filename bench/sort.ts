/**
 * Sorting on the 8-shard airline data (plain CSV, one partition per file): Dusk's top-k
 * (`sort(['Origin', 'DepDelay'], { descending: [false, true] }).head(10)`, rewritten to a
 * TopK: 10 rows kept per partition, then merged) and `nlargest(10, 'DepDelay')`, against the
 * same answers from a full partitioned sort (sort(...).toArrow(), then the first 10 rows), and
 * against nodejs-polars and DuckDB in the same run on the same files. Every query selects
 * six columns first (all engines), so the full sort moves the same data in each. Answers (the
 * key columns of the 10 rows) are checked equal across engines before any time is printed.
 *
 *   npm run build && npx tsx bench/sort.ts     (BENCH_SHARDS, BENCH_ROWS, BENCH_REPEAT, DUSK_NUM_WORKERS as elsewhere)
 */
import { createRequire } from 'node:module';
import { DuckDBInstance } from '@duckdb/node-api';
import * as ddf from 'dusk';
import { best, ensureData, glob, REPEAT, WORKERS } from './common.js';

const COLUMNS = ['UniqueCarrier', 'Origin', 'Dest', 'DepDelay', 'ArrDelay', 'Distance'];
const requireHere = createRequire(import.meta.url);

/** The key columns of a result's rows, as text, for comparing engines. */
function keysOf(rows: Record<string, unknown>[], keys: string[]): string {
  return rows.map((r) => keys.map((k) => String(r[k] === null || r[k] === undefined ? null : Number.isNaN(Number(r[k])) ? r[k] : Number(r[k]))).join(' ')).join(' | ');
}

function recordsOf(table: { toArray(): unknown[] }): Record<string, unknown>[] {
  return table.toArray().map((r) => ({ ...(r as { toJSON(): Record<string, unknown> }).toJSON() }));
}

async function main(): Promise<void> {
  const manifest = ensureData('none');
  const files = glob('none');
  const air = () => ddf.readCsv(files, { encoding: 'latin1', blocksize: null }).select(COLUMNS);
  const dusk = {
    topK: () => air().sort(['Origin', 'DepDelay'], { descending: [false, true] }).head(10),
    fullSort: async () => (await air().sort(['Origin', 'DepDelay'], { descending: [false, true] }).toArrow()).slice(0, 10),
    nlargest: () => air().nlargest(10, 'DepDelay').toArrow(),
    nlargestBySort: async () => (await air().dropNulls('DepDelay').sort('DepDelay', { descending: true }).toArrow()).slice(0, 10),
  };

  // nodejs-polars 0.24's lazy sort takes one direction for every key: DepDelay descending as −DepDelay ascending.
  const pl = requireHere('nodejs-polars') as typeof import('nodejs-polars');
  const scan = () => pl.scanCSV(files, { nullValues: ['NA'], encoding: 'utf8-lossy' }).select(...COLUMNS);
  const polars = {
    topK: async () => (await scan().sort([pl.col('Origin'), pl.col('DepDelay').mul(-1)], false, true, true).head(10).collect()).toRecords(),
    nlargest: async () => (await scan().filter(pl.col('DepDelay').isNotNull()).sort('DepDelay', true, true, true).head(10).collect()).toRecords(),
  };

  const db = await DuckDBInstance.create(':memory:', { threads: String(WORKERS) });
  const connection = await db.connect();
  const from = `(SELECT ${COLUMNS.join(', ')} FROM read_csv('${files}', nullstr = 'NA', ignore_errors = true))`;
  const duckSql = {
    topK: `SELECT * FROM ${from} ORDER BY Origin, DepDelay DESC NULLS LAST LIMIT 10`,
    nlargest: `SELECT * FROM ${from} WHERE DepDelay IS NOT NULL ORDER BY DepDelay DESC LIMIT 10`,
  };
  const duck = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];

  // The answers first: every engine's 10 rows have the same keys.
  const checks: [string, string[], Record<string, unknown>[][]][] = [
    ['topK', ['Origin', 'DepDelay'], [recordsOf(await dusk.topK()), recordsOf(await dusk.fullSort()), await polars.topK(), await duck(duckSql.topK)]],
    ['nlargest', ['DepDelay'], [recordsOf(await dusk.nlargest()), recordsOf(await dusk.nlargestBySort()), await polars.nlargest(), await duck(duckSql.nlargest)]],
  ];
  for (const [name, keys, answers] of checks) {
    const texts = answers.map((a) => keysOf(a, keys));
    if (texts.some((t) => t !== texts[0])) throw new Error(`${name}: engines differ:\n${texts.join('\n')}`);
  }

  const times = {
    topK: await best(dusk.topK),
    fullSort: await best(dusk.fullSort),
    nlargest: await best(dusk.nlargest),
    nlargestBySort: await best(dusk.nlargestBySort),
    polarsTopK: await best(polars.topK),
    polarsNlargest: await best(polars.nlargest),
    duckTopK: await best(() => duck(duckSql.topK)),
    duckNlargest: await best(() => duck(duckSql.nlargest)),
  };
  connection.closeSync();
  db.closeSync();
  const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;
  console.log(`${manifest.shards} shards × ${manifest.rows_per_shard} rows (plain CSV), ${COLUMNS.length} columns, ${WORKERS} workers, best of ${REPEAT}`);
  console.log('| query | Dusk top-k | Dusk full sort, then 10 rows | nodejs-polars | DuckDB |');
  console.log('|---|---|---|---|---|');
  console.log(`| sort(['Origin', 'DepDelay'], desc [F, T]).head(10) | ${ms(times.topK)} | ${ms(times.fullSort)} | ${ms(times.polarsTopK)} | ${ms(times.duckTopK)} |`);
  console.log(`| nlargest(10, 'DepDelay') | ${ms(times.nlargest)} | ${ms(times.nlargestBySort)} | ${ms(times.polarsNlargest)} | ${ms(times.duckNlargest)} |`);
  await ddf.shutdown();
}

await main();
