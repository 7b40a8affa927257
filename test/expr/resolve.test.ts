import { describe, expect, it } from 'vitest';
import { DuskSchemaError } from '../../src/core/errors.js';
import { schemaOf } from '../../src/core/schema.js';
import { col, columnsUsed, exprKey, formatExpr, isAggregate, len, lit, outputName, resolveType, when, type ExprNode } from '../../src/expr/index.js';
import { errorOf } from '../helpers.js';

const schema = schemaOf(['DepDelay', 'Origin', 'Carrier', 'Distance', 'AirTime', 'Cancelled', 'TailId', 'Ratio'], {
  DepDelay: 'int32',
  Origin: 'string',
  Carrier: 'category',
  Distance: 'int32',
  AirTime: 'float64',
  Cancelled: 'bool',
  TailId: 'int64',
  Ratio: 'float64',
});

describe('resolveType', () => {
  it.each([
    [col('DepDelay').add(col('Distance')), 'int64'],
    [col('DepDelay').add(col('Ratio')), 'float64'],
    [col('DepDelay').div(col('Distance')), 'float64'],
    [col('DepDelay').mod(7), 'int32'],
    [col('TailId').mod(7), 'int64'],
    [col('DepDelay').pow(2), 'float64'],
    [col('DepDelay').neg(), 'int32'],
    [col('DepDelay').abs(), 'int32'],
    [col('DepDelay').round(), 'int32'],
    [col('Ratio').round(2), 'float64'],
    [col('DepDelay').sqrt(), 'float64'],
    [col('Origin').eq('SFO'), 'bool'],
    [col('Carrier').eq(col('Origin')), 'bool'],
    [col('Carrier').isIn(['AA', 'UA']), 'bool'],
    [col('Cancelled').and(col('DepDelay').gt(0)), 'bool'],
    [col('DepDelay').fillNull(0), 'int32'],
    [col('Carrier').fillNull('none'), 'string'],
    [col('Carrier'), 'category'],
    [col('Carrier').str.lower(), 'string'],
    [col('Origin').str.len(), 'int32'],
    [col('Ratio').cast('int64'), 'int64'],
    [when(col('Cancelled')).then(1).otherwise(2.5), 'float64'],
    [when(col('Cancelled')).then(col('DepDelay')), 'int32'],
    [lit(null), 'float64'],
    [col('DepDelay').mean(), 'float64'],
    [col('DepDelay').sum(), 'int64'],
    [col('Ratio').sum(), 'float64'],
    [col('Cancelled').sum(), 'int64'],
    [col('Origin').min(), 'string'],
    [col('Carrier').first(), 'category'],
    [col('Origin').nunique(), 'int64'],
    [len(), 'int64'],
    [col('AirTime').quantile(0.5), 'float64'],
  ])('%s → %s', (expr, dtype) => {
    expect(resolveType(expr.node, schema)).toBe(dtype);
  });

  it('an unknown column lists the columns and suggests the closest', () => {
    const e = errorOf(() => resolveType(col('DepDelya').gt(60).node, schema));
    expect(e).toBeInstanceOf(DuskSchemaError);
    expect(e.message).toBe(`Unknown column 'DepDelya' in (col("DepDelya") > 60). Did you mean 'DepDelay'? Columns: DepDelay, Origin, Carrier, Distance, AirTime, Cancelled, TailId, Ratio`);
  });

  it.each([
    [col('Origin').gt(5), `(col("Origin") > 5): '>' needs two numbers, two strings (string or category) or two bools; got column 'Origin' (string) and literal 5 (int32)`],
    [col('Origin').mean(), `col("Origin").mean(): column 'Origin' is text (string), and mean() needs numbers (a numeric or bool column)`],
    [col('Carrier').median(), `col("Carrier").median(): column 'Carrier' is text (category), and median() needs numbers (a numeric or bool column)`],
    [col('Origin').str.lower().sum(), `col("Origin").str.lower().sum(): col("Origin").str.lower() is text (string), and sum() needs numbers (a numeric or bool column)`],
    [col('Origin').sqrt(), `col("Origin").sqrt(): sqrt() needs a numeric operand; got column 'Origin' (string)`],
    [col('Carrier').add(1), `(col("Carrier") + 1): '+' needs numeric operands; got column 'Carrier' (category) and literal 1 (int32)`],
    [col('DepDelay').and(true), `(col("DepDelay") & true): '&' needs bool operands; got column 'DepDelay' (int32) and literal true (bool)`],
    [col('DepDelay').str.upper(), `col("DepDelay").str.upper(): str.upper() needs a string or category operand; got column 'DepDelay' (int32)`],
    [col('Origin').isIn([1, 2]), `col("Origin").isIn([1, 2]): isIn() needs values of the same kind as the list (int32); got column 'Origin' (string)`],
    [when(col('DepDelay')).then(1), `when(col("DepDelay")).then(1).otherwise(null): when() needs a bool condition; got column 'DepDelay' (int32)`],
    [when(col('Cancelled')).then(1).otherwise('x'), `when(col("Cancelled")).then(1).otherwise("x"): then() and otherwise() values need one kind (numbers, strings or bools); got literal 1 (int32), literal "x" (string)`],
    [col('DepDelay').sum().sum(), `col("DepDelay").sum(): an aggregation cannot be nested inside another aggregation (in col("DepDelay").sum().sum())`],
  ])('%s is a type error naming the expression, column, dtype and need', (expr, message) => {
    const e = errorOf(() => resolveType(expr.node, schema));
    expect(e).toBeInstanceOf(DuskSchemaError);
    expect(e.message).toBe(message);
  });

  it('a type error inside a larger expression names both', () => {
    const e = errorOf(() => resolveType(col('DepDelay').gt(0).and(col('Origin').gt(5)).node, schema));
    expect(e.message).toBe(`(col("Origin") > 5): '>' needs two numbers, two strings (string or category) or two bools; got column 'Origin' (string) and literal 5 (int32) (in ((col("DepDelay") > 0) & (col("Origin") > 5)))`);
  });

  it('checks IR from elsewhere: unknown functions, bad literals, bad params', () => {
    expect(() => resolveType({ kind: 'call', fn: 'system', args: [] }, schema)).toThrow(/unknown expression function "system"/);
    expect(() => resolveType({ kind: 'lit', dtype: 'int64', value: '1; process.exit()' }, schema)).toThrow(/is not a valid int64 value/);
    expect(() => resolveType({ kind: 'lit', dtype: 'float64', value: 'Infinity; x' }, schema)).toThrow(/is not a valid float64 value/);
    expect(() => resolveType({ kind: 'lit', dtype: 'code' as never, value: 1 }, schema)).toThrow(/dtype must be one of/);
    expect(() => resolveType({ kind: 'call', fn: 'round', args: [col('Ratio').node], params: { decimals: '2)' } }, schema)).toThrow(/round: 'decimals' must be a finite number/);
    expect(() => resolveType({ kind: 'call', fn: 'add', args: [col('Ratio').node] }, schema)).toThrow(/add: takes 2 expression argument/);
    expect(() => resolveType({ kind: 'cast', arg: col('Ratio').node, dtype: 'date' as never }, schema)).toThrow(/cast: dtype must be one of/);
    expect(() => resolveType({ kind: 'weird' } as never, schema)).toThrow(/unknown expression node kind "weird"/);
    expect(() => resolveType(col('Origin').str.contains('(').node, schema)).toThrow(/invalid regular expression "\("/);
  });
});

