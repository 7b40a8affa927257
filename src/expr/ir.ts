import type { DType } from '../core/dtypes.js';

/**
 * The expression IR: plain JSON data, so the same expression goes unchanged to worker threads
 * (structured clone), other processes and remote workers (JSON), and the GPU compiler. Nothing
 * in it is code: function names are looked up in the registry, dtypes are checked against
 * DTYPES, and literal values are data.
 */
export type ExprNode = ColNode | LitNode | CallNode | WhenNode | CastNode | AliasNode | AggNode;

export interface ColNode {
  kind: 'col';
  name: string;
}

/**
 * A constant. `value` is JSON-exact: int64 values are decimal strings (they may not fit a
 * double), and float64 values that JSON cannot carry (NaN, ±Infinity, -0) are the strings
 * 'NaN', 'Infinity', '-Infinity', '-0'. Read it with decodeScalar. A null literal may carry a
 * dtype (from constant folding); an untyped null (dtype 'null') takes its context's type.
 */
export interface LitNode {
  kind: 'lit';
  dtype: LitDType;
  value: JsonScalar;
}

/** A scalar function from the registry by name (operators too: 'add', 'gt', 'and', ...). */
export interface CallNode {
  kind: 'call';
  fn: string;
  args: ExprNode[];
  /** Non-expression settings (decimals of round, isIn's values); absent when none. */
  params?: Params;
}

/** when(c1).then(v1).when(c2).then(v2).otherwise(v3): the first branch whose condition is true. */
export interface WhenNode {
  kind: 'when';
  branches: { when: ExprNode; then: ExprNode }[];
  otherwise: ExprNode;
}

export interface CastNode {
  kind: 'cast';
  arg: ExprNode;
  dtype: DType;
}

export interface AliasNode {
  kind: 'alias';
  arg: ExprNode;
  name: string;
}

/** An aggregation (evaluated by src/aggregates, never by the row kernels); arg null for len(). */
export interface AggNode {
  kind: 'agg';
  fn: string;
  arg: ExprNode | null;
  params?: Params;
}

/** The dtype of a literal: a column dtype other than category, or 'null' for an untyped null. */
export type LitDType = Exclude<DType, 'category'> | 'null';

export type JsonScalar = number | string | boolean | null;
export type JsonValue = JsonScalar | JsonValue[] | { [key: string]: JsonValue };
export type Params = { [key: string]: JsonValue };

/** A value as the row kernels and the evaluator see it: int64 is a bigint, category a string. */
export type Scalar = number | bigint | string | boolean | null;

/** The type of an expression: a column dtype, or 'null' for an untyped null literal. */
export type ExprType = DType | 'null';

const FLOAT_SPECIALS: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/** A literal or isIn value in its JSON form (see LitNode). */
export function encodeScalar(value: Scalar, dtype: LitDType): JsonScalar {
  if (value === null) return null;
  if (dtype === 'int64') return BigInt(value as bigint | number).toString();
  if (dtype === 'float64' && typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return 'Infinity';
    if (value === -Infinity) return '-Infinity';
    if (Object.is(value, -0)) return '-0';
  }
  return value as JsonScalar;
}

/** The value of a literal as the kernels use it (int64 → bigint; float specials → numbers). */
export function decodeScalar(value: JsonScalar, dtype: LitDType): Scalar {
  if (value === null) return null;
  switch (dtype) {
    case 'int64':
      return BigInt(value as string | number);
    case 'float64':
      return typeof value === 'string' ? FLOAT_SPECIALS[value]! : (value as number);
    default:
      return value;
  }
}
