import { convertScalar } from '../convert.js';
import type { Params, Scalar } from '../ir.js';
import { commonType } from '../types.js';
import { scalarListParam } from './params.js';
import type { ScalarFunction, Signature } from './registry.js';
import { Utf8Set, utf8EqualsAnyCode } from './utf8.js';

/**
 * isIn(values): whether the value is one of a list of literals (params: values, dtype). A null
 * value gives null, as any comparison does. NaN is found when the list holds NaN (as pandas).
 */

const setCache = new WeakMap<Params, Set<Scalar>>();

/** The list as a Set of values in the operand type (cached per params object). */
function valueSet(params: Params, sig: Signature): Set<Scalar> {
  let set = setCache.get(params);
  if (!set) {
    const { dtype, values } = scalarListParam('isIn', params, 'values');
    set = new Set(values.map((v) => convertScalar(v, dtype, sig.operands[0]!)));
    setCache.set(params, set);
  }
  return set;
}

export const isIn: ScalarFunction = {
  name: 'isIn',
  display: { kind: 'method', paramOrder: ['values'] },
  arity: [1, 1],
  nulls: 'strict',
  signature: (args, params) => {
    const { dtype } = scalarListParam('isIn', params, 'values');
    const t = commonType(args[0]!, dtype);
    if (!t) return { needs: `values of the same kind as the list (${dtype})` };
    return { operands: [t], result: 'bool' };
  },
  evaluate: ([a], sig, params) => valueSet(params, sig).has(a!),
  inline: ([a], sig, params, ctx) => `${ctx.constant(valueSet(params, sig))}.has(${a})`,
  utf8: (arg, _literals, sig, params, ctx) => {
    const encoder = new TextEncoder();
    const bytes = [...valueSet(params, sig)].map((v) => encoder.encode(v as string));
    return utf8EqualsAnyCode(arg.data, arg.start, arg.end, bytes) ?? `${ctx.constant(new Utf8Set(bytes))}.has(${arg.data}, ${arg.start}, ${arg.end})`;
  },
};
