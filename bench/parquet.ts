/**
 * readParquet vs readCsv and vs nodejs-polars, same run, same data: the 8 plain bench shards
 * (bench/data/none, generated if absent) and the same rows written as Parquet by DuckDB (one
 * file per shard, snappy, DuckDB's default row groups), in bench/data/parquet. Two queries:
 * DepDelay max/min/mean, and mean DepDelay by UniqueCarrier. Prints a markdown table of best-of
 * times and ratios (how much a user gains by converting once), and writes bench/results-parquet.md.
 *   BENCH_ROWS=500000 BENCH_REPEAT=3 npx tsx bench/parquet.ts
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pl from 'nodejs-polars';
import * as ddf from 'dusk';
import { best, DATA, ensureData, files, fmt, machineLine, markdownTable, ROOT, today, WORKERS } from './common.js';

const { col } = ddf;
const manifest = ensureData('none');
const csvFiles = files('none');
const parquetDir = join(DATA, 'parquet');
mkdirSync(parquetDir, { recursive: true });
const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
for (const csv of csvFiles) {
  const out = join(parquetDir, basename(csv).replace(/\.csv$/, `-${manifest.rows_per_shard}.parquet`));
  if (!existsSync(out)) await db.run(`COPY (SELECT * FROM read_csv('${csv}', nullstr='NA', encoding='latin-1')) TO '${out}' (FORMAT parquet, COMPRESSION snappy)`);
}
db.closeSync();
const parquetGlob = join(parquetDir, `*-${manifest.rows_per_shard}.parquet`);

async function dusk(df: ddf.DataFrame): Promise<number> {
  const d = df.col('DepDelay');
  const [mx] = await ddf.compute(d.max(), d.min(), d.mean());
  await df.groupBy('UniqueCarrier').agg({ m: col('DepDelay').mean() }).toArrow();
  return mx as number;
}

function polars(lazy: () => pl.LazyDataFrame): void {
  lazy().select(pl.col('DepDelay').max().alias('mx'), pl.col('DepDelay').min().alias('mn'), pl.col('DepDelay').mean().alias('m')).collectSync();
  lazy().groupBy('UniqueCarrier').agg(pl.col('DepDelay').mean()).collectSync();
}

const csvDtype = { DepDelay: 'float64' as const };
const rows: [string, number][] = [];
rows.push(['Dusk readCsv (plain CSV)', await best(() => dusk(ddf.readCsv(csvFiles, { dtype: csvDtype })))]);
rows.push(['Dusk readParquet', await best(() => dusk(ddf.readParquet(parquetGlob)))]);
rows.push(['Dusk readParquet, 2 columns', await best(() => dusk(ddf.readParquet(parquetGlob, { columns: ['UniqueCarrier', 'DepDelay'] })))]);
rows.push(['polars scanParquet (lazy)', await best(() => polars(() => pl.scanParquet(parquetGlob)))]);
rows.push(['polars readParquet (eager, all columns)', await best(() => polars(() => pl.concat(csvFiles.map((_, i) => pl.readParquet(join(parquetDir, `${basename(csvFiles[i]!).replace(/\.csv$/, '')}-${manifest.rows_per_shard}.parquet`)))).lazy()))]);
await ddf.shutdown();

const parquetTime = rows[1]![1];
const table = markdownTable(
  ['engine', 'best s', 'vs Dusk readParquet'],
  rows.map(([name, s]) => [name, fmt(s, 3), `${fmt(s / parquetTime)}×`]),
);
const text = `### readParquet vs readCsv and polars (${today()})\n\n${machineLine()}; ${csvFiles.length} shards × ${manifest.rows_per_shard} rows, ${WORKERS} workers; ` +
  `queries: DepDelay max/min/mean + mean DepDelay by UniqueCarrier; best of runs.\n\n${table}\n`;
console.log(text);
writeFileSync(join(ROOT, 'bench', 'results-parquet.md'), text);
