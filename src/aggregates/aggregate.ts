/**
 * The one interface every aggregate implements (DataFusion's Accumulator, for many groups at
 * once). A state holds N groups and grows (resize); update adds a batch of rows whose group ids
 * are given; merge folds another state's groups into this one through a mapping of group ids;
 * finalize turns it into one output value per group. States are plain data — typed arrays,
 * numbers, plain objects — because partial states move between worker threads by structured
 * clone. The functions never keep references to the input columns.
 */
import type { ColumnData } from '../core/column-data.js';
import type { DType } from '../core/dtypes.js';
import { DuskSchemaError } from '../core/errors.js';

export interface AggregateOptions {
  /** The input column's name (for error messages); null for aggregates without an input. */
  column: string | null;
  /** quantile: the probability, in [0, 1]. */
  q?: number;
  /** var and std: delta degrees of freedom (default 1). */
  ddof?: number;
}

export interface Aggregate<S extends object = object> {
  /** Registry name, e.g. 'sum'. */
  readonly name: string;
  /** False for aggregates of rows, not values (len). */
  readonly needsColumn: boolean;
  /** The output dtype for an input dtype; a DuskSchemaError naming the column when unsupported. */
  outputDType(input: DType | null, options: AggregateOptions): DType;
  /** An empty state (0 groups) for this input dtype. */
  create(input: DType | null, options: AggregateOptions): S;
  /** Makes room for `groups` groups; new groups are empty. */
  resize(state: S, groups: number): void;
  /** Adds rows [0, rowCount): row i belongs to group groupIds[i] (< the state's group count). */
  update(state: S, groupIds: Int32Array, column: ColumnData | null, rowCount: number): void;
  /**
   * Adds group g of `from` to group groupMapping[g] of `into` (into has room for them); a
   * negative target skips the group (splitting a partial into lanes takes some groups only).
   */
  merge(into: S, from: S, groupMapping: Int32Array): void;
  /** One value per group. */
  finalize(state: S): ColumnData;
}

/** The error for an aggregate that does not apply to a column's dtype. */
export function unsupported(aggregate: string, input: DType | null, options: AggregateOptions, needs: string): DuskSchemaError {
  const column = options.column === null ? 'no column' : `column '${options.column}'`;
  return new DuskSchemaError(`${aggregate}(${options.column ?? ''}): ${column} is ${input ?? 'missing'}; ${aggregate} needs ${needs}`);
}

export const NUMERIC_DTYPES: readonly DType[] = ['float64', 'int32', 'int64', 'bool'];

export function requireNumeric(aggregate: string, input: DType | null, options: AggregateOptions): DType {
  if (input === null || !NUMERIC_DTYPES.includes(input)) throw unsupported(aggregate, input, options, 'a numeric or bool column (float64, int32, int64, bool)');
  return input;
}

/** A validity bitmap from a per-group "has a value" byte array (null when all are set). */
export function validityOf(has: Uint8Array, n: number): { validity: Uint8Array | null; nullCount: number } {
  let nullCount = 0;
  const validity = new Uint8Array((n + 7) >> 3);
  for (let g = 0; g < n; g++) {
    if (has[g] !== 0) validity[g >> 3]! |= 1 << (g & 7);
    else nullCount++;
  }
  return nullCount === 0 ? { validity: null, nullCount } : { validity, nullCount };
}

/** A float64 output column; `has` (optional) marks groups with a value, others are null. */
export function float64Column(values: Float64Array, n: number, has?: Uint8Array): ColumnData {
  const { validity, nullCount } = has === undefined ? { validity: null, nullCount: 0 } : validityOf(has, n);
  return { dtype: 'float64', length: n, nullCount, validity, values: values.length === n ? values : values.slice(0, n) };
}

/** An int64 output column from exact non-negative counts held in doubles. */
export function int64Column(counts: Float64Array, n: number): ColumnData {
  const values = new BigInt64Array(n);
  for (let g = 0; g < n; g++) values[g] = BigInt(counts[g]!);
  return { dtype: 'int64', length: n, nullCount: 0, validity: null, values };
}

export function grownFloat64(a: Float64Array, size: number, fill = 0): Float64Array {
  if (a.length >= size) return a;
  const out = new Float64Array(Math.max(size, a.length * 2, 16));
  out.set(a);
  if (fill !== 0) out.fill(fill, a.length);
  return out;
}

export function grownUint8(a: Uint8Array, size: number): Uint8Array {
  if (a.length >= size) return a;
  const out = new Uint8Array(Math.max(size, a.length * 2, 16));
  out.set(a);
  return out;
}

export function grownInt32(a: Int32Array, size: number, fill = 0): Int32Array {
  if (a.length >= size) return a;
  const out = new Int32Array(Math.max(size, a.length * 2, 16));
  out.set(a);
  if (fill !== 0) out.fill(fill, a.length);
  return out;
}

export function isNullAt(validity: Uint8Array | null, i: number): boolean {
  return validity !== null && (validity[i >> 3]! & (1 << (i & 7))) === 0;
}
