import type { ExprType, Scalar } from './ir.js';

/**
 * Implicit conversions of an operand to the type a function takes (see types.ts): int32 →
 * int64 or float64, int64 → float64, category → string. A null stays null.
 */
export function convertScalar(value: Scalar, from: ExprType, to: ExprType): Scalar {
  if (value === null || from === to) return value;
  if (to === 'float64') return Number(value);
  if (to === 'int64' && typeof value === 'number') return BigInt(value);
  return value;
}

/** The same conversion as JS code over an operand expression. */
export function convertCode(expr: string, from: ExprType, to: ExprType): string {
  if (from === to) return expr;
  if (to === 'float64' && from === 'int64') return `Number(${expr})`;
  if (to === 'int64' && from === 'int32') return `BigInt(${expr})`;
  return expr;
}
