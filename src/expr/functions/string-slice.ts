import type { Params } from '../ir.js';
import { integerParam, paramError } from './params.js';
import { stringUnary } from './string-case.js';
import type { ScalarFunction } from './registry.js';

/**
 * str.slice(start, length?): characters from start (negative counts from the end), at most
 * length of them; Python's s[start:][:length] on code points.
 */

const SURROGATE = /[\ud800-\udfff]/;

export function sliceCodePoints(s: string, start: number, length: number | null): string {
  if (!SURROGATE.test(s)) {
    const tail = s.slice(start);
    return length === null ? tail : tail.slice(0, length);
  }
  const tail = Array.from(s).slice(start);
  return (length === null ? tail : tail.slice(0, length)).join('');
}

function sliceParams(params: Params): { start: number; length: number | null } {
  const start = integerParam('str.slice', params, 'start');
  if (params.length === null || params.length === undefined) return { start, length: null };
  const length = integerParam('str.slice', params, 'length');
  if (length < 0) throw paramError('str.slice', `length must be >= 0; got ${length}`);
  return { start, length };
}

export const strSlice: ScalarFunction = {
  name: 'str.slice',
  display: { kind: 'method', paramOrder: ['start', 'length'] },
  arity: [1, 1],
  nulls: 'strict',
  signature: (args, params) => {
    sliceParams(params);
    return stringUnary(args, 'string');
  },
  evaluate: ([s], _sig, params) => {
    const { start, length } = sliceParams(params);
    return sliceCodePoints(s as string, start, length);
  },
  inline: ([s], _sig, params, ctx) => {
    const { start, length } = sliceParams(params);
    return `${ctx.constant(sliceCodePoints)}(${s}, ${start}, ${length === null ? 'null' : length})`;
  },
};
