/** count: non-null values per group (NaN is a value). Any input dtype; int64 output. */
import type { Aggregate } from './aggregate.js';
import { grownFloat64, int64Column } from './aggregate.js';

export interface CountState {
  groups: number;
  counts: Float64Array;
}

export const count: Aggregate<CountState> = {
  name: 'count',
  needsColumn: true,
  outputDType: () => 'int64',
  create: () => ({ groups: 0, counts: new Float64Array(0) }),
  resize(state, groups) {
    if (groups <= state.groups) return;
    state.counts = grownFloat64(state.counts, groups);
    state.groups = groups;
  },
  update(state, ids, column, rowCount) {
    const counts = state.counts;
    const validity = column!.validity;
    if (validity === null) {
      for (let i = 0; i < rowCount; i++) counts[ids[i]!]! += 1;
      return;
    }
    for (let i = 0; i < rowCount; i++) if ((validity[i >> 3]! & (1 << (i & 7))) !== 0) counts[ids[i]!]! += 1;
  },
  merge(into, from, mapping) {
    for (let g = 0; g < from.groups; g++) {
      const m = mapping[g]!;
      if (m >= 0) into.counts[m]! += from.counts[g]!;
    }
  },
  finalize: (state) => int64Column(state.counts, state.groups),
};
