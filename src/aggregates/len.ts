/** len: rows per group, nulls included (SQL count(*)). Reads no column; int64 output. */
import type { Aggregate } from './aggregate.js';
import { grownFloat64, int64Column } from './aggregate.js';
import type { CountState } from './count.js';

export const len: Aggregate<CountState> = {
  name: 'len',
  needsColumn: false,
  outputDType: () => 'int64',
  create: () => ({ groups: 0, counts: new Float64Array(0) }),
  resize(state, groups) {
    if (groups <= state.groups) return;
    state.counts = grownFloat64(state.counts, groups);
    state.groups = groups;
  },
  update(state, ids, _column, rowCount) {
    const counts = state.counts;
    for (let i = 0; i < rowCount; i++) counts[ids[i]!]! += 1;
  },
  merge(into, from, mapping) {
    for (let g = 0; g < from.groups; g++) into.counts[mapping[g]!]! += from.counts[g]!;
  },
  finalize: (state) => int64Column(state.counts, state.groups),
};
