import type { DType } from '../core/dtypes.js';
import { DuskSchemaError } from '../core/errors.js';
import { castCode } from '../expr/cast.js';
import { convertCode, convertScalar } from '../expr/convert.js';
import type { ExprType, JsValue, Scalar, Signature, TypedExpr, Utf8Ref } from '../expr/index.js';
import { utf8Decode } from '../expr/functions/utf8.js';
import { argStartsRegion, cseKey, loadValue, regionOf, ROOT_REGION, storeCode } from './cse.js';
import { compileLifted, liftableColumn } from './dictionary-lift.js';
import { bigintSource, type KernelWriter, numberSource } from './kernel-writer.js';

/**
 * Generates the JS for one typed expression at row `i`: statements into the writer's current
 * block, and the expressions that hold its value (in its type's representation: numbers,
 * bigints for int64, booleans, JS strings) and its null flag. Input column c<j> is bound to
 * c<j>v (values), c<j>m (validity), and for strings c<j>d/c<j>o, for categories c<j>i/c<j>k.
 * With a CSE plan on the writer (cse.ts), a repeated sub-expression gives the value computed
 * earlier in the row where that value is valid here, and the filter loop stores the values
 * the outputs read back.
 */
export function compileExpr(w: KernelWriter, t: TypedExpr): JsValue {
  const plan = w.cse;
  if (plan === null || t.kind === 'col' || t.kind === 'lit' || t.kind === 'alias') return compileNode(w, t);
  const key = cseKey(t);
  const loaded = plan.loads.get(key);
  if (loaded) return loadValue(loaded);
  if (!plan.remembered.has(key)) return compileNode(w, t);
  const known = w.recall(key);
  if (known) return known;
  const value = compileNode(w, t);
  w.remember(key, value);
  const stored = plan.stores.get(key);
  if (stored) w.emit(storeCode(stored, value));
  return value;
}

/**
 * Computes, at the start of a region (see cse.ts), the repeated sub-expressions planned for
 * it, so that every use inside the region finds them.
 */
export function enterRegion(w: KernelWriter, region: string): void {
  for (const t of w.cse?.hoisted.get(region) ?? []) compileExpr(w, t);
}

/** Enters the root region of the loop being written. */
export function enterLoop(w: KernelWriter): void {
  enterRegion(w, ROOT_REGION);
}

function compileNode(w: KernelWriter, t: TypedExpr): JsValue {
  const category = liftableColumn(t);
  if (category !== null) return compileLifted(w, t, category, zeroValue(t.type));
  switch (t.kind) {
    case 'col':
      return readColumn(w, t.node.name, t.type);
    case 'lit':
      return { v: literalSource(t.value, t.type, w), n: t.value === null ? 'true' : 'false' };
    case 'alias':
      return compileExpr(w, t.arg);
    case 'cast': {
      const arg = compileExpr(w, t.arg);
      if (t.arg.type === 'null') return { v: w.zero(t.type), n: 'true' };
      const { code, nullable } = castCode(arg.v, t.arg.type, t.type, (value) => w.constant(value));
      return finishStrict(w, code, [arg.n], nullable, t.type);
    }
    case 'call':
      return t.fn.nulls === 'custom' ? compileCustom(w, t) : compileStrict(w, t);
    case 'when':
      return compileWhen(w, t);
    case 'agg':
      throw new DuskSchemaError(`${t.spec.name}() is an aggregation: aggregate operators evaluate it, not a row kernel`);
  }
}

/** A value converted to the type an operation takes (see convert.ts); a null literal becomes that type's zero. */
function operand(w: KernelWriter, t: TypedExpr, to: ExprType): JsValue {
  const value = compileExpr(w, t);
  if (t.type === 'null') return { v: w.zero(to), n: 'true' };
  return { v: convertCode(value.v, t.type, to), n: value.n };
}

type CallExpr = Extract<TypedExpr, { kind: 'call' }>;

function compileStrict(w: KernelWriter, t: CallExpr): JsValue {
  const { fn, sig, params } = t;
  const fast = utf8Form(w, t);
  if (fast) {
    const column = compileExpr(w, t.args[0]!);
    return finishStrict(w, fast, [column.n], fn.nullable === true, t.type);
  }
  const args = t.args.map((a, k) => operand(w, a, sig.operands[k]!));
  const values = args.map((a) => a.v);
  const code = fn.inline ? fn.inline(values, sig, params, w) : `${w.constant(boundEvaluate(t))}(${values.join(', ')})`;
  return finishStrict(w, code, args.map((a) => a.n), fn.nullable === true, t.type);
}

/** The function's reference implementation with its signature and params bound. */
function boundEvaluate(t: CallExpr): (...values: Scalar[]) => Scalar {
  const { fn, sig, params } = t;
  return (...values) => fn.evaluate(values, sig, params);
}

