import type { DType } from '../core/dtypes.js';
import { formatExpr, type ExprType, type TypedExpr } from '../expr/index.js';

/**
 * The GPU's part of the expression IR: typed expressions compiled to WGSL statements over one
 * row `i`. Values are f32 (float64 in the IR: f32 on the GPU, allowed by gpuFloat32 for float64
 * columns), i32 (int32) and bool; each value carries a null flag, as in the JS kernels. What is
 * not here (int64, strings, categories, pow, mod, round, isIn, clip, casts to int) is refused
 * with the reason, and that pipeline stays on the CPU.
 */

export type GpuType = 'f32' | 'i32' | 'bool';

/** How input column j is read: its WGSL type and where its words sit in the packed input. */
export interface GpuColumn {
  name: string;
  dtype: DType;
  type: GpuType;
}

export interface WgslValue {
  v: string;
  n: string;
}

export class Unsupported extends Error {}

/** Writes the statements of one kernel body; columns are numbered in order of first use. */
export class WgslWriter {
  readonly columns: GpuColumn[] = [];
  readonly lines: string[] = [];
  private temps = 0;

  column(name: string, dtype: DType): number {
    const found = this.columns.findIndex((c) => c.name === name);
    if (found >= 0) return found;
    return this.columns.push({ name, dtype, type: gpuTypeOf(dtype, name) }) - 1;
  }

  temp(type: GpuType, value: string): string {
    const name = `t${this.temps++}`;
    this.lines.push(`let ${name}: ${type} = ${value};`);
    return name;
  }

  mutable(type: GpuType, value: string): string {
    const name = `t${this.temps++}`;
    this.lines.push(`var ${name}: ${type} = ${value};`);
    return name;
  }

  emit(line: string): void {
    this.lines.push(line);
  }

  block(body: () => void): string {
    const start = this.lines.length;
    body();
    return this.lines.splice(start).join('\n');
  }
}

export function gpuTypeOf(dtype: ExprType, what: string): GpuType {
  switch (dtype) {
    case 'float64':
    case 'null':
      return 'f32';
    case 'int32':
      return 'i32';
    case 'bool':
      return 'bool';
    default:
      throw new Unsupported(`${what} is ${dtype}, which the GPU does not run (f32, i32 and bool only)`);
  }
}

const FLOAT_UNARY: Record<string, string> = { sqrt: 'sqrt', exp: 'exp', log: 'log', sin: 'sin', cos: 'cos', floor: 'floor', ceil: 'ceil' };
const ARITH: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/' };
const COMPARE: Record<string, string> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

export function zeroOf(type: GpuType): string {
  return type === 'f32' ? '0.0f' : type === 'i32' ? '0i' : 'false';
}

/**
 * A float literal in WGSL by bit pattern. WGSL refuses constant NaN and ±Infinity, so those add
 * P.zero (a uniform that is 0 at run time) to the pattern: a value, not a constant.
 */
export function f32Literal(x: number): string {
  if (Number.isNaN(x)) return 'bitcast<f32>(0x7fc00000u + P.zero)';
  const f = Math.fround(x);
  if (!Number.isFinite(f)) return f > 0 ? 'bitcast<f32>(0x7f800000u + P.zero)' : 'bitcast<f32>(0xff800000u + P.zero)';
  const bits = new Uint32Array(new Float32Array([f]).buffer)[0]!;
  return `bitcast<f32>(${bits}u)`;
}

/** Compiles `t` into the writer's statements; the returned value and null flag are WGSL expressions. */
export function compileWgsl(w: WgslWriter, t: TypedExpr): WgslValue {
  switch (t.kind) {
    case 'alias':
      return compileWgsl(w, t.arg);
    case 'col': {
      const j = w.column(t.node.name, t.type);
      const type = w.columns[j]!.type;
      const v = type === 'bool' ? `readBool(${j}u, i)` : type === 'f32' ? `bitcast<f32>(inp[colAt(${j}u) + i])` : `bitcast<i32>(inp[colAt(${j}u) + i])`;
      return { v: w.temp(type, v), n: w.temp('bool', `isNullAt(${j}u, i)`) };
    }
    case 'lit': {
      const type = gpuTypeOf(t.type, formatExpr(t.node));
      if (t.value === null) return { v: zeroOf(type), n: 'true' };
      if (type === 'f32') return { v: f32Literal(Number(t.value)), n: 'false' };
      if (type === 'i32') return { v: `i32(${Number(t.value)})`, n: 'false' };
      return { v: t.value ? 'true' : 'false', n: 'false' };
    }
    case 'cast': {
      const from = gpuTypeOf(t.arg.type, formatExpr(t.arg.node));
      const to = gpuTypeOf(t.type, formatExpr(t.node));
      if (t.arg.type === 'null') return { v: zeroOf(to), n: 'true' };
      const arg = compileWgsl(w, t.arg);
      if (from === to) return arg;
      if (to === 'f32') return { v: w.temp('f32', from === 'bool' ? `select(0.0f, 1.0f, ${arg.v})` : `f32(${arg.v})`), n: arg.n };
      throw new Unsupported(`${formatExpr(t.node)}: casts to ${t.type} stay on the CPU (overflow gives null there)`);
    }
    case 'when':
      return compileWhen(w, t);
    case 'call':
      return compileCall(w, t);
    case 'agg':
      throw new Unsupported(`${formatExpr(t.node)} is an aggregation`);
  }
}

