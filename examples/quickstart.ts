/**
 * The README's quick start, verbatim (test/examples.test.ts checks that the two agree and runs
 * this file). After `npm install && npm run demo`, from the repository's folder:
 *
 *   npx tsx examples/quickstart.ts
 */

import * as ddf from 'dusk';

const air = ddf.readCsv('data/demo/*.csv.bz2', { encoding: 'latin1', dtype: { TailNum: 'string' } });
console.log(air);                       // lazy: partitions, columns and dtypes; nothing is read yet
console.log(await air.head());          // awaiting computes: the first 5 rows, reading only the first block

const delay = air.col('DepDelay');
const byCarrier = air.groupBy('UniqueCarrier').agg({ flights: ddf.len(), meanDelay: ddf.col('DepDelay').mean() });
const [min, max, carriers] = await ddf.compute(delay.min(), delay.max(), byCarrier.toArrow()); // ONE read pass
console.log(`DepDelay from ${min} to ${max} minutes`);
console.log(carriers);                  // an apache-arrow Table, printed as pandas prints a DataFrame
console.log(carriers.toRecords()[0]);   // plain JS values: int64 counts come back as numbers
