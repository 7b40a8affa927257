import { DuskError } from '../../core/errors.js';
import type { ExprType, Params, Scalar } from '../ir.js';

/** The operand types a call's arguments are converted to before the function runs, and its result. */
export interface Signature {
  operands: ExprType[];
  result: ExprType;
}

/** Why the arguments do not fit: what the function needs, e.g. 'numeric operands'. */
export interface TypeMismatch {
  needs: string;
}

/** A value in generated code: JS expressions for the value (operand representation) and for "is null". */
export interface JsValue {
  v: string;
  n: string;
}

/** What a function's inline code may ask of the code generator. */
export interface InlineContext {
  /** An identifier bound to `value` in the generated code (a helper function, a Set, a RegExp, bytes). */
  constant(value: unknown): string;
}

/** For functions that control null handling or evaluation order themselves (and, or, fillNull). */
export interface EmitContext extends InlineContext {
  /** A fresh variable, declared by the generator. */
  temp(): string;
  /** Appends a statement to the current block. */
  emit(statement: string): void;
  /** The statements `body` emits, as a string, for use inside an if/else the caller writes. */
  block(body: () => void): string;
  /** The JS default of a type (what a null slot holds: 0, 0n, false, ''). */
  zero(type: ExprType): string;
}

/** Emits an argument's statements into the current block (call at most once) and gives its value. */
export type ArgThunk = () => JsValue;

/** A string column's bytes for one row, for byte-level fast paths (no decoding). */
export interface Utf8Ref {
  data: string;
  start: string;
  end: string;
}

export type Display =
  | { kind: 'infix'; symbol: string }
  | { kind: 'prefix'; symbol: string }
  /** `arg0.name(arg1, ..., params[paramOrder]...)`; name defaults to the function's name. */
  | { kind: 'method'; name?: string; paramOrder?: string[] };

/**
 * A scalar function of the expression IR. Adding one is a new file plus one line in
 * functions/index.ts. `evaluate` is the reference semantics (constant folding, dictionary
 * lookups, and the generated code's fallback when there is no `inline`); `inline` and `utf8`
 * are faster forms of the same thing that the differential tests hold to it.
 */
export interface ScalarFunction {
  readonly name: string;
  readonly display: Display;
  /** Fewest and most expression arguments. */
  readonly arity: readonly [number, number];
  /** Types for these argument types and params, or what the function needs. Also validates params. */
  signature(args: readonly ExprType[], params: Params): Signature | TypeMismatch;
  /**
   * 'strict': a null argument gives null, and evaluate/inline see only non-null operands.
   * 'custom': evaluate sees nulls, and the generator calls `emit`.
   */
  readonly nulls: 'strict' | 'custom';
  /** True when a strict function can give null for non-null operands (integer mod by zero). */
  readonly nullable?: boolean;
  evaluate(args: readonly Scalar[], sig: Signature, params: Params): Scalar;
  /** A JS expression over the operand expressions (strict functions). */
  inline?(args: readonly string[], sig: Signature, params: Params, ctx: InlineContext): string;
  /**
   * A JS expression over a string column's bytes when arg 0 is such a column and the other
   * arguments are the given literals; undefined when this case has no byte-level form.
   */
  utf8?(arg: Utf8Ref, literals: readonly Scalar[], sig: Signature, params: Params, ctx: InlineContext): string | undefined;
  /** Code for a 'custom' function: emits statements, returns where the value and null flag are. */
  emit?(ctx: EmitContext, args: readonly ArgThunk[], sig: Signature, params: Params): JsValue;
}

export function isMismatch(s: Signature | TypeMismatch): s is TypeMismatch {
  return 'needs' in s;
}

/** Scalar functions by name. Refuses a second function with a name already taken. */
export class FunctionRegistry {
  private readonly byName = new Map<string, ScalarFunction>();

  register(fn: ScalarFunction): void {
    if (this.byName.has(fn.name)) {
      throw new DuskError(`expression function '${fn.name}' is already registered; each function name must be unique (choose another name for the new function)`);
    }
    if (fn.nulls === 'custom' && !fn.emit) throw new DuskError(`expression function '${fn.name}' has custom null handling but no emit()`);
    this.byName.set(fn.name, fn);
  }

  get(name: string): ScalarFunction | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}
