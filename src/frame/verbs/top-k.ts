import { DuskSchemaError } from '../../core/errors.js';
import { unknownColumnError } from '../../core/unknown-column.js';
import { type LogicalPlan, TopK } from '../../plan/logical/index.js';
import type { DataFrame } from '../data-frame.js';

/**
 * The plan of frame.nlargest(n, columns) (largest: true) or nsmallest: the n rows with the
 * largest (smallest) values of the columns, compared in turn, in that order; pandas'
 * keep='first': among equal values the earlier rows win and come first. Rows with a null or
 * NaN in any of the columns are left out (pandas). Each partition keeps its own n rows, then
 * those are merged: no full sort.
 */
export function topK(frame: DataFrame, verb: 'nlargest' | 'nsmallest', n: number, columns: string | string[]): LogicalPlan {
  if (!Number.isSafeInteger(n) || n < 0) throw new DuskSchemaError(`${verb}(n, columns): n must be a non-negative whole number; got ${String(n)}`);
  const list = [columns].flat();
  if (list.length === 0) throw new DuskSchemaError(`${verb}(n, columns) needs at least one column`);
  for (const c of list) {
    if (!frame.columns.includes(c)) throw unknownColumnError(c, frame.columns, ` in ${verb}`);
    const dtype = frame.dtypes[c];
    if (dtype === 'string' || dtype === 'category' || dtype === 'bool') {
      throw new DuskSchemaError(`${verb}: column '${c}' is ${dtype}; nlargest/nsmallest compare numbers (as pandas). Use sort('${c}').head(n) to order text`);
    }
  }
  const descending = verb === 'nlargest';
  return new TopK(frame.plan, n, list.map((column) => ({ column, descending })), false, true);
}