/**
 * Assigns a strict result to a temporary: the type's zero where an operand is null (so the
 * code never runs on a missing value), and null when a nullable function gives null.
 */
function finishStrict(w: KernelWriter, code: string, operandNulls: string[], nullable: boolean, type: ExprType): JsValue {
  const anyNull = operandNulls.filter((n) => n !== 'false');
  if (anyNull.includes('true')) return { v: w.zero(type), n: 'true' };
  const v = w.temp(type);
  if (!nullable) {
    if (anyNull.length === 0) {
      w.emit(`${v} = ${code};`);
      return { v, n: 'false' };
    }
    const n = w.temp('bool');
    w.emit(`${n} = ${anyNull.join(' || ')};`);
    w.emit(`${v} = ${n} ? ${w.zero(type)} : ${code};`);
    return { v, n };
  }
  const raw = w.temp();
  const n = w.temp('bool');
  w.emit(`${raw} = ${anyNull.length === 0 ? code : `(${anyNull.join(' || ')}) ? null : ${code}`};`);
  w.emit(`${n} = ${raw} === null;`);
  w.emit(`${v} = ${n} ? ${w.zero(type)} : ${raw};`);
  return { v, n };
}

/** The byte-level form of a call on a string column and literals, when the function has one. */
function utf8Form(w: KernelWriter, t: CallExpr): string | undefined {
  const [first, ...rest] = t.args;
  if (!t.fn.utf8 || first?.kind !== 'col' || first.type !== 'string' || !rest.every((a) => a.kind === 'lit' && a.value !== null)) return undefined;
  const j = w.column(first.node.name, 'string');
  const ref: Utf8Ref = { data: `c${j}d`, start: `c${j}o[i]`, end: `c${j}o[i + 1]` };
  const literals = rest.map((a, k) => convertScalar((a as Extract<TypedExpr, { kind: 'lit' }>).value, a.type, t.sig.operands[k + 1]!));
  return t.fn.utf8(ref, literals, t.sig, t.params, w);
}

function compileCustom(w: KernelWriter, t: CallExpr): JsValue {
  const thunks = t.args.map((a, k) => () => {
    if (argStartsRegion(t.fn, k)) enterRegion(w, regionOf(t, `a${k}`));
    return operand(w, a, t.sig.operands[k]!);
  });
  return t.fn.emit!(w, thunks, t.sig as Signature, t.params);
}

/** The first branch whose condition is true (not null); each branch is evaluated only when reached. */
function compileWhen(w: KernelWriter, t: Extract<TypedExpr, { kind: 'when' }>): JsValue {
  const out: JsValue = { v: w.temp(t.type), n: w.temp('bool') };
  const assign = (branch: TypedExpr) => {
    const value = operand(w, branch, t.type);
    w.emit(`${out.v} = ${value.v}; ${out.n} = ${value.n};`);
  };
  const chain = (k: number): void => {
    if (k === t.branches.length) return assign(t.otherwise);
    const cond = compileExpr(w, t.branches[k]!.when);
    const then = w.block(() => {
      enterRegion(w, regionOf(t, `t${k}`));
      assign(t.branches[k]!.then);
    });
    const orElse = w.block(() => {
      enterRegion(w, regionOf(t, `e${k}`));
      chain(k + 1);
    });
    w.emit(`if (!${cond.n} && ${cond.v}) {\n${then}\n} else {\n${orElse}\n}`);
  };
  chain(0);
  return out;
}

function readColumn(w: KernelWriter, name: string, dtype: DType): JsValue {
  const j = w.column(name, dtype);
  const n = `(c${j}m !== null && (c${j}m[i >> 3] & (1 << (i & 7))) === 0)`;
  switch (dtype) {
    case 'bool':
      return { v: `(((c${j}v[i >> 3] >> (i & 7)) & 1) === 1)`, n };
    case 'string':
      return { v: `${w.constant(utf8Decode)}(c${j}d, c${j}o[i], c${j}o[i + 1])`, n };
    case 'category':
      return { v: `c${j}k[c${j}i[i]]`, n };
    default:
      return { v: `c${j}v[i]`, n };
  }
}

function literalSource(value: Scalar, type: ExprType, w: KernelWriter): string {
  if (value === null) return w.zero(type);
  switch (typeof value) {
    case 'number':
      return numberSource(value);
    case 'bigint':
      return bigintSource(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    default:
      throw new DuskSchemaError(`kernel: unexpected literal ${String(value)}`);
  }
}

/** The value a null slot holds, as a JS value (the runtime twin of KernelWriter.zero). */
function zeroValue(type: ExprType): Scalar {
  switch (type) {
    case 'int64':
      return 0n;
    case 'bool':
      return false;
    case 'string':
    case 'category':
      return '';
    default:
      return 0;
  }
}
