import { boolArgs } from './signatures.js';
import type { JsValue, ScalarFunction } from './registry.js';

/**
 * Kleene logic, as pandas' nullable booleans and SQL: null & false = false, null | true = true,
 * otherwise a null operand gives null. The right operand is evaluated only when the left does
 * not decide the result.
 */

function kleene(name: 'and' | 'or', symbol: string): ScalarFunction {
  const decisive = name === 'or'; // the operand value that decides the result alone
  return {
    name,
    display: { kind: 'infix', symbol },
    arity: [2, 2],
    nulls: 'custom',
    signature: boolArgs,
    evaluate: ([a, b]) => {
      if (a === decisive || b === decisive) return decisive;
      return a === null || b === null ? null : !decisive;
    },
    emit: (ctx, [left, right]) => {
      const out: JsValue = { v: ctx.temp(), n: ctx.temp() };
      const decides = (x: JsValue) => (decisive ? `(!${x.n} && ${x.v})` : `(!${x.n} && !${x.v})`);
      const a = left();
      const rest = ctx.block(() => {
        const b = right();
        ctx.emit(`if (${decides(b)}) { ${out.v} = ${decisive}; ${out.n} = false; } else { ${out.n} = ${a.n} || ${b.n}; ${out.v} = ${!decisive}; }`);
      });
      ctx.emit(`if (${decides(a)}) { ${out.v} = ${decisive}; ${out.n} = false; } else { ${rest} }`);
      return out;
    },
  };
}

export const and = kleene('and', '&');
export const or = kleene('or', '|');

export const not: ScalarFunction = {
  name: 'not',
  display: { kind: 'prefix', symbol: '~' },
  arity: [1, 1],
  nulls: 'strict',
  signature: boolArgs,
  evaluate: ([a]) => !a,
  inline: ([a]) => `!${a}`,
};
