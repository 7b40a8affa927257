/**
 * The fit of scenario 6 (groupwise fits): OLS of ArrDelay on DepDelay and Distance over one
 * carrier's rows, with ddf.ml's own OLS (normal equations, Cholesky) on the group's Arrow
 * columns. Workers import this module to find the task: keep it free of top-level work.
 */
import type { Table } from 'apache-arrow';
import * as ddf from 'dusk';

/** The columns fitOls returns per carrier (after the key). */
export const OLS_SCHEMA = { n: 'int32', intercept: 'float64', DepDelay: 'float64', Distance: 'float64' } as const;

/** One carrier's OLS; its rows have no missing ArrDelay, DepDelay or Distance (dropped before the group-by). */
export const fitOls = ddf.task(import.meta.url, function fitCarrierOls(table: Table) {
  const X = ddf.ml.featureColumns(table.select(['DepDelay', 'Distance']), 'fitCarrierOls');
  const [y] = ddf.ml.featureColumns(table.select(['ArrDelay']), 'fitCarrierOls');
  const model = ddf.ml.fitLinear(X, y!, 0);
  return { n: y!.length, intercept: model.intercept, DepDelay: model.coef[0]!, Distance: model.coef[1]! };
});
