import { describe, expect, it } from 'vitest';
import { schemaOf } from '../../src/core/schema.js';
import { col, type Expr, type ExprNode, lit, resolveType, simplify, when } from '../../src/expr/index.js';

const schema = schemaOf(['a', 'b', 'x', 'i'], { a: 'bool', b: 'bool', x: 'float64', i: 'int32' });
const a = col('a');
const s = (e: Expr): ExprNode => simplify(e.node, schema);

describe('simplify', () => {
  it('folds sub-expressions of literals into one literal, keeping the type', () => {
    expect(s(lit(1).add(2).mul(col('x')))).toStrictEqual(lit(3n).mul(col('x')).node); // int32 + int32 is int64
    expect(s(lit(7).div(2))).toStrictEqual(lit(3.5).node);
    expect(s(lit(-7).mod(2))).toStrictEqual(lit(1).node);
    expect(s(lit(1).div(0))).toStrictEqual(lit(Infinity).node);
    expect(s(lit(0).div(0))).toStrictEqual(lit(Number.NaN).node);
    expect(s(lit(5).mod(0))).toStrictEqual({ kind: 'lit', dtype: 'int32', value: null });
    expect(s(lit('AbC').str.lower().eq('abc'))).toStrictEqual(lit(true).node);
    expect(s(lit(null).add(1))).toStrictEqual({ kind: 'lit', dtype: 'int64', value: null });
    expect(s(lit(null).isNull())).toStrictEqual(lit(true).node);
    expect(s(lit(2.5).round())).toStrictEqual(lit(2, 'float64').node);
    expect(s(lit('12').cast('int32').add(col('i')))).toStrictEqual(lit(12).add(col('i')).node);
    expect(s(col('x').add(lit(1).add(1)).alias('y'))).toStrictEqual(col('x').add(lit(2n)).alias('y').node);
  });

  it('applies boolean rules that hold under Kleene logic', () => {
    expect(s(a.and(true))).toStrictEqual(a.node);
    expect(s(lit(true).and(a))).toStrictEqual(a.node);
    expect(s(a.or(false))).toStrictEqual(a.node);
    expect(s(a.and(false))).toStrictEqual(lit(false).node); // null & false = false
    expect(s(a.or(true))).toStrictEqual(lit(true).node); // null | true = true
    expect(s(a.not().not())).toStrictEqual(a.node);
    expect(s(a.and(a))).toStrictEqual(a.node);
    expect(s(a.and(true).or(lit(false).and(col('b'))))).toStrictEqual(a.node);
  });

  it('leaves what Kleene logic does not allow', () => {
    // null & x is false or null depending on x: not foldable.
    expect(s(a.and(null))).toStrictEqual(a.and(null).node);
    expect(s(a.or(null))).toStrictEqual(a.or(null).node);
    expect(s(a.and(col('b')))).toStrictEqual(a.and(col('b')).node);
    // x | ~x is null for null x, not true.
    expect(s(a.or(a.not()))).toStrictEqual(a.or(a.not()).node);
  });

  it('prunes when() branches with constant conditions, keeping the type', () => {
    const e = when(lit(false)).then(1.5).when(lit(null, 'bool')).then(2.5).when(a).then(col('i')).otherwise(0);
    expect(s(e)).toStrictEqual(when(a).then(col('i')).otherwise(0).cast('float64').node);
    expect(resolveType(s(e), schema)).toBe(resolveType(e.node, schema));
    expect(s(when(lit(true)).then(col('x')).otherwise(1))).toStrictEqual(col('x').node);
    expect(s(when(lit(1).gt(2)).then(col('i')).otherwise(col('i')))).toStrictEqual(col('i').node);
    // Without a schema the type is unknown, so branches stay.
    expect(simplify(e.node)).toStrictEqual(e.node);
  });

  it('keeps expressions that do not type-check as they are (resolve reports them)', () => {
    const bad = lit('a').add(1);
    expect(s(bad)).toStrictEqual(bad.node);
    // Dropping `& true` or `~~` around a non-bool would hide the type error.
    for (const e of [col('i').and(true), col('i').or(false), col('i').and(false), col('i').not().not(), col('i').and(col('i'))]) {
      expect(s(e)).toStrictEqual(e.node);
      expect(simplify(e.node)).toStrictEqual(e.node);
    }
  });

  it('without a schema, applies the boolean rules where the operands are bool by construction', () => {
    expect(simplify(col('x').gt(0).and(true).node)).toStrictEqual(col('x').gt(0).node);
    expect(simplify(col('x').gt(0).not().not().node)).toStrictEqual(col('x').gt(0).node);
    expect(simplify(a.and(true).node)).toStrictEqual(a.and(true).node); // a's type is unknown
  });

  it('is pure: the input is not changed', () => {
    const e = a.and(true).or(lit(1).gt(0));
    const before = structuredClone(e.node);
    s(e);
    expect(e.node).toStrictEqual(before);
  });
});
