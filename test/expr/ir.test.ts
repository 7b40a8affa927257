import { describe, expect, it } from 'vitest';
import { col, exprKey, lit, len, when, type ExprNode } from '../../src/expr/index.js';
import { DuskSchemaError } from '../../src/core/errors.js';

/** Every kind of node and literal, built through the public builder. */
const everything: ExprNode = when(col('DepDelay').gt(60).and(col('Origin').isIn(['SFO', 'LAX'])).or(col('x').isNull()))
  .then(col('Distance').div(col('AirTime').div(60)).round(2).clip(0, null))
  .when(col('big').eq(2n ** 62n).not())
  .then(lit(Number.NaN))
  .otherwise(lit(-Infinity).add(lit(-0)).mul(Infinity))
  .cast('float64')
  .alias('speed').node;

const strings: ExprNode = col('s').str.slice(-2, 1).str.upper().str.contains('a"b\\c\n', true).and(col('s').str.startsWith('x').or(col('s').str.endsWith('y'))).node;
const aggregates: ExprNode[] = [len().node, col('x').quantile(0.9).node, col('x').std(0).node, col('x').sum().div(col('x').count()).node, col('b').isIn([1, 2n ** 40n, 2.5]).node];

describe('the IR is plain data', () => {
  it.each([everything, strings, ...aggregates])('round-trips through JSON and structured clone unchanged', (node) => {
    expect(JSON.parse(JSON.stringify(node))).toStrictEqual(node);
    expect(structuredClone(node)).toStrictEqual(node);
    expect(exprKey(JSON.parse(JSON.stringify(node)) as ExprNode)).toBe(exprKey(node));
  });

  it('encodes bigint literals as strings with dtype int64, and float specials as strings', () => {
    expect(lit(2n ** 62n).node).toStrictEqual({ kind: 'lit', dtype: 'int64', value: '4611686018427387904' });
    expect(lit(-(2n ** 63n)).node).toStrictEqual({ kind: 'lit', dtype: 'int64', value: '-9223372036854775808' });
    expect(lit(Number.NaN).node).toStrictEqual({ kind: 'lit', dtype: 'float64', value: 'NaN' });
    expect(lit(-0).node).toStrictEqual({ kind: 'lit', dtype: 'float64', value: '-0' });
    expect(lit(Infinity).node).toStrictEqual({ kind: 'lit', dtype: 'float64', value: 'Infinity' });
  });

  it('types JS numbers: int32 when they fit, int64 for larger safe integers, float64 otherwise', () => {
    expect(lit(5).node).toStrictEqual({ kind: 'lit', dtype: 'int32', value: 5 });
    expect(lit(2 ** 31).node).toStrictEqual({ kind: 'lit', dtype: 'int64', value: '2147483648' });
    expect(lit(1.5).node).toStrictEqual({ kind: 'lit', dtype: 'float64', value: 1.5 });
    expect(lit(2 ** 60).node).toStrictEqual({ kind: 'lit', dtype: 'float64', value: 2 ** 60 });
    expect(lit(2, 'float64').node).toStrictEqual({ kind: 'lit', dtype: 'float64', value: 2 });
    expect(lit(null).node).toStrictEqual({ kind: 'lit', dtype: 'null', value: null });
  });

  it('refuses a bigint outside int64 and a non-integer int32', () => {
    expect(() => lit(2n ** 63n)).toThrow(/outside the int64 range/);
    expect(() => lit(1.5, 'int32')).toThrow(/not an int32 value/);
    expect(() => lit('a', 'int32')).toThrow(DuskSchemaError);
  });

  it('JSON.stringify of an Expr writes its node', () => {
    const e = col('a').add(1);
    expect(JSON.parse(JSON.stringify(e))).toStrictEqual(e.node);
  });
});

describe('non-serializable literals fail at once, naming the value', () => {
  class Point {}
  it.each([
    ['a function', () => col('x').add((() => 1) as never), /cannot use a function as an expression literal/],
    ['a named function', () => col('x').eq(function limit() {} as never), /a function \(limit\)/],
    ['a Symbol', () => col('x').eq(Symbol('k') as never), /a Symbol \(Symbol\(k\)\)/],
    ['a class instance', () => col('x').eq(new Point() as never), /an instance of Point/],
    ['a Date', () => lit(new Date() as never), /an instance of Date/],
    ['undefined', () => col('x').fillNull(undefined as never), /cannot use undefined/],
    ['an object in isIn', () => col('x').isIn([{}] as never), /isIn: cannot look for an object/],
    ['null in isIn', () => col('x').isIn([null] as never), /use isNull\(\)/],
    ['mixed isIn', () => col('x').isIn([1, 'a']), /all numbers, all strings or all booleans/],
  ])('%s', (_what, build, message) => {
    expect(build).toThrow(DuskSchemaError);
    expect(build).toThrow(message);
  });

  it('NaN is fine', () => {
    expect(col('x').eq(Number.NaN).node).toMatchObject({ args: [{ kind: 'col' }, { kind: 'lit', value: 'NaN' }] });
  });
});
