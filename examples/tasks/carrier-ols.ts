/**
 * The fit of scenario 6 (groupwise fits): OLS of ArrDelay on DepDelay and Distance over one
 * carrier's rows, with ddf.ml's own OLS (normal equations, Cholesky). Workers import this module
 * to find the task: keep it free of top-level work.
 */
import * as ddf from 'dusk';

interface ArrowColumn {
  length: number;
  get(i: number): unknown;
}
interface GroupTable {
  numRows: number;
  getChild(name: string): ArrowColumn | null;
}

/** The columns fitOls returns per carrier (after the key). */
export const OLS_SCHEMA = { n: 'int32', intercept: 'float64', DepDelay: 'float64', Distance: 'float64' } as const;

/** One carrier's OLS: rows where ArrDelay, DepDelay and Distance are all present. */
export const fitOls = ddf.task(import.meta.url, function fitCarrierOls(table: GroupTable) {
  const names = ['DepDelay', 'Distance'];
  const columns = [...names, 'ArrDelay'].map((name) => table.getChild(name)!);
  const rows: number[] = [];
  for (let i = 0; i < table.numRows; i++) if (columns.every((c) => c.get(i) !== null)) rows.push(i);
  const values = (c: ArrowColumn) => Float64Array.from(rows, (i) => Number(c.get(i)));
  const model = ddf.ml.fitLinear(columns.slice(0, 2).map(values), values(columns[2]!), 0);
  return { n: rows.length, intercept: model.intercept, DepDelay: model.coef[0]!, Distance: model.coef[1]! };
});
