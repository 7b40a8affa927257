/**
 * sum: the exact sum per group, rounded once (float64 input → float64), or exact (int32, int64
 * and bool → int64; a sum outside the int64 range is an error rather than a wrapped value).
 * Nulls are skipped and a group without values sums to 0. A NaN makes the sum NaN; +∞ and −∞
 * together make it NaN. The same to the bit for every partitioning (exact-groups.ts).
 */
import type { ColumnData } from '../core/column-data.js';
import type { DType } from '../core/dtypes.js';
import { DuskError } from '../core/errors.js';
import { type Aggregate, requireNumeric } from './aggregate.js';
import {
  addColumn, carryGroupedExactSum, type GroupedExactSum, groupIntegerSum, groupSum, mergeGroupedExactSum,
  newGroupedExactSum, resizeGroupedExactSum,
} from './exact-groups.js';

export interface SumState {
  input: DType;
  column: string | null;
  sums: GroupedExactSum;
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

export const sum: Aggregate<SumState> = {
  name: 'sum',
  needsColumn: true,
  outputDType: (input, options) => (requireNumeric('sum', input, options) === 'float64' ? 'float64' : 'int64'),
  create: (input, options) => ({ input: requireNumeric('sum', input, options), column: options.column, sums: newGroupedExactSum(false) }),
  resize: (state, groups) => resizeGroupedExactSum(state.sums, groups),
  update: (state, ids, column, rowCount) => addColumn(state.sums, ids, column!, rowCount),
  merge: (into, from, mapping) => mergeGroupedExactSum(into.sums, from.sums, mapping),
  finalize(state): ColumnData {
    const s = state.sums;
    carryGroupedExactSum(s);
    const n = s.groups;
    if (state.input === 'float64') {
      const values = new Float64Array(n);
      for (let g = 0; g < n; g++) values[g] = groupSum(s, g);
      return { dtype: 'float64', length: n, nullCount: 0, validity: null, values };
    }
    const values = new BigInt64Array(n);
    for (let g = 0; g < n; g++) {
      const total = groupIntegerSum(s, g);
      if (total < INT64_MIN || total > INT64_MAX) throw new DuskError(`sum(${state.column ?? ''}): the sum of group ${g} is ${total}, outside the int64 range; cast the column to float64 to sum it as a double`);
      values[g] = total;
    }
    return { dtype: 'int64', length: n, nullCount: 0, validity: null, values };
  },
};
