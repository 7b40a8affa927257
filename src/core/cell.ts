import type { ColumnData } from './column-data.js';
import { isValid } from './column-data.js';

const decoder = new TextDecoder();

/**
 * One value of a column as a plain JS value: null when missing; int64 as a number when it is
 * exact (|v| ≤ 2^53), else a bigint; bool as a boolean; string and category as a string.
 */
export function cellValue(col: ColumnData, row: number): number | bigint | boolean | string | null {
  if (!isValid(col.validity, row)) return null;
  switch (col.dtype) {
    case 'float64':
    case 'int32':
      return col.values[row]!;
    case 'int64': {
      const v = col.values[row]!;
      return v <= 9007199254740992n && v >= -9007199254740992n ? Number(v) : v;
    }
    case 'bool':
      return ((col.values[row >> 3]! >> (row & 7)) & 1) === 1;
    case 'string':
      return decoder.decode(col.data.subarray(col.offsets[row]!, col.offsets[row + 1]!));
    case 'category':
      return col.dictionary[col.indices[row]!]!;
  }
}
