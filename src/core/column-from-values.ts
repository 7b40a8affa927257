import type { ColumnData } from './column-data.js';
import type { DType } from './dtypes.js';
import { DuskSchemaError } from './errors.js';

/** A column given as JS values: what fromColumns takes, and what a mapPartitions function may return per column. */
export type ColumnInput = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint16Array | Uint8Array | BigInt64Array | readonly (number | null)[] | readonly (string | null)[] | readonly (boolean | null)[];

const encoder = new TextEncoder();

/**
 * A JS array or typed array as a column (ddf.fromColumns, the columns a mapPartitions function
 * returns): typed arrays as they are (narrow ints widened to int32, float32 to float64), arrays
 * of numbers, strings or booleans with null/undefined as missing. `where` names the column.
 */
export function columnFromValues(input: unknown, where: string): ColumnData {
  if (input instanceof Float64Array) return { dtype: 'float64', length: input.length, nullCount: 0, validity: null, values: input };
  if (input instanceof Int32Array) return { dtype: 'int32', length: input.length, nullCount: 0, validity: null, values: input };
  if (input instanceof BigInt64Array) return { dtype: 'int64', length: input.length, nullCount: 0, validity: null, values: input };
  if (input instanceof Float32Array) return { dtype: 'float64', length: input.length, nullCount: 0, validity: null, values: Float64Array.from(input) };
  if (input instanceof Int8Array || input instanceof Int16Array || input instanceof Uint8Array || input instanceof Uint16Array) {
    return { dtype: 'int32', length: input.length, nullCount: 0, validity: null, values: Int32Array.from(input) };
  }
  if (!Array.isArray(input)) {
    const what = ArrayBuffer.isView(input) ? input.constructor.name : input === null ? 'null' : typeof input;
    throw new DuskSchemaError(`${where} is ${what}; pass a Float64Array, Int32Array, BigInt64Array (or a narrower typed array), or an array of numbers, strings or booleans`);
  }
  const length = input.length;
  const kinds = new Set(input.filter((v) => v !== null && v !== undefined).map((v) => typeof v));
  if (kinds.size > 1) throw new DuskSchemaError(`${where} mixes ${[...kinds].join(' and ')} values`);
  const kind = [...kinds][0] ?? 'number';
  const validity = new Uint8Array((length + 7) >> 3);
  let nullCount = 0;
  input.forEach((v, i) => {
    if (v === null || v === undefined) nullCount++;
    else validity[i >> 3]! |= 1 << (i & 7);
  });
  const common = { length, nullCount, validity: nullCount === 0 ? null : validity };
  if (kind === 'number') return { dtype: 'float64', ...common, values: Float64Array.from(input as (number | null)[], (v) => v ?? 0) };
  if (kind === 'boolean') {
    const values = new Uint8Array((length + 7) >> 3);
    (input as (boolean | null)[]).forEach((v, i) => {
      if (v === true) values[i >> 3]! |= 1 << (i & 7);
    });
    return { dtype: 'bool', ...common, values };
  }
  if (kind === 'string') {
    const encoded = (input as (string | null)[]).map((s) => (s === null || s === undefined ? new Uint8Array(0) : encoder.encode(s)));
    const offsets = new Int32Array(length + 1);
    encoded.forEach((e, i) => (offsets[i + 1] = offsets[i]! + e.length));
    const data = new Uint8Array(offsets[length]!);
    encoded.forEach((e, i) => data.set(e, offsets[i]!));
    return { dtype: 'string', ...common, offsets, data };
  }
  throw new DuskSchemaError(`${where} holds ${kind} values; pass numbers, strings or booleans`);
}

/** A column of no rows. */
export function emptyColumn(dtype: DType): ColumnData {
  const common = { length: 0, nullCount: 0, validity: null };
  switch (dtype) {
    case 'float64':
      return { dtype, ...common, values: new Float64Array(0) };
    case 'int32':
      return { dtype, ...common, values: new Int32Array(0) };
    case 'int64':
      return { dtype, ...common, values: new BigInt64Array(0) };
    case 'bool':
      return { dtype, ...common, values: new Uint8Array(0) };
    case 'string':
      return { dtype, ...common, offsets: new Int32Array(1), data: new Uint8Array(0) };
    case 'category':
      return { dtype, ...common, indices: new Int32Array(0), dictionary: [] };
  }
}
