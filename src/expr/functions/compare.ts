import { comparablePair } from './signatures.js';
import type { ScalarFunction } from './registry.js';
import { utf8Equals, utf8EqualsAnyCode } from './utf8.js';

/**
 * Comparisons: numbers with numbers (widened to one type), strings with strings (a category
 * compares as its string), bools with bools. A null operand gives null, so a filter drops the
 * row. NaN compares as numpy does (NaN != NaN is true, every other comparison false).
 */

type Ordered = number | bigint | string | boolean;

function comparison(name: string, symbol: string, jsOp: string, test: (a: Ordered, b: Ordered) => boolean, utf8?: 'eq' | 'ne'): ScalarFunction {
  const fn: ScalarFunction = {
    name,
    display: { kind: 'infix', symbol },
    arity: [2, 2],
    nulls: 'strict',
    signature: comparablePair,
    evaluate: ([a, b]) => test(a as Ordered, b as Ordered),
    inline: ([a, b]) => `(${a} ${jsOp} ${b})`,
  };
  if (utf8) {
    fn.utf8 = (arg, [literal], _sig, _params, ctx) => {
      if (typeof literal !== 'string') return undefined;
      const bytes = new TextEncoder().encode(literal);
      const call = utf8EqualsAnyCode(arg.data, arg.start, arg.end, [bytes]) ?? `${ctx.constant(utf8Equals)}(${arg.data}, ${arg.start}, ${arg.end}, ${ctx.constant(bytes)})`;
      return utf8 === 'eq' ? call : `!${call}`;
    };
  }
  return fn;
}

export const eq = comparison('eq', '==', '===', (a, b) => a === b, 'eq');
export const ne = comparison('ne', '!=', '!==', (a, b) => a !== b, 'ne');
export const lt = comparison('lt', '<', '<', (a, b) => a < b);
export const le = comparison('le', '<=', '<=', (a, b) => a <= b);
export const gt = comparison('gt', '>', '>', (a, b) => a > b);
export const ge = comparison('ge', '>=', '>=', (a, b) => a >= b);
