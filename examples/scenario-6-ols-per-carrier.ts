/**
 * Issue 14's scenario 6, groupwise fits: one OLS per carrier (ArrDelay on DepDelay and Distance)
 * over the sharded airline CSVs (rows with all three present), with
 * df.dropNulls([...]).groupBy('UniqueCarrier').apply(fit, { schema }): the
 * rows are shuffled so each carrier is whole in one task, the fit gets the carrier's rows as an
 * Arrow table, and the result is a frame keyed by carrier.
 *
 *   npm run build && npx tsx examples/scenario-6-ols-per-carrier.ts 'bench/data/none/*.csv' [--scheduler threads] [--workers 2]
 *
 * (bench/ml.ts makes the bench's 8 shards with scripts/gen_airline.py when they are missing.)
 */
import { pathToFileURL } from 'node:url';
import * as ddf from 'dusk';
import { fitOls, OLS_SCHEMA } from './tasks/carrier-ols.js';

export interface CarrierFit {
  UniqueCarrier: string;
  n: number;
  intercept: number;
  DepDelay: number;
  Distance: number;
}

/** The per-carrier fits, in carrier order. */
export async function olsPerCarrier(glob: string, options: { scheduler: 'sync' | 'threads' | 'processes'; numWorkers?: number }): Promise<CarrierFit[]> {
  const air = ddf.readCsv(glob, { usecols: ['UniqueCarrier', 'DepDelay', 'Distance', 'ArrDelay'] });
  const fits = air.dropNulls(['ArrDelay', 'DepDelay', 'Distance']).groupBy('UniqueCarrier').apply(fitOls, { schema: OLS_SCHEMA });
  return (await fits.toRecords().compute(options)) as unknown as CarrierFit[];
}

async function main(): Promise<void> {
  const glob = process.argv[2];
  if (!glob) {
    console.error("usage: npx tsx examples/scenario-6-ols-per-carrier.ts 'bench/data/none/*.csv' [--scheduler threads] [--workers 2]");
    process.exit(2);
  }
  const at = (name: string) => process.argv.indexOf(name);
  const scheduler = (at('--scheduler') >= 0 ? process.argv[at('--scheduler') + 1] : 'threads') as 'sync' | 'threads' | 'processes';
  const numWorkers = at('--workers') >= 0 ? Number(process.argv[at('--workers') + 1]) : 2;
  const t0 = performance.now();
  const fits = await olsPerCarrier(glob, { scheduler, numWorkers });
  console.log(`${fits.length} carriers, ${scheduler} (${numWorkers} workers), ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  for (const f of fits) console.log(`  ${f.UniqueCarrier.padEnd(3)} n = ${String(f.n).padStart(8)}  ArrDelay = ${f.intercept.toFixed(4)} + ${f.DepDelay.toFixed(4)}·DepDelay + ${f.Distance.toFixed(6)}·Distance`);
  await ddf.shutdown();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
