import type { Params } from '../ir.js';
import { integerParam } from './params.js';
import { sameNumericUnary } from './signatures.js';
import type { ScalarFunction } from './registry.js';

/**
 * round(decimals) rounds half to even, with numpy's method (scale by 10^decimals, round to
 * the nearest even integer, unscale), so results match pandas to the bit. Integers keep their
 * type: round with decimals >= 0, floor and ceil leave them unchanged.
 */

/** Round half to even (C's rint in the default rounding mode). */
export function rint(y: number): number {
  const r = Math.round(y);
  return r - y === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function roundFloat(x: number, decimals: number): number {
  if (decimals === 0) return rint(x);
  if (decimals > 0) {
    const f = 10 ** decimals;
    return rint(x * f) / f;
  }
  const f = 10 ** -decimals;
  return rint(x / f) * f;
}

/** An int32 rounded to a multiple of 10^-decimals (decimals < 0), wrapping as numpy does. */
export function roundInt32(x: number, decimals: number): number {
  return decimals >= 0 ? x : roundFloat(x, decimals) | 0;
}

export function roundInt64(x: bigint, decimals: number): bigint {
  if (decimals >= 0) return x;
  const f = 10n ** BigInt(-decimals);
  let q = x / f;
  const twiceRem = 2n * (x - q * f);
  const away = x < 0n ? -1n : 1n;
  const absTwiceRem = twiceRem < 0n ? -twiceRem : twiceRem;
  if (absTwiceRem > f || (absTwiceRem === f && q % 2n !== 0n)) q += away;
  return BigInt.asIntN(64, q * f);
}

function decimalsOf(params: Params): number {
  return integerParam('round', params, 'decimals', 0);
}

export const round: ScalarFunction = {
  name: 'round',
  display: { kind: 'method', paramOrder: ['decimals'] },
  arity: [1, 1],
  nulls: 'strict',
  signature: (args, params) => {
    decimalsOf(params);
    return sameNumericUnary(args);
  },
  evaluate: ([a], sig, params) => {
    const d = decimalsOf(params);
    if (sig.result === 'int64') return roundInt64(a as bigint, d);
    return sig.result === 'int32' ? roundInt32(a as number, d) : roundFloat(a as number, d);
  },
  inline: ([a], sig, params, ctx) => {
    const d = decimalsOf(params);
    const helper = sig.result === 'int64' ? roundInt64 : sig.result === 'int32' ? roundInt32 : roundFloat;
    return `${ctx.constant(helper)}(${a}, ${d})`;
  },
};

function floorOrCeil(name: 'floor' | 'ceil'): ScalarFunction {
  const f = name === 'floor' ? Math.floor : Math.ceil;
  return {
    name,
    display: { kind: 'method' },
    arity: [1, 1],
    nulls: 'strict',
    signature: sameNumericUnary,
    evaluate: ([a], sig) => (sig.result === 'float64' ? f(a as number) : a!),
    inline: ([a], sig) => (sig.result === 'float64' ? `Math.${name}(${a})` : a!),
  };
}

export const floor = floorOrCeil('floor');
export const ceil = floorOrCeil('ceil');

