import { commonType } from '../types.js';
import type { JsValue, ScalarFunction } from './registry.js';

/** Null tests (never null themselves) and fillNull. */

function nullTest(name: 'isNull' | 'isNotNull'): ScalarFunction {
  const wanted = name === 'isNull';
  return {
    name,
    display: { kind: 'method' },
    arity: [1, 1],
    nulls: 'custom',
    signature: (args) => ({ operands: [args[0]!], result: 'bool' }),
    evaluate: ([a]) => (a === null) === wanted,
    emit: (_ctx, [arg]) => {
      const a = arg();
      return { v: wanted ? `(${a.n})` : `!(${a.n})`, n: 'false' };
    },
  };
}

export const isNull = nullTest('isNull');
export const isNotNull = nullTest('isNotNull');

/** The value, or `fill` where it is null (fill is evaluated only for those rows). */
export const fillNull: ScalarFunction = {
  name: 'fillNull',
  display: { kind: 'method' },
  arity: [2, 2],
  nulls: 'custom',
  signature: (args) => {
    const t = commonType(args[0]!, args[1]!);
    if (!t) return { needs: 'a fill value of the same kind (number, string or bool)' };
    return { operands: [t, t], result: t };
  },
  evaluate: ([a, fill]) => (a === null ? fill! : a),
  emit: (ctx, [arg, fill]) => {
    const out: JsValue = { v: ctx.temp(), n: ctx.temp() };
    const a = arg();
    const orElse = ctx.block(() => {
      const f = fill();
      ctx.emit(`${out.v} = ${f.v}; ${out.n} = ${f.n};`);
    });
    ctx.emit(`if (${a.n}) { ${orElse} } else { ${out.v} = ${a.v}; ${out.n} = false; }`);
    return out;
  },
};
