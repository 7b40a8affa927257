/**
 * first and last: the first or last non-null value of each group in row order (a NaN is a
 * value). Partitions are merged in partition order, so "first" is the first in the data.
 * The output has the input's dtype, null for a group without values.
 */
import type { ColumnData } from '../core/column-data.js';
import type { DType } from '../core/dtypes.js';
import { type Aggregate, type AggregateOptions, grownInt32, unsupported } from './aggregate.js';
import { type ByteView, byteView, copyGroupValue, type GroupValues, groupValuesColumn, newGroupValues, resizeGroupValues, setBytes } from './group-values.js';

export interface PositionalState {
  values: GroupValues;
  /** last: per group, the batch number that last set it (each group is set once per batch). */
  stamp: Int32Array;
  batch: number;
}

function setFromRow(gv: GroupValues, g: number, col: ColumnData, view: ByteView | null, i: number): void {
  switch (col.dtype) {
    case 'float64':
      gv.floats[g] = col.values[i]!;
      break;
    case 'int32':
      gv.ints[g] = col.values[i]!;
      break;
    case 'int64': {
      const words = new Int32Array(col.values.buffer, col.values.byteOffset + 8 * i, 2);
      gv.ints[2 * g] = words[0]!;
      gv.ints[2 * g + 1] = words[1]!;
      break;
    }
    case 'bool':
      gv.ints[g] = (col.values[i >> 3]! >> (i & 7)) & 1;
      break;
    default: {
      const k = view!.index === null ? i : view!.index[i]!;
      setBytes(gv, g, view!.data, view!.offsets[k]!, view!.offsets[k + 1]!);
    }
  }
  gv.has[g] = 1;
}

function checkInput(name: string, input: DType | null, options: AggregateOptions): DType {
  if (input === null) throw unsupported(name, input, options, 'a column');
  return input;
}

export function makePositional(name: 'first' | 'last'): Aggregate<PositionalState> {
  const isLast = name === 'last';
  return {
    name,
    needsColumn: true,
    outputDType: (input, options) => checkInput(name, input, options),
    create: (input, options) => ({ values: newGroupValues(checkInput(name, input, options)), stamp: new Int32Array(0), batch: 0 }),
    resize(state, groups) {
      resizeGroupValues(state.values, groups);
      if (isLast) state.stamp = grownInt32(state.stamp, groups);
    },
    update(state, ids, column, rowCount) {
      const col = column!;
      const gv = state.values;
      const view = col.dtype === 'string' || col.dtype === 'category' ? byteView(col) : null;
      const validity = col.validity;
      if (!isLast) {
        for (let i = 0; i < rowCount; i++) {
          const g = ids[i]!;
          if (gv.has[g] !== 0 || (validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0)) continue;
          setFromRow(gv, g, col, view, i);
        }
        return;
      }
      // Backwards, setting each group once: its last value in this batch.
      const stamp = state.stamp;
      const batch = ++state.batch;
      for (let i = rowCount - 1; i >= 0; i--) {
        const g = ids[i]!;
        if (stamp[g] === batch || (validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0)) continue;
        stamp[g] = batch;
        setFromRow(gv, g, col, view, i);
      }
    },
    merge(into, from, mapping) {
      for (let g = 0; g < from.values.groups; g++) {
        const m = mapping[g]!;
        if (m < 0 || from.values.has[g] === 0) continue;
        if (isLast || into.values.has[m] === 0) copyGroupValue(into.values, m, from.values, g);
      }
    },
    finalize: (state) => groupValuesColumn(state.values),
  };
}
