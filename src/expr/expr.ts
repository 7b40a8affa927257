import type { DType } from '../core/dtypes.js';
import { DTYPES } from '../core/dtypes.js';
import { DuskSchemaError } from '../core/errors.js';
import { formatExpr } from './format.js';
import { encodeScalar, type ExprNode, type LitDType, type Params } from './ir.js';
import { checkLiteral, describeValue, literalOf } from './literal.js';
import { INT32_MAX, INT32_MIN } from './types.js';

/** What an Expr method takes as an operand: an Expr, or a plain value that becomes a literal. */
export type ExprLike = Expr | number | bigint | string | boolean | null;

/** A value isIn() can look for. */
export type ListValue = number | bigint | string | boolean;

/**
 * A lazy column expression: a thin builder around the IR node (`expr.node`, plain JSON data).
 * Nothing is checked against a schema until a plan uses it (resolveType), so an expression can
 * be built before the data is known.
 */
export class Expr {
  constructor(readonly node: ExprNode) {}

  // Arithmetic
  add(other: ExprLike): Expr { return this.call('add', [other]); }
  sub(other: ExprLike): Expr { return this.call('sub', [other]); }
  mul(other: ExprLike): Expr { return this.call('mul', [other]); }
  /** True division: always float64. */
  div(other: ExprLike): Expr { return this.call('div', [other]); }
  /** Floored modulo (the sign of the divisor, as pandas); an integer mod by zero is null. */
  mod(other: ExprLike): Expr { return this.call('mod', [other]); }
  /** Always float64. */
  pow(other: ExprLike): Expr { return this.call('pow', [other]); }
  neg(): Expr { return this.call('neg', []); }

  // Comparisons (null when either side is null)
  eq(other: ExprLike): Expr { return this.call('eq', [other]); }
  ne(other: ExprLike): Expr { return this.call('ne', [other]); }
  lt(other: ExprLike): Expr { return this.call('lt', [other]); }
  le(other: ExprLike): Expr { return this.call('le', [other]); }
  gt(other: ExprLike): Expr { return this.call('gt', [other]); }
  ge(other: ExprLike): Expr { return this.call('ge', [other]); }
  /** lo <= x <= hi, both ends inclusive (pandas' between). */
  between(lo: ExprLike, hi: ExprLike): Expr { return this.ge(lo).and(this.le(hi)); }
  isIn(values: readonly ListValue[]): Expr { return this.call('isIn', [], listParams(values)); }

  // Kleene logic
  and(other: ExprLike): Expr { return this.call('and', [other]); }
  or(other: ExprLike): Expr { return this.call('or', [other]); }
  not(): Expr { return this.call('not', []); }

  // Nulls
  isNull(): Expr { return this.call('isNull', []); }
  isNotNull(): Expr { return this.call('isNotNull', []); }
  fillNull(value: ExprLike): Expr { return this.call('fillNull', [value]); }

  /** Placement hint: this expression's pipeline runs on the GPU (or stays on the CPU); the value is unchanged. */
  onDevice(device: 'gpu' | 'cpu'): Expr { return this.call('onDevice', [], { device }); }

  // Math
  abs(): Expr { return this.call('abs', []); }
  sqrt(): Expr { return this.call('sqrt', []); }
  exp(): Expr { return this.call('exp', []); }
  log(): Expr { return this.call('log', []); }
  sin(): Expr { return this.call('sin', []); }
  cos(): Expr { return this.call('cos', []); }
  /** Half to even, as pandas/numpy. */
  round(decimals = 0): Expr { return this.call('round', [], { decimals: integer('round', 'decimals', decimals) }); }
  floor(): Expr { return this.call('floor', []); }
  ceil(): Expr { return this.call('ceil', []); }
  /** Limits values to [lo, hi]; a missing or null bound is no bound. */
  clip(lo: ExprLike = null, hi: ExprLike = null): Expr { return this.call('clip', [lo, hi]); }

  cast(dtype: DType): Expr {
    if (!DTYPES.includes(dtype)) throw new DuskSchemaError(`cast: dtype must be one of ${DTYPES.join(', ')}; got ${JSON.stringify(dtype)}`);
    return new Expr({ kind: 'cast', arg: this.node, dtype });
  }

  alias(name: string): Expr {
    if (typeof name !== 'string') throw new DuskSchemaError(`alias: name must be a string; got ${describeValue(name)}`);
    return new Expr({ kind: 'alias', arg: this.node, name });
  }

  /** String functions (on string and category columns). */
  get str(): StringFunctions { return new StringFunctions(this); }

  // Aggregations (evaluated by an aggregate operator; nulls skipped)
  count(): Expr { return this.agg('count'); }
  /** Rows, nulls included. */
  len(): Expr { return this.agg('len'); }
  sum(): Expr { return this.agg('sum'); }
  mean(): Expr { return this.agg('mean'); }
  min(): Expr { return this.agg('min'); }
  max(): Expr { return this.agg('max'); }
  var(ddof = 1): Expr { return this.agg('var', { ddof: integer('var', 'ddof', ddof) }); }
  std(ddof = 1): Expr { return this.agg('std', { ddof: integer('std', 'ddof', ddof) }); }
  nunique(): Expr { return this.agg('nunique'); }
  first(): Expr { return this.agg('first'); }
  last(): Expr { return this.agg('last'); }
  median(): Expr { return this.agg('median'); }
  /** Linear interpolation, as pandas' default. */
  quantile(q: number): Expr {
    if (typeof q !== 'number' || !(q >= 0 && q <= 1)) throw new DuskSchemaError(`quantile: q must be a number from 0 to 1; got ${String(q)}`);
    return this.agg('quantile', { q });
  }

