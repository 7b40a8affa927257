/**
 * min and max per group, for numbers, bools, strings and categories (compared by their UTF-8
 * bytes, i.e. by code point). Nulls are skipped; NaN is skipped while the group has a number
 * (a group of only NaN gives NaN), as polars does; the output has the input's dtype, null for a
 * group without values.
 */
import type { ColumnData } from '../core/column-data.js';
import type { DType } from '../core/dtypes.js';
import { compareBytes } from '../kernels/compare-rows.js';
import { type Aggregate, type AggregateOptions, unsupported } from './aggregate.js';
import {
  byteView, copyGroupValue, type GroupValues, groupValuesColumn, newGroupValues, resizeGroupValues, setBytes,
} from './group-values.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;

function checkInput(name: string, input: DType | null, options: AggregateOptions): DType {
  if (input === null) throw unsupported(name, input, options, 'a column');
  return input;
}

/** > 0 when group a of `x` should replace group b of `y` (for min: a < b). */
function better(isMax: boolean, x: GroupValues, a: number, y: GroupValues, b: number): boolean {
  let d: number;
  switch (x.dtype) {
    case 'float64': {
      const u = x.floats[a]!;
      const v = y.floats[b]!;
      if (v !== v) return u === u;
      d = u < v ? -1 : u > v ? 1 : 0;
      break;
    }
    case 'int64': {
      const uh = x.ints[2 * a + HI]!;
      const vh = y.ints[2 * b + HI]!;
      d = uh !== vh ? uh - vh : (x.ints[2 * a + LO]! >>> 0) - (y.ints[2 * b + LO]! >>> 0);
      break;
    }
    case 'string':
    case 'category':
      d = compareBytes(x.bytes, x.start[a]!, x.start[a]! + x.size[a]!, y.bytes, y.start[b]!, y.start[b]! + y.size[b]!);
      break;
    default:
      d = x.ints[a]! - y.ints[b]!;
  }
  return isMax ? d > 0 : d < 0;
}

function updateExtreme(isMax: boolean, gv: GroupValues, ids: Int32Array, col: ColumnData, n: number): void {
  const validity = col.validity;
  const has = gv.has;
  const valid = (i: number): boolean => validity === null || (validity[i >> 3]! & (1 << (i & 7))) !== 0;
  switch (col.dtype) {
    case 'float64': {
      const values = col.values;
      const floats = gv.floats;
      for (let i = 0; i < n; i++) {
        if (validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0) continue;
        const g = ids[i]!;
        const v = values[i]!;
        const cur = floats[g]!;
        if (has[g] === 0) {
          has[g] = 1;
          floats[g] = v;
        } else if (isMax ? v > cur || cur !== cur : v < cur || cur !== cur) floats[g] = v;
      }
      return;
    }
    case 'int32': {
      const values = col.values;
      const ints = gv.ints;
      for (let i = 0; i < n; i++) {
        if (validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0) continue;
        const g = ids[i]!;
        const v = values[i]!;
        if (has[g] === 0) {
          has[g] = 1;
          ints[g] = v;
        } else if (isMax ? v > ints[g]! : v < ints[g]!) ints[g] = v;
      }
      return;
    }
    case 'int64': {
      const words = new Int32Array(col.values.buffer, col.values.byteOffset, col.length * 2);
      const ints = gv.ints;
      for (let i = 0; i < n; i++) {
        if (!valid(i)) continue;
        const g = ids[i]!;
        const hi = words[2 * i + HI]!;
        const lo = words[2 * i + LO]!;
        let replace = has[g] === 0;
        if (!replace) {
          const ch = ints[2 * g + HI]!;
          const d = hi !== ch ? hi - ch : (lo >>> 0) - (ints[2 * g + LO]! >>> 0);
          replace = isMax ? d > 0 : d < 0;
        }
        if (replace) {
          has[g] = 1;
          ints[2 * g + HI] = hi;
          ints[2 * g + LO] = lo;
        }
      }
      return;
    }
    case 'bool': {
      const bits = col.values;
      const ints = gv.ints;
      for (let i = 0; i < n; i++) {
        if (!valid(i)) continue;
        const g = ids[i]!;
        const v = (bits[i >> 3]! >> (i & 7)) & 1;
        if (has[g] === 0) {
          has[g] = 1;
          ints[g] = v;
        } else ints[g] = isMax ? ints[g]! | v : ints[g]! & v;
      }
      return;
    }
    case 'string':
    case 'category': {
      const { data, offsets, index } = byteView(col);
      for (let i = 0; i < n; i++) {
        if (!valid(i)) continue;
        const g = ids[i]!;
        const k = index === null ? i : index[i]!;
        const from = offsets[k]!;
        const to = offsets[k + 1]!;
        if (gv.has[g] !== 0) {
          const start = gv.start[g]!;
          const d = compareBytes(data, from, to, gv.bytes, start, start + gv.size[g]!);
          if (isMax ? d <= 0 : d >= 0) continue;
        }
        setBytes(gv, g, data, from, to);
      }
      return;
    }
  }
}

export function makeExtreme(name: 'min' | 'max'): Aggregate<GroupValues> {
  const isMax = name === 'max';
  return {
    name,
    needsColumn: true,
    outputDType: (input, options) => checkInput(name, input, options),
    create: (input, options) => newGroupValues(checkInput(name, input, options)),
    resize: (state, groups) => resizeGroupValues(state, groups),
    update: (state, ids, column, rowCount) => updateExtreme(isMax, state, ids, column!, rowCount),
    merge(into, from, mapping) {
      for (let g = 0; g < from.groups; g++) {
        const m = mapping[g]!;
        if (m < 0 || from.has[g] === 0) continue;
        if (into.has[m] === 0 || better(isMax, from, g, into, m)) copyGroupValue(into, m, from, g);
      }
    },
    finalize: groupValuesColumn,
  };
}
