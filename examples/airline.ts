/**
 * The course unit's air-traffic example ("Avoiding repeated calculations by calling compute
 * once"): min and max of DepDelay over sharded bz2 files, as two compute calls and as one.
 *
 *   npx tsx examples/airline.ts 'data/demo/*.csv.bz2'
 */
import { pathToFileURL } from 'node:url';
import * as ddf from 'dusk';

function opened(): string {
  const opens = Object.values(ddf.lastComputeReport()!.opens);
  return `${opens.length} files, opened ${opens.reduce((a, b) => a + b, 0)} times`;
}

export async function airline(glob: string): Promise<void> {
  const air = ddf.readCsv(glob, {
    encoding: 'latin1', // (unexpected) latin1 bytes in the TailNum field
    dtype: { Distance: 'float64', CRSElapsedTime: 'float64', TailNum: 'string', CancellationCode: 'string' },
  });
  console.log(`${air.npartitions} partitions, ${air.columns.length} columns; DepDelay is ${air.dtypes.DepDelay}`);

  let t0 = performance.now();
  const mn = await air.col('DepDelay').min();
  console.log(`min  ${mn}  in ${((performance.now() - t0) / 1000).toFixed(2)} s (${opened()})`);
  t0 = performance.now();
  const mx = await air.col('DepDelay').max();
  console.log(`max  ${mx}  in ${((performance.now() - t0) / 1000).toFixed(2)} s (${opened()})`);

  t0 = performance.now();
  const [mx2, mn2] = await ddf.compute(air.col('DepDelay').max(), air.col('DepDelay').min());
  console.log(`compute(max, min) = (${mx2}, ${mn2})  in ${((performance.now() - t0) / 1000).toFixed(2)} s (${opened()}): one read pass for both`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const glob = process.argv[2];
  if (!glob) {
    console.error("usage: npx tsx examples/airline.ts 'data/*.csv.bz2'");
    process.exit(2);
  }
  await airline(glob);
}
