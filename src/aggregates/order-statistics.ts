/**
 * median and quantile(q): exact, with pandas' (numpy's) linear interpolation between the two
 * order statistics around q·(n − 1). The state keeps every non-null value with its group (an
 * exact quantile needs them all), so memory grows with the rows; finalize sorts each group's
 * values once. A NaN in the group makes the result NaN; a group without values is null.
 */
import type { ColumnData } from '../core/column-data.js';
import { DuskSchemaError } from '../core/errors.js';
import { type Aggregate, type AggregateOptions, float64Column, grownFloat64, grownInt32, requireNumeric } from './aggregate.js';

export interface OrderState {
  groups: number;
  q: number;
  size: number;
  values: Float64Array;
  owner: Int32Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function append(state: OrderState, g: number, v: number): void {
  if (state.size === state.values.length) {
    state.values = grownFloat64(state.values, state.size + 1);
    state.owner = grownInt32(state.owner, state.values.length);
  }
  state.values[state.size] = v;
  state.owner[state.size++] = g;
}

/** numpy's _lerp: a + t·(b − a), computed from b's side when t ≥ 0.5 (as numpy does). */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

function quantileOfSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (sorted[n - 1] !== sorted[n - 1]) return Number.NaN;
  const position = q * (n - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  const t = position - below;
  return lerp(sorted[below]!, sorted[above]!, t);
}

function checkQ(q: number | undefined, options: AggregateOptions): number {
  if (q === undefined || !(q >= 0 && q <= 1)) throw new DuskSchemaError(`quantile(${options.column ?? ''}): q must be a number in [0, 1]; got ${q}`);
  return q;
}

export function makeOrderStatistic(name: 'median' | 'quantile'): Aggregate<OrderState> {
  return {
    name,
    needsColumn: true,
    outputDType: (input, options) => (requireNumeric(name, input, options), name === 'quantile' && checkQ(options.q, options), 'float64'),
    create(input, options) {
      requireNumeric(name, input, options);
      const q = name === 'median' ? 0.5 : checkQ(options.q, options);
      return { groups: 0, q, size: 0, values: new Float64Array(0), owner: new Int32Array(0) };
    },
    resize(state, groups) {
      if (groups > state.groups) state.groups = groups;
    },
    update(state, ids, column, rowCount) {
      const col = column! as ColumnData;
      const validity = col.validity;
      const words = col.dtype === 'int64' ? new Int32Array(col.values.buffer, col.values.byteOffset, col.length * 2) : null;
      for (let i = 0; i < rowCount; i++) {
        if (validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0) continue;
        let v: number;
        switch (col.dtype) {
          case 'float64':
          case 'int32':
            v = col.values[i]!;
            break;
          case 'int64':
            v = words![2 * i + (LITTLE_ENDIAN ? 1 : 0)]! * 4294967296 + (words![2 * i + (LITTLE_ENDIAN ? 0 : 1)]! >>> 0);
            break;
          case 'bool':
            v = (col.values[i >> 3]! >> (i & 7)) & 1;
            break;
          default:
            throw new Error(`${name} of a ${col.dtype} column`);
        }
        append(state, ids[i]!, v);
      }
    },
    merge(into, from, mapping) {
      for (let k = 0; k < from.size; k++) {
        const m = mapping[from.owner[k]!]!;
        if (m >= 0) append(into, m, from.values[k]!);
      }
    },
    finalize(state) {
      const n = state.groups;
      // Counting sort of the values by group, then one numeric sort per group.
      const starts = new Int32Array(n + 1);
      for (let k = 0; k < state.size; k++) starts[state.owner[k]! + 1]! += 1;
      for (let g = 0; g < n; g++) starts[g + 1]! += starts[g]!;
      const next = starts.slice(0, n);
      const byGroup = new Float64Array(state.size);
      for (let k = 0; k < state.size; k++) byGroup[next[state.owner[k]!]!++] = state.values[k]!;
      const out = new Float64Array(n);
      const has = new Uint8Array(n);
      for (let g = 0; g < n; g++) {
        if (starts[g + 1] === starts[g]) continue;
        const values = byGroup.subarray(starts[g]!, starts[g + 1]!).sort();
        out[g] = quantileOfSorted(values, state.q);
        has[g] = 1;
      }
      return float64Column(out, n, has);
    },
  };
}