describe('columnsUsed, outputName, isAggregate, exprKey, formatExpr', () => {
  const filter = col('DepDelay').gt(60).and(col('Origin').isIn(['SFO', 'LAX'])).and(col('DepDelay').lt(600));

  it('columnsUsed lists each column once, in order of first use', () => {
    expect(columnsUsed(filter.node)).toEqual(['DepDelay', 'Origin']);
    expect(columnsUsed(len().node)).toEqual([]);
  });

  it('outputName: the alias, else the leftmost input (as polars)', () => {
    expect(outputName(col('a').add(col('b')).node)).toBe('a');
    expect(outputName(col('a').add(col('b')).alias('c').node)).toBe('c');
    expect(outputName(lit(1).add(col('b')).node)).toBe('literal');
    expect(outputName(when(col('c').gt(0)).then(col('x')).otherwise(col('y')).node)).toBe('x');
    expect(outputName(col('x').mean().node)).toBe('x');
    expect(outputName(len().node)).toBe('len');
  });

  it('isAggregate finds an aggregation anywhere', () => {
    expect(isAggregate(col('x').sum().div(col('x').count()).node)).toBe(true);
    expect(isAggregate(filter.node)).toBe(false);
  });

  it('exprKey is stable under key order and differs for different expressions', () => {
    const node = col('a').add(1).node as Extract<ExprNode, { kind: 'call' }>;
    const reordered = { params: undefined, args: node.args, fn: node.fn, kind: node.kind } as ExprNode;
    expect(exprKey(reordered)).toBe(exprKey(node));
    expect(exprKey(col('a').add(1).node)).not.toBe(exprKey(col('a').add(2).node));
    expect(exprKey(col('a').add(1).node)).not.toBe(exprKey(col('a').add(lit(1, 'float64')).node));
  });

  it('formatExpr prints the builder syntax', () => {
    expect(formatExpr(filter.node)).toBe('(((col("DepDelay") > 60) & col("Origin").isIn(["SFO", "LAX"])) & (col("DepDelay") < 600))');
    expect(formatExpr(col('s').str.slice(1).node)).toBe('col("s").str.slice(1)');
    expect(formatExpr(col('s').str.slice(1, 2).node)).toBe('col("s").str.slice(1, 2)');
    expect(formatExpr(col('x').round(2).cast('int64').alias('y').node)).toBe('col("x").round(2).cast("int64").alias("y")');
    expect(formatExpr(col('x').clip(0, null).neg().not().node)).toBe('~-col("x").clip(0, null)');
    expect(formatExpr(lit(2n ** 40n).add(lit(2, 'float64')).node)).toBe('(1099511627776n + 2.0)');
    expect(formatExpr(col('x').quantile(0.25).node)).toBe('col("x").quantile(0.25)');
    expect(formatExpr(col('x').var().node)).toBe('col("x").var(1)');
  });
});
