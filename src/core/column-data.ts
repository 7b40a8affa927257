import type { DType } from './dtypes.js';

/**
 * One parsed column of one batch, in Arrow's memory layout (validity bitmap LSB-first, one
 * bit per row, null when every value is valid), so it becomes an Arrow vector without copying
 * and can be moved between threads as plain typed arrays.
 */
export type ColumnData =
  | { dtype: 'float64'; length: number; nullCount: number; validity: Uint8Array | null; values: Float64Array }
  | { dtype: 'int32'; length: number; nullCount: number; validity: Uint8Array | null; values: Int32Array }
  | { dtype: 'int64'; length: number; nullCount: number; validity: Uint8Array | null; values: BigInt64Array }
  | { dtype: 'bool'; length: number; nullCount: number; validity: Uint8Array | null; values: Uint8Array }
  | { dtype: 'string'; length: number; nullCount: number; validity: Uint8Array | null; offsets: Int32Array; data: Uint8Array }
  | {
      dtype: 'category';
      length: number;
      nullCount: number;
      validity: Uint8Array | null;
      indices: Int32Array;
      dictionary: string[];
    };

/** Rows of one partition, a batch at a time, only the projected columns. */
export interface ColumnBatch {
  length: number;
  names: string[];
  columns: ColumnData[];
}

export function isValid(validity: Uint8Array | null, row: number): boolean {
  return validity === null || (validity[row >> 3]! & (1 << (row & 7))) !== 0;
}

export type ColumnDataOf<D extends DType> = Extract<ColumnData, { dtype: D }>;
