/**
 * mean: the exact mean per group rounded once (float64 output, for numeric and bool input).
 * A group without values is null. NaN and infinities as for sum.
 */
import { type Aggregate, float64Column, requireNumeric } from './aggregate.js';
import {
  addColumn, carryGroupedExactSum, type GroupedExactSum, groupMean, mergeGroupedExactSum, newGroupedExactSum,
  resizeGroupedExactSum,
} from './exact-groups.js';

export interface MeanState {
  sums: GroupedExactSum;
}

export const mean: Aggregate<MeanState> = {
  name: 'mean',
  needsColumn: true,
  outputDType: (input, options) => (requireNumeric('mean', input, options), 'float64'),
  create: (input, options) => (requireNumeric('mean', input, options), { sums: newGroupedExactSum(false) }),
  resize: (state, groups) => resizeGroupedExactSum(state.sums, groups),
  update: (state, ids, column, rowCount) => addColumn(state.sums, ids, column!, rowCount),
  merge: (into, from, mapping) => mergeGroupedExactSum(into.sums, from.sums, mapping),
  finalize(state) {
    const s = state.sums;
    carryGroupedExactSum(s);
    const n = s.groups;
    const values = new Float64Array(n);
    const has = new Uint8Array(n);
    for (let g = 0; g < n; g++) {
      if (s.count[g] === 0) continue;
      has[g] = 1;
      values[g] = groupMean(s, g);
    }
    return float64Column(values, n, has);
  },
};
