import { isStringLike } from '../types.js';
import type { ScalarFunction, Signature, TypeMismatch } from './registry.js';
import { utf8Length } from './utf8.js';
import type { ExprType } from '../ir.js';

/** str.len (characters, i.e. code points, as pandas), str.lower, str.upper. */

export function stringUnary(args: readonly ExprType[], result: ExprType): Signature | TypeMismatch {
  const t = args[0]!;
  if (!isStringLike(t) && t !== 'null') return { needs: 'a string or category operand' };
  return { operands: ['string'], result };
}

/** Code points in a JS string (a surrogate pair is one character). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let k = 1; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0xdc00 && c <= 0xdfff) {
      const prev = s.charCodeAt(k - 1);
      if (prev >= 0xd800 && prev <= 0xdbff) n--;
    }
  }
  return n;
}

export const strLen: ScalarFunction = {
  name: 'str.len',
  display: { kind: 'method' },
  arity: [1, 1],
  nulls: 'strict',
  signature: (args) => stringUnary(args, 'int32'),
  evaluate: ([s]) => codePointLength(s as string),
  inline: ([s], _sig, _params, ctx) => `${ctx.constant(codePointLength)}(${s})`,
  utf8: (arg, _literals, _sig, _params, ctx) => `${ctx.constant(utf8Length)}(${arg.data}, ${arg.start}, ${arg.end})`,
};

function caseMap(name: 'str.lower' | 'str.upper'): ScalarFunction {
  const method = name === 'str.lower' ? 'toLowerCase' : 'toUpperCase';
  return {
    name,
    display: { kind: 'method' },
    arity: [1, 1],
    nulls: 'strict',
    signature: (args) => stringUnary(args, 'string'),
    evaluate: ([s]) => (s as string)[method](),
    inline: ([s]) => `${s}.${method}()`,
  };
}

export const strLower = caseMap('str.lower');
export const strUpper = caseMap('str.upper');
