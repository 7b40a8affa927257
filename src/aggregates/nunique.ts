/**
 * nunique: distinct non-null values per group (exact; NaN is one value, −0 equals 0). The state
 * is a hash table of distinct (group, value) pairs (kernels/group-ids.ts), so merging adds the
 * other state's pairs. Any input dtype; int64 output.
 */
import type { ColumnData } from '../core/column-data.js';
import { assignGroupIds, type GroupTable, groupKeys, newGroupTable } from '../kernels/group-ids.js';
import { takeRows } from '../kernels/take.js';
import { type Aggregate, type AggregateOptions, unsupported } from './aggregate.js';

export interface NuniqueState {
  groups: number;
  pairs: GroupTable;
}

function groupColumn(ids: Int32Array, n: number): ColumnData {
  return { dtype: 'int32', length: n, nullCount: 0, validity: null, values: ids.length === n ? ids : ids.subarray(0, n) };
}

export const nunique: Aggregate<NuniqueState> = {
  name: 'nunique',
  needsColumn: true,
  outputDType: (input, options: AggregateOptions) => {
    if (input === null) throw unsupported('nunique', input, options, 'a column');
    return 'int64';
  },
  create: (input, options) => {
    if (input === null) throw unsupported('nunique', input, options, 'a column');
    return { groups: 0, pairs: newGroupTable(['int32', input]) };
  },
  resize(state, groups) {
    if (groups > state.groups) state.groups = groups;
  },
  update(state, ids, column, rowCount) {
    assignGroupIds(state.pairs, [groupColumn(ids, rowCount), column!], rowCount);
  },
  merge(into, from, mapping) {
    const pairs = groupKeys(from.pairs, ['group', 'value']);
    const fromGroups = pairs.columns[0]! as Extract<ColumnData, { dtype: 'int32' }>;
    const mapped = new Int32Array(pairs.length);
    const kept = new Int32Array(pairs.length);
    let n = 0;
    for (let p = 0; p < pairs.length; p++) {
      const m = mapping[fromGroups.values[p]!]!;
      if (m < 0) continue;
      mapped[n] = m;
      kept[n++] = p;
    }
    const values = n === pairs.length ? pairs.columns[1]! : takeRows(pairs.columns[1]!, kept.subarray(0, n));
    assignGroupIds(into.pairs, [groupColumn(mapped, n), values], n);
  },
  finalize(state) {
    const n = state.groups;
    const counts = new BigInt64Array(n);
    const table = state.pairs;
    const groupOf = table.keys[0]!;
    const valueNull = table.keys[1]!.nullCode;
    const tally = new Float64Array(n);
    for (let p = 0; p < table.groups; p++) {
      if (table.groupCodes[1]![p] === valueNull) continue;
      tally[groupOf.ints[table.groupCodes[0]![p]!]!]! += 1;
    }
    for (let g = 0; g < n; g++) counts[g] = BigInt(tally[g]!);
    return { dtype: 'int64', length: n, nullCount: 0, validity: null, values: counts };
  },
};
