import { numericSupertype } from '../types.js';
import type { JsValue, ScalarFunction } from './registry.js';

/**
 * clip(lo, hi): the value limited to [lo, hi]. A null bound means no bound (as pandas' clip
 * with None or NaN), a null value stays null, NaN stays NaN. All three widen to one type.
 */
export const clip: ScalarFunction = {
  name: 'clip',
  display: { kind: 'method' },
  arity: [3, 3],
  nulls: 'custom',
  signature: (args) => {
    const t = numericSupertype(numericSupertype(args[0]!, args[1]!) ?? 'string', args[2]!);
    if (!t) return { needs: 'a numeric value and numeric bounds' };
    return { operands: [t, t, t], result: t };
  },
  evaluate: ([x, lo, hi]) => {
    if (x === null || x === undefined) return null;
    let v = x;
    if (lo !== null && lo !== undefined && v < lo) v = lo;
    if (hi !== null && hi !== undefined && v > hi) v = hi;
    return v;
  },
  emit: (ctx, [value, lower, upper]) => {
    const x = value();
    const lo = lower();
    const hi = upper();
    const out: JsValue = { v: ctx.temp(), n: x.n };
    ctx.emit(`${out.v} = ${x.v};`);
    ctx.emit(`if (!${lo.n} && ${out.v} < ${lo.v}) ${out.v} = ${lo.v};`);
    ctx.emit(`if (!${hi.n} && ${out.v} > ${hi.v}) ${out.v} = ${hi.v};`);
    return out;
  },
};
