/**
 * A Dask user's everyday pipeline, end to end in one lazy graph per compute: read, filter, join
 * a lookup table, group, sort, top-k, distinct rows, sample, per-partition functions, persist,
 * and write Parquet and CSV (issue 13's snippet, with its "…" filled in). From the repository's
 * folder, after `npm install && npm run demo` (which makes data/demo):
 *
 *   npx tsx examples/pipeline.ts
 */

import { tableFromArrays } from 'apache-arrow';
import * as ddf from 'dusk';

const { col } = ddf;
const air = ddf.readCsv('data/demo/*.csv.bz2', { encoding: 'latin1', dtype: { TailNum: 'string' } });

const carriers = ddf.fromArrow(tableFromArrays({ code: ['AA', 'UA', 'DL', 'WN'], name: ['American', 'United', 'Delta', 'Southwest'] }));
const named = air.join(carriers, { leftOn: 'UniqueCarrier', rightOn: 'code', how: 'left' });
console.log(await named.groupBy('name', { dropna: false }).agg({ flights: ddf.len(), meanArr: col('ArrDelay').mean() }).toArrow());

console.log(await air.sort(['Origin', 'DepDelay'], { descending: [false, true] }).select('Origin', 'DepDelay', 'TailNum').head(10));
console.log(await air.nlargest(10, 'DepDelay').toArrow());   // top-k per partition, then merged: no full sort

const planes = air.dropDuplicates(['TailNum']);
const both = ddf.concat([air.filter(col('Origin').eq('SFO')), air.filter(col('Origin').eq('LAX'))]);
const some = air.sample({ frac: 0.01, seed: 1 });
const [nPlanes, nBoth, nSome] = await ddf.compute(planes.col('TailNum').count(), both.col('Origin').count(), some.col('Origin').count());
console.log(`${nPlanes} planes; ${nBoth} flights from SFO or LAX; a 1% sample of ${nSome} flights`);

// Dask's map_partitions: fn gets each partition as an Arrow table; `schema` names what it returns.
const perPartition = air.mapPartitions((table) => ({ rows: Int32Array.of(table.numRows) }), { schema: { rows: 'int32' } });
console.log(`rows per partition: ${(await perPartition.toColumns()).rows!.join(', ')}`);

// One lazy value per partition, for delayed graphs.
const sizes = air.toDelayed().map((part) => ddf.delayed((t: { numRows: number }) => t.numRows)(part));
console.log(`toDelayed: ${(await ddf.compute(...sizes)).join(' + ')} rows`);

const p = await air.filter(col('Cancelled').eq(0)).persist();   // partitions kept in memory shared with the workers
const [meanDep, byOrigin] = await ddf.compute(p.col('DepDelay').mean(), p.groupBy('Origin').agg({ n: ddf.len() }).toArrow());
console.log(`persisted: mean DepDelay ${meanDep.toFixed(3)} over ${byOrigin.numRows} origins; files opened: ${Object.keys(ddf.lastComputeReport()!.opens).length}`);
p.unpersist();

const written = await air.groupBy('UniqueCarrier').agg({ flights: ddf.len(), meanDep: col('DepDelay').mean() }).toParquet('out/by-carrier', { overwrite: true });
console.log(`wrote ${written.rows} rows to ${written.files.length} Parquet file(s) in ${written.path}`);
const csv = await named.select('UniqueCarrier', 'name', 'Origin', 'Dest', 'ArrDelay').toCsv('out/named', { overwrite: true }); // one file per partition, streaming from workers
console.log(`wrote ${csv.rows} rows to ${csv.files.length} CSV file(s) in ${csv.path}`);
