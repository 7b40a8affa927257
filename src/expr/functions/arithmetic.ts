import type { Scalar } from '../ir.js';
import { floatPair, numericPair } from './signatures.js';
import type { ScalarFunction, Signature } from './registry.js';

/**
 * Arithmetic. Integer results that could overflow int32 (add, sub, mul of int32s) are int64,
 * as pandas gives for its int64 columns; int64 arithmetic wraps at 64 bits, as numpy does.
 * div and pow always give float64 (x / 0 is ±Infinity or NaN). mod is floored (the result has
 * the divisor's sign, as in pandas and Python); an integer mod by zero is null.
 */

function wrapping(name: string, symbol: string, onNumbers: (a: number, b: number) => number, onBigInts: (a: bigint, b: bigint) => bigint): ScalarFunction {
  return {
    name,
    display: { kind: 'infix', symbol },
    arity: [2, 2],
    nulls: 'strict',
    signature: (args) => numericPair(args, 'int64'),
    evaluate: ([a, b], sig) => (sig.result === 'int64' ? BigInt.asIntN(64, onBigInts(a as bigint, b as bigint)) : onNumbers(a as number, b as number)),
    inline: ([a, b], sig) => (sig.result === 'int64' ? `BigInt.asIntN(64, ${a} ${symbol} ${b})` : `(${a} ${symbol} ${b})`),
  };
}

export const add = wrapping('add', '+', (a, b) => a + b, (a, b) => a + b);
export const sub = wrapping('sub', '-', (a, b) => a - b, (a, b) => a - b);
export const mul = wrapping('mul', '*', (a, b) => a * b, (a, b) => a * b);

export const div: ScalarFunction = {
  name: 'div',
  display: { kind: 'infix', symbol: '/' },
  arity: [2, 2],
  nulls: 'strict',
  signature: floatPair,
  evaluate: ([a, b]) => (a as number) / (b as number),
  inline: ([a, b]) => `(${a} / ${b})`,
};

/** Floored modulo of numbers; null for an integer divisor of zero. */
function floorModNumber(a: number, b: number, integer: boolean): number | null {
  if (integer && b === 0) return null;
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

function floorModBigInt(a: bigint, b: bigint): bigint | null {
  if (b === 0n) return null;
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
}

function floorMod(a: Scalar, b: Scalar, sig: Signature): Scalar {
  if (sig.result === 'int64') return floorModBigInt(a as bigint, b as bigint);
  return floorModNumber(a as number, b as number, sig.result === 'int32');
}

export const mod: ScalarFunction = {
  name: 'mod',
  display: { kind: 'infix', symbol: '%' },
  arity: [2, 2],
  nulls: 'strict',
  nullable: true,
  signature: (args) => numericPair(args, 'int32'),
  evaluate: ([a, b], sig) => floorMod(a!, b!, sig),
  inline: ([a, b], sig, _params, ctx) =>
    sig.result === 'int64' ? `${ctx.constant(floorModBigInt)}(${a}, ${b})` : `${ctx.constant(floorModNumber)}(${a}, ${b}, ${sig.result === 'int32'})`,
};

/** C's pow (as numpy): 1 ** y and (-1) ** ±Infinity are 1, where JS gives NaN. */
function powC(a: number, b: number): number {
  if (a === 1 || (a === -1 && (b === Infinity || b === -Infinity))) return 1;
  return a ** b;
}

export const pow: ScalarFunction = {
  name: 'pow',
  display: { kind: 'infix', symbol: '**' },
  arity: [2, 2],
  nulls: 'strict',
  signature: floatPair,
  evaluate: ([a, b]) => powC(a as number, b as number),
  inline: ([a, b], _sig, _params, ctx) => `${ctx.constant(powC)}(${a}, ${b})`,
};

/** Negation keeps the type; -(-2^31) wraps in int32 and -(-2^63) in int64, as in numpy. */
export const neg: ScalarFunction = {
  name: 'neg',
  display: { kind: 'prefix', symbol: '-' },
  arity: [1, 1],
  nulls: 'strict',
  signature: (args) => {
    const t = args[0] === 'null' ? 'float64' : args[0]!;
    if (t !== 'float64' && t !== 'int32' && t !== 'int64') return { needs: 'a numeric operand' };
    return { operands: [t], result: t };
  },
  evaluate: ([a], sig) => (sig.result === 'int64' ? BigInt.asIntN(64, -(a as bigint)) : sig.result === 'int32' ? -(a as number) | 0 : -(a as number)),
  inline: ([a], sig) => (sig.result === 'int64' ? `BigInt.asIntN(64, -(${a}))` : sig.result === 'int32' ? `(-(${a}) | 0)` : `(-(${a}))`),
};
