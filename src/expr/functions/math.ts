import { floatUnary, sameNumericUnary } from './signatures.js';
import type { ScalarFunction } from './registry.js';

/** Elementwise math on numbers. sqrt/exp/log/sin/cos give float64 (log(0) = -Infinity, log(-1) = NaN, as numpy). */

function floatMath(name: string, f: (x: number) => number, js: string): ScalarFunction {
  return {
    name,
    display: { kind: 'method' },
    arity: [1, 1],
    nulls: 'strict',
    signature: floatUnary,
    evaluate: ([a]) => f(a as number),
    inline: ([a]) => `${js}(${a})`,
  };
}

export const sqrt = floatMath('sqrt', Math.sqrt, 'Math.sqrt');
export const exp = floatMath('exp', Math.exp, 'Math.exp');
export const log = floatMath('log', Math.log, 'Math.log');
export const sin = floatMath('sin', Math.sin, 'Math.sin');
export const cos = floatMath('cos', Math.cos, 'Math.cos');

function absBigInt(a: bigint): bigint {
  return BigInt.asIntN(64, a < 0n ? -a : a);
}

/** abs keeps the type; abs(-2^31) wraps in int32 (and abs(-2^63) in int64), as in numpy. */
export const abs: ScalarFunction = {
  name: 'abs',
  display: { kind: 'method' },
  arity: [1, 1],
  nulls: 'strict',
  signature: sameNumericUnary,
  evaluate: ([a], sig) => (sig.result === 'int64' ? absBigInt(a as bigint) : sig.result === 'int32' ? Math.abs(a as number) | 0 : Math.abs(a as number)),
  inline: ([a], sig, _params, ctx) => (sig.result === 'int64' ? `${ctx.constant(absBigInt)}(${a})` : sig.result === 'int32' ? `(Math.abs(${a}) | 0)` : `Math.abs(${a})`),
};
