/**
 * var: the sample variance per group (ddof = 1 unless options.ddof), computed exactly as
 * (n·Σx² − (Σx)²) / (n·(n − ddof)) from exact sums and rounded once. Groups with n ≤ ddof values
 * are null; a NaN or infinity in the group makes it NaN.
 */
import type { ColumnData } from '../core/column-data.js';
import { type Aggregate, float64Column, requireNumeric } from './aggregate.js';
import {
  addColumn, carryGroupedExactSum, type GroupedExactSum, groupVariance, mergeGroupedExactSum, newGroupedExactSum,
  resizeGroupedExactSum,
} from './exact-groups.js';

export interface VarState {
  ddof: number;
  sums: GroupedExactSum;
}

/** Per-group variances (or their square roots: std is the square root of the rounded variance). */
export function finalizeVariance(state: VarState, root: boolean): ColumnData {
  const s = state.sums;
  carryGroupedExactSum(s);
  const n = s.groups;
  const values = new Float64Array(n);
  const has = new Uint8Array(n);
  for (let g = 0; g < n; g++) {
    if (s.count[g]! - state.ddof <= 0) continue;
    has[g] = 1;
    const v = groupVariance(s, g, state.ddof);
    values[g] = root ? Math.sqrt(v) : v;
  }
  return float64Column(values, n, has);
}

export const variance: Aggregate<VarState> = {
  name: 'var',
  needsColumn: true,
  outputDType: (input, options) => (requireNumeric('var', input, options), 'float64'),
  create: (input, options) => (requireNumeric('var', input, options), { ddof: options.ddof ?? 1, sums: newGroupedExactSum(true) }),
  resize: (state, groups) => resizeGroupedExactSum(state.sums, groups),
  update: (state, ids, column, rowCount) => addColumn(state.sums, ids, column!, rowCount),
  merge: (into, from, mapping) => mergeGroupedExactSum(into.sums, from.sums, mapping),
  finalize: (state) => finalizeVariance(state, false),
};
