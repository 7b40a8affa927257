/**
 * Analysing the airline shards as a dataframe: a filter, a derived column, group-bys, value
 * counts and describe, all lazy; the last compute asks for four results and reads each file once.
 *
 *   npx tsx examples/dataframe.ts 'data/demo/*.csv.bz2'
 */
import { pathToFileURL } from 'node:url';
import * as ddf from 'dusk';

const { col } = ddf;

export async function analyse(glob: string): Promise<{ carriers: ddf.ResultTable; routes: ddf.ResultTable; origins: ddf.ResultTable; summary: ddf.ResultTable }> {
  const air = ddf.readCsv(glob, { encoding: 'latin1', dtype: { TailNum: 'string', CancellationCode: 'string' } });

  const late = air.filter(col('DepDelay').gt(60).and(col('Origin').isIn(['SFO', 'LAX', 'ORD'])));
  console.log('first late departures from SFO, LAX or ORD:');
  console.log(await late.select('UniqueCarrier', 'Origin', 'Dest', 'DepDelay').head(3));

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
  console.log('by carrier:');
  console.log(c);
  console.log('busiest routes:');
  console.log(r);
  console.log('origins by flights:');
  console.log(o);
  console.log('describe:');
  console.log(s);
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
