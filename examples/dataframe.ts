/**
 * Analysing the airline shards as a dataframe: a filter, a derived column, group-bys, value
 * counts and describe, all lazy; the last compute asks for four results and reads each file once.
 *
 *   npx tsx examples/dataframe.ts 'data/demo/*.csv.bz2'
 */
import { pathToFileURL } from 'node:url';
import type { Table } from 'apache-arrow';
import * as ddf from 'dusk';

const { col } = ddf;

function rows(table: Table, n = 5): unknown[] {
  return table.toArray().slice(0, n).map((r) => (r as { toJSON(): unknown }).toJSON());
}

export async function analyse(glob: string): Promise<{ carriers: Table; routes: Table; origins: Table; summary: Table }> {
  const air = ddf.readCsv(glob, { encoding: 'latin1', dtype: { TailNum: 'string', CancellationCode: 'string' } });

  const late = air.filter(col('DepDelay').gt(60).and(col('Origin').isIn(['SFO', 'LAX', 'ORD'])));
  console.log('first late departures from SFO, LAX or ORD:', rows(await late.select('UniqueCarrier', 'Origin', 'Dest', 'DepDelay').head(3)));

  const withSpeed = air.withColumns({ speed: col('Distance').div(col('AirTime').div(60)) });
  const carriers = withSpeed.groupBy('UniqueCarrier').agg({
    n: ddf.len(),
    meanDep: col('DepDelay').mean(),
    p90Dep: col('DepDelay').quantile(0.9),
    meanSpeed: col('speed').mean(),
  });
  const routes = air.groupBy(['Origin', 'Dest']).agg({ n: ddf.len(), meanArr: col('ArrDelay').mean() }).sort('n', { descending: true });
  const origins = air.col('Origin').valueCounts();
  const summary = air.select('DepDelay', 'ArrDelay', 'Distance').describe();

  console.log(ddf.explain(carriers.toArrow(), routes.toArrow(), origins.toArrow(), summary.toArrow()));
  const t0 = performance.now();
  const [c, r, o, s] = await ddf.compute(carriers.toArrow(), routes.head(5), origins.head(5), summary.toArrow());
  const opens = Object.values(ddf.lastComputeReport()!.opens);
  console.log(`four results in ${((performance.now() - t0) / 1000).toFixed(2)} s; ${opens.length} files, opened ${opens.reduce((a, b) => a + b, 0)} times`);
  console.log('by carrier:', rows(c));
  console.log('busiest routes:', rows(r));
  console.log('origins by flights:', rows(o));
  console.log('describe:', rows(s, 9));
  return { carriers: c, routes: r, origins: o, summary: s };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const glob = process.argv[2];
  if (!glob) {
    console.error("usage: npx tsx examples/dataframe.ts 'data/*.csv.bz2'");
    process.exit(2);
  }
  await analyse(glob);
  await ddf.shutdown();
}