/** An operand converted to the type the call takes. */
function operand(w: WgslWriter, t: TypedExpr, to: ExprType): WgslValue {
  const target = gpuTypeOf(to, formatExpr(t.node));
  if (t.type === 'null') return { v: zeroOf(target), n: 'true' };
  const value = compileWgsl(w, t);
  const from = gpuTypeOf(t.type, formatExpr(t.node));
  if (from === target) return value;
  if (target === 'f32' && from === 'i32') return { v: `f32(${value.v})`, n: value.n };
  throw new Unsupported(`${formatExpr(t.node)}: ${t.type} as ${to} stays on the CPU`);
}

type CallExpr = Extract<TypedExpr, { kind: 'call' }>;

function anyNull(flags: string[]): string {
  const live = flags.filter((f) => f !== 'false');
  if (live.includes('true')) return 'true';
  return live.length === 0 ? 'false' : live.map((f) => `(${f})`).join(' || ');
}

/** A strict result: zero where an operand is null (so the code never sees a missing value). */
function strict(w: WgslWriter, type: GpuType, code: string, flags: string[]): WgslValue {
  const n = anyNull(flags);
  if (n === 'true') return { v: zeroOf(type), n: 'true' };
  if (n === 'false') return { v: w.temp(type, code), n: 'false' };
  const nt = w.temp('bool', n);
  return { v: w.temp(type, `select(${code}, ${zeroOf(type)}, ${nt})`), n: nt };
}

function compileCall(w: WgslWriter, t: CallExpr): WgslValue {
  const { fn, sig } = t;
  const name = fn.name;
  const result = () => gpuTypeOf(sig.result, formatExpr(t.node));
  const args = () => t.args.map((a, k) => operand(w, a, sig.operands[k]!));
  if (name === 'onDevice') return compileWgsl(w, t.args[0]!);
  if (name in ARITH) {
    const type = result();
    if (type !== 'f32') throw new Unsupported(`${formatExpr(t.node)}: integer ${name} gives ${sig.result} (int64 is not on the GPU); cast an operand to float64`);
    const [a, b] = args();
    return strict(w, type, `(${a!.v} ${ARITH[name]} ${b!.v})`, [a!.n, b!.n]);
  }
  if (name in COMPARE) {
    const operandType = gpuTypeOf(sig.operands[0]!, formatExpr(t.node));
    if (operandType === 'bool' && name !== 'eq' && name !== 'ne') throw new Unsupported(`${formatExpr(t.node)}: ordering bools stays on the CPU`);
    const [a, b] = args();
    return strict(w, 'bool', `(${a!.v} ${COMPARE[name]} ${b!.v})`, [a!.n, b!.n]);
  }
  if (name in FLOAT_UNARY) {
    const type = result();
    const [a] = args();
    if (type !== 'f32') return a!; // floor/ceil of an integer keep it
    return strict(w, type, `${FLOAT_UNARY[name]}(${a!.v})`, [a!.n]);
  }
  switch (name) {
    case 'neg': {
      const type = result();
      const [a] = args();
      return strict(w, type, type === 'i32' ? `bitcast<i32>(0u - bitcast<u32>(${a!.v}))` : `(-${a!.v})`, [a!.n]);
    }
    case 'abs': {
      const type = result();
      const [a] = args();
      return strict(w, type, type === 'i32' ? `bitcast<i32>(select(bitcast<u32>(${a!.v}), 0u - bitcast<u32>(${a!.v}), ${a!.v} < 0i))` : `abs(${a!.v})`, [a!.n]);
    }
    case 'not': {
      const [a] = args();
      return strict(w, 'bool', `!${a!.v}`, [a!.n]);
    }
    case 'and':
    case 'or': {
      // Kleene logic: a known false (and) or a known true (or) decides, whatever the other side.
      const [a, b] = args();
      const decides = name === 'and' ? (x: WgslValue) => `(!${x.n} && !${x.v})` : (x: WgslValue) => `(!${x.n} && ${x.v})`;
      const decided = w.temp('bool', `${decides(a!)} || ${decides(b!)}`);
      const n = w.temp('bool', `!${decided} && (${a!.n} || ${b!.n})`);
      const v = w.temp('bool', name === 'and' ? `!${decided} && !${n}` : `${decided}`);
      return { v, n };
    }
    case 'isNull':
    case 'isNotNull': {
      const a = compileWgsl(w, t.args[0]!);
      return { v: w.temp('bool', name === 'isNull' ? `${a.n}` : `!${a.n}`), n: 'false' };
    }
    case 'fillNull': {
      const [a, b] = args();
      const type = result();
      return { v: w.temp(type, `select(${a!.v}, ${b!.v}, ${a!.n})`), n: w.temp('bool', `${a!.n} && ${b!.n}`) };
    }
    default:
      throw new Unsupported(`${formatExpr(t.node)}: ${name}() stays on the CPU (the GPU runs + - * /, comparisons, and/or/not, abs, neg, sqrt, exp, log, sin, cos, floor, ceil, isNull, fillNull, when, casts to float64)`);
  }
}

function compileWhen(w: WgslWriter, t: Extract<TypedExpr, { kind: 'when' }>): WgslValue {
  const type = gpuTypeOf(t.type, formatExpr(t.node));
  const v = w.mutable(type, zeroOf(type));
  const n = w.mutable('bool', 'true');
  const assign = (branch: TypedExpr) => {
    const value = operand(w, branch, t.type);
    w.emit(`${v} = ${value.v}; ${n} = ${value.n};`);
  };
  const chain = (k: number): void => {
    if (k === t.branches.length) return assign(t.otherwise);
    const cond = compileWgsl(w, t.branches[k]!.when);
    const then = w.block(() => assign(t.branches[k]!.then));
    const orElse = w.block(() => chain(k + 1));
    w.emit(`if (!${cond.n} && ${cond.v}) {\n${then}\n} else {\n${orElse}\n}`);
  };
  chain(0);
  return { v, n };
}
