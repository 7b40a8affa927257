import { DuskSchemaError } from '../../core/errors.js';
import type { Params } from '../ir.js';
import { booleanParam, stringParam } from './params.js';
import { stringUnary } from './string-case.js';
import type { ScalarFunction } from './registry.js';
import { utf8Contains, utf8EndsWith, utf8StartsWith } from './utf8.js';

/**
 * str.contains(pattern, literal = false): a regular expression search (JavaScript syntax, with
 * the u flag), or a plain substring when literal; str.startsWith(prefix), str.endsWith(suffix).
 */

const regexCache = new WeakMap<Params, RegExp>();

function containsRegex(params: Params): RegExp {
  let re = regexCache.get(params);
  if (!re) {
    const pattern = stringParam('str.contains', params, 'pattern');
    try {
      re = new RegExp(pattern, 'u');
    } catch (e) {
      throw new DuskSchemaError(`str.contains: invalid regular expression ${JSON.stringify(pattern)} (${(e as Error).message}); pass literal: true to search for the text itself`);
    }
    regexCache.set(params, re);
  }
  return re;
}

const isLiteral = (params: Params) => booleanParam('str.contains', params, 'literal', false);

export const strContains: ScalarFunction = {
  name: 'str.contains',
  display: { kind: 'method', paramOrder: ['pattern', 'literal'] },
  arity: [1, 1],
  nulls: 'strict',
  signature: (args, params) => {
    if (!isLiteral(params)) containsRegex(params);
    else stringParam('str.contains', params, 'pattern');
    return stringUnary(args, 'bool');
  },
  evaluate: ([s], _sig, params) => (isLiteral(params) ? (s as string).includes(params.pattern as string) : containsRegex(params).test(s as string)),
  inline: ([s], _sig, params, ctx) =>
    isLiteral(params) ? `${s}.includes(${ctx.constant(params.pattern)})` : `${ctx.constant(containsRegex(params))}.test(${s})`,
  utf8: (arg, _literals, _sig, params, ctx) =>
    isLiteral(params) ? `${ctx.constant(utf8Contains)}(${arg.data}, ${arg.start}, ${arg.end}, ${ctx.constant(new TextEncoder().encode(params.pattern as string))})` : undefined,
};

function affix(name: 'str.startsWith' | 'str.endsWith'): ScalarFunction {
  const key = name === 'str.startsWith' ? 'prefix' : 'suffix';
  const method = name === 'str.startsWith' ? 'startsWith' : 'endsWith';
  const bytes = name === 'str.startsWith' ? utf8StartsWith : utf8EndsWith;
  return {
    name,
    display: { kind: 'method', paramOrder: [key] },
    arity: [1, 1],
    nulls: 'strict',
    signature: (args, params) => {
      stringParam(name, params, key);
      return stringUnary(args, 'bool');
    },
    evaluate: ([s], _sig, params) => (s as string)[method](params[key] as string),
    inline: ([s], _sig, params, ctx) => `${s}.${method}(${ctx.constant(params[key])})`,
    utf8: (arg, _literals, _sig, params, ctx) =>
      `${ctx.constant(bytes)}(${arg.data}, ${arg.start}, ${arg.end}, ${ctx.constant(new TextEncoder().encode(params[key] as string))})`,
  };
}

export const strStartsWith = affix('str.startsWith');
export const strEndsWith = affix('str.endsWith');