  /** JSON.stringify(expr) writes the IR node. */
  toJSON(): ExprNode { return this.node; }
  toString(): string { return formatExpr(this.node); }

  /** @internal */
  call(fn: string, others: ExprLike[], params?: Params): Expr {
    const node: ExprNode = { kind: 'call', fn, args: [this.node, ...others.map(toNode)] };
    return new Expr(params ? { ...node, params } : node);
  }

  private agg(fn: string, params?: Params): Expr {
    const node: ExprNode = { kind: 'agg', fn, arg: this.node };
    return new Expr(params ? { ...node, params } : node);
  }
}

export class StringFunctions {
  constructor(private readonly expr: Expr) {}
  /** Characters (code points). */
  len(): Expr { return this.expr.call('str.len', []); }
  lower(): Expr { return this.expr.call('str.lower', []); }
  upper(): Expr { return this.expr.call('str.upper', []); }
  /** A regular expression search (JavaScript syntax), or a plain substring when literal is true. */
  contains(pattern: string, literal = false): Expr {
    return this.expr.call('str.contains', [], { pattern: text('str.contains', 'pattern', pattern), literal: literal === true });
  }
  startsWith(prefix: string): Expr { return this.expr.call('str.startsWith', [], { prefix: text('str.startsWith', 'prefix', prefix) }); }
  endsWith(suffix: string): Expr { return this.expr.call('str.endsWith', [], { suffix: text('str.endsWith', 'suffix', suffix) }); }
  /** Characters from start (negative: from the end), at most length of them. */
  slice(start: number, length?: number): Expr {
    if (length !== undefined && (integer('str.slice', 'length', length) < 0)) throw new DuskSchemaError(`str.slice: length must be >= 0; got ${length}`);
    return this.expr.call('str.slice', [], { start: integer('str.slice', 'start', start), length: length ?? null });
  }
}

/** The IR node of an operand. */
export function toNode(value: ExprLike): ExprNode {
  if (value instanceof Expr) return value.node;
  return literalOf(value);
}

export function col(name: string): Expr {
  if (typeof name !== 'string') throw new DuskSchemaError(`col: name must be a string; got ${describeValue(name)}`);
  return new Expr({ kind: 'col', name });
}

/** A constant; `dtype` forces a numeric type (lit(1, 'float64')). NaN and ±Infinity are fine. */
export function lit(value: number | bigint | string | boolean | null, dtype?: LitDType): Expr {
  return new Expr(literalOf(value, dtype));
}

/** The number of rows (as an aggregation). */
export function len(): Expr {
  return new Expr({ kind: 'agg', fn: 'len', arg: null });
}

/** when(cond).then(a).when(cond2).then(b).otherwise(c); without otherwise, the rest are null. */
export function when(condition: ExprLike): WhenClause {
  return new WhenClause([], toNode(condition));
}

export class WhenClause {
  constructor(
    private readonly branches: { when: ExprNode; then: ExprNode }[],
    private readonly condition: ExprNode,
  ) {}
  then(value: ExprLike): When {
    return new When([...this.branches, { when: this.condition, then: toNode(value) }]);
  }
}

export class When extends Expr {
  constructor(private readonly branches: { when: ExprNode; then: ExprNode }[]) {
    super({ kind: 'when', branches, otherwise: { kind: 'lit', dtype: 'null', value: null } });
  }
  when(condition: ExprLike): WhenClause {
    return new WhenClause(this.branches, toNode(condition));
  }
  otherwise(value: ExprLike): Expr {
    return new Expr({ kind: 'when', branches: this.branches, otherwise: toNode(value) });
  }
}

function integer(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new DuskSchemaError(`${fn}: ${name} must be an integer; got ${typeof value === 'number' ? value : describeValue(value)}`);
  return value;
}

function text(fn: string, name: string, value: unknown): string {
  if (typeof value !== 'string') throw new DuskSchemaError(`${fn}: ${name} must be a string; got ${describeValue(value)}`);
  return value;
}

/** isIn's params: the values in their JSON form, with one dtype for the list. */
function listParams(values: readonly ListValue[]): Params {
  if (!Array.isArray(values)) throw new DuskSchemaError(`isIn: values must be an array; got ${describeValue(values)}`);
  const kinds = new Set<string>();
  for (const v of values) {
    if (v === null || v === undefined) throw new DuskSchemaError('isIn: values cannot contain null (a null is never in a list); use isNull() to find nulls');
    if (typeof v === 'number' || typeof v === 'bigint') kinds.add('number');
    else if (typeof v === 'string' || typeof v === 'boolean') kinds.add(typeof v);
    else throw new DuskSchemaError(`isIn: cannot look for ${describeValue(v)}; values are numbers, bigints, strings or booleans`);
  }
  if (kinds.size > 1) throw new DuskSchemaError(`isIn: values must be all numbers, all strings or all booleans; got ${[...kinds].join(' and ')}`);
  const dtype = listDType(values, [...kinds][0]);
  const encoded = values.map((v) => encodeScalar(dtype === 'float64' ? Number(v) : v, dtype));
  for (const v of encoded) checkLiteral(v, dtype, 'isIn value');
  return { values: encoded, dtype };
}

function listDType(values: readonly ListValue[], kind: string | undefined): LitDType {
  if (kind === undefined) return 'null';
  if (kind === 'string') return 'string';
  if (kind === 'boolean') return 'bool';
  const isInt32 = (v: ListValue) => typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX && !Object.is(v, -0);
  if (values.every(isInt32)) return 'int32';
  if (values.every((v) => typeof v === 'bigint' || Number.isSafeInteger(v))) return 'int64';
  return 'float64';
}
