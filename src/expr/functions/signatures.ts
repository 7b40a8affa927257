import type { ExprType } from '../ir.js';
import { commonType, isNumeric, numericSupertype } from '../types.js';
import type { Signature, TypeMismatch } from './registry.js';

/** Signatures shared by families of functions. */

/** Both operands widened to one numeric type; `int32Result` says what int32 ∘ int32 gives. */
export function numericPair(args: readonly ExprType[], int32Result: 'int32' | 'int64'): Signature | TypeMismatch {
  const t = numericSupertype(args[0]!, args[1]!);
  if (!t) return { needs: 'numeric operands' };
  const operand = t === 'int32' ? int32Result : t;
  return { operands: [operand, operand], result: operand };
}

/** Both operands converted to float64, float64 result (true division, pow). */
export function floatPair(args: readonly ExprType[]): Signature | TypeMismatch {
  if (!numericSupertype(args[0]!, args[1]!)) return { needs: 'numeric operands' };
  return { operands: ['float64', 'float64'], result: 'float64' };
}

/** One numeric operand, float64 result (sqrt, exp, ...). */
export function floatUnary(args: readonly ExprType[]): Signature | TypeMismatch {
  const t = args[0]!;
  if (!isNumeric(t) && t !== 'null') return { needs: 'a numeric operand' };
  return { operands: ['float64'], result: 'float64' };
}

/** One numeric operand kept in its type (abs, neg, floor, ...). */
export function sameNumericUnary(args: readonly ExprType[]): Signature | TypeMismatch {
  const t = args[0]! === 'null' ? 'float64' : args[0]!;
  if (!isNumeric(t)) return { needs: 'a numeric operand' };
  return { operands: [t], result: t };
}

/** Two values of one comparable type (numbers, strings and categories, or bools) → bool. */
export function comparablePair(args: readonly ExprType[]): Signature | TypeMismatch {
  const t = commonType(args[0]!, args[1]!);
  if (!t) return { needs: 'two numbers, two strings (string or category) or two bools' };
  return { operands: [t, t], result: 'bool' };
}

/** Bool operands (null allowed), bool result. */
export function boolArgs(args: readonly ExprType[]): Signature | TypeMismatch {
  if (!args.every((t) => t === 'bool' || t === 'null')) return { needs: args.length === 1 ? 'a bool operand' : 'bool operands' };
  return { operands: args.map(() => 'bool'), result: 'bool' };
}
