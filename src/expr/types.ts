import type { DType } from '../core/dtypes.js';
import type { ExprType } from './ir.js';

/**
 * Type rules shared by the functions. Operands are converted to one operand type before a
 * function runs (int32 → int64 → float64; category → string), so each function handles one
 * representation per type: float64/int32 as numbers, int64 as bigints, bool as booleans,
 * string and category as JS strings.
 */

export function isNumeric(t: ExprType): t is 'float64' | 'int32' | 'int64' {
  return t === 'float64' || t === 'int32' || t === 'int64';
}

export function isInteger(t: ExprType): t is 'int32' | 'int64' {
  return t === 'int32' || t === 'int64';
}

export function isStringLike(t: ExprType): t is 'string' | 'category' {
  return t === 'string' || t === 'category';
}

/** The wider of two numeric types (null adopts the other); undefined when either is not numeric. */
export function numericSupertype(a: ExprType, b: ExprType): 'float64' | 'int32' | 'int64' | undefined {
  if (a === 'null' && b === 'null') return 'float64';
  if (a === 'null') return isNumeric(b) ? b : undefined;
  if (b === 'null') return isNumeric(a) ? a : undefined;
  if (!isNumeric(a) || !isNumeric(b)) return undefined;
  if (a === 'float64' || b === 'float64') return 'float64';
  if (a === 'int64' || b === 'int64') return 'int64';
  return 'int32';
}

/**
 * The type both values take when they meet (comparisons, when/then branches, fillNull, isIn):
 * numbers widen, strings and categories compare as strings, bools only with bools, and an
 * untyped null takes the other side's type. undefined when they cannot meet.
 */
export function commonType(a: ExprType, b: ExprType): DType | undefined {
  const numeric = numericSupertype(a, b);
  if (numeric) return numeric;
  if (a === 'null') return b === 'category' ? 'string' : (b as DType);
  if (b === 'null') return a === 'category' ? 'string' : a;
  if (isStringLike(a) && isStringLike(b)) return 'string';
  if (a === 'bool' && b === 'bool') return 'bool';
  return undefined;
}

/** The dtype a column gets for an expression of this type (an all-null column is float64). */
export function columnDType(t: ExprType): DType {
  return t === 'null' ? 'float64' : t;
}

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
