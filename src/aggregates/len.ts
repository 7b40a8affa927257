/** len: rows per group, nulls included (SQL count(*)). Reads no column; int64 output. */
import type { Aggregate } from './aggregate.js';
import { count, type CountState } from './count.js';

/** count's state, growth, merge and output; only the update differs (every row counts). */
export const len: Aggregate<CountState> = {
  ...count,
  name: 'len',
  needsColumn: false,
  update(state, ids, _column, rowCount) {
    const counts = state.counts;
    for (let i = 0; i < rowCount; i++) counts[ids[i]!]! += 1;
  },
};
