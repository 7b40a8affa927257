/**
 * Convert once, query faster: the 8 plain airline shards (bench/data/none, generated if absent)
 * converted to Parquet by Dusk (toParquet, one file per partition), then the same group-by
 * (mean DepDelay by UniqueCarrier) timed via readCsv, via readParquet on Dusk's files, and by
 * nodejs-polars scanParquet on the same files, same run. Prints a markdown table and writes
 * bench/results-parquet-convert.md.
 *   BENCH_ROWS=500000 BENCH_REPEAT=3 npx tsx bench/parquet-convert.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import * as ddf from 'dusk';
import { best, DATA, ensureData, files, fmt, machineLine, markdownTable, ROOT, today, WORKERS } from './common.js';

const { col } = ddf;
const manifest = ensureData('none');
const csvFiles = files('none');
const csvDtype = { DepDelay: 'float64' as const };
const out = join(DATA, `dusk-parquet-${manifest.rows_per_shard}`);

const csv = () => ddf.readCsv(csvFiles, { dtype: csvDtype, encoding: 'latin1' });
let converted: ddf.WriteResult | null = null;
const convertSeconds = await best(async () => {
  converted = await csv().toParquet(out, { overwrite: true });
}, 1);
const parquetGlob = join(out, '*.parquet');

const query = (df: ddf.DataFrame) => df.groupBy('UniqueCarrier').agg({ m: col('DepDelay').mean(), n: col('DepDelay').count() }).toArrow();
const check = async (df: ddf.DataFrame) => (await query(df)).numRows;
const rowsCsv = await check(csv());
const rowsParquet = await check(ddf.readParquet(parquetGlob));
if (rowsCsv !== rowsParquet) throw new Error(`group counts differ: csv ${rowsCsv}, parquet ${rowsParquet}`);

const rows: [string, number][] = [];
rows.push(['Dusk readCsv (plain CSV)', await best(() => query(csv()))]);
rows.push(["Dusk readParquet (Dusk's files)", await best(() => query(ddf.readParquet(parquetGlob)))]);
rows.push(["polars scanParquet (Dusk's files)", await best(() => pl.scanParquet(parquetGlob).groupBy('UniqueCarrier').agg(pl.col('DepDelay').mean().alias('m'), pl.col('DepDelay').count().alias('n')).collectSync())]);
await ddf.shutdown();

const parquetTime = rows[1]![1];
const table = markdownTable(
  ['step', 'best s', 'vs Dusk readParquet'],
  [[`convert to Parquet once (toParquet, ${converted!.files.length} files, ${fmt(converted!.bytes / 2 ** 20, 1)} MiB)`, fmt(convertSeconds, 3), '—'], ...rows.map(([name, s]) => [name, fmt(s, 3), `${fmt(s / parquetTime)}×`])],
);
const text = `### Convert once with toParquet, then query (${today()})\n\n${machineLine()}; ${csvFiles.length} shards × ${manifest.rows_per_shard} rows, ${WORKERS} workers; ` +
  `query: mean and count of DepDelay by UniqueCarrier; best of runs (the conversion: one run).\n\n${table}\n`;
console.log(text);
writeFileSync(join(ROOT, 'bench', 'results-parquet-convert.md'), text);
