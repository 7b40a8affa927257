import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnBatch } from '../../src/core/column-data.js';
import type { DType } from '../../src/core/dtypes.js';
import { col, evaluateRow, type Expr, lit, resolveType, type Scalar, typeExpr, when } from '../../src/expr/index.js';
import { compilePipeline } from '../../src/kernels/compile-pipeline.js';
import { sameValue, valuesOf } from './columns.js';
import { randomTable, type RandomTable, tableBatch } from './random-table.js';

/**
 * Every operator and function, on a random table with nulls, against DuckDB evaluating the
 * same expression in SQL (SELECT <expr> FROM t WHERE <filter>). Where Dusk's semantics differ
 * from SQL's on purpose (floored mod, int32 arithmetic in int64, truncating casts, NaN for
 * sqrt/log of negatives, Python-style slices), the SQL spells out Dusk's rule with
 * DuckDB's primitives, so the data still comes from an independent engine. Each result is
 * also checked against the reference evaluator (evaluateRow), holding the generated fast
 * paths to each function's evaluate.
 */

const ROWS = 3000;

/** SQL macros for Dusk's documented rules. */
const MACROS = `
CREATE MACRO floored_mod(a, b) AS CASE WHEN b = 0 AND typeof(a) IN ('INTEGER', 'BIGINT') AND typeof(b) IN ('INTEGER', 'BIGINT') THEN NULL
  WHEN (a % b) <> 0 AND ((a % b) < 0) <> (b < 0) THEN (a % b) + b ELSE a % b END;
CREATE MACRO nan_sqrt(a) AS CASE WHEN a < 0 THEN 'NaN'::DOUBLE ELSE sqrt(a) END;
CREATE MACRO nan_ln(a) AS CASE WHEN a = 0 THEN '-Infinity'::DOUBLE WHEN a < 0 THEN 'NaN'::DOUBLE ELSE ln(a) END;
CREATE MACRO py_slice(s, start, len) AS substring(s, CASE WHEN start < 0 THEN greatest(length(s) + start, 0) ELSE start END + 1, len);
CREATE MACRO py_slice_tail(s, start) AS substring(s, CASE WHEN start < 0 THEN greatest(length(s) + start, 0) ELSE start END + 1);
CREATE MACRO clipped(x, lo, hi) AS CASE WHEN x IS NULL THEN NULL
  ELSE CASE WHEN hi IS NOT NULL AND (CASE WHEN lo IS NOT NULL AND x < lo THEN lo ELSE x END) > hi THEN hi
            ELSE (CASE WHEN lo IS NOT NULL AND x < lo THEN lo ELSE x END) END END;
`;

interface Case {
  name: string;
  expr: Expr;
  dtype: DType;
  sql: string;
}

const c = (name: string, expr: Expr, dtype: DType, sql: string): Case => ({ name, expr, dtype, sql });
const i = col('i'), j = col('j'), k = col('k'), big = col('big'), x = col('x'), y = col('y');
const b = col('b'), cc = col('c'), s = col('s'), t = col('t'), cat = col('cat');

const CASES: Case[] = [
  // arithmetic: int32 ∘ int32 → int64; int64 wraps (no overflow in this data); div/pow float64
  c('i + j', i.add(j), 'int64', 'i::BIGINT + j::BIGINT'),
  c('i - k', i.sub(k), 'int64', 'i::BIGINT - k::BIGINT'),
  c('i * k', i.mul(k), 'int64', 'i::BIGINT * k::BIGINT'),
  c('i + 1', i.add(1), 'int64', 'i::BIGINT + 1'),
  c('big + i', big.add(i), 'int64', 'big + i'),
  c('big * j', big.mul(j), 'int64', 'big * j'),
  c('big - 2^53', big.sub(2n ** 53n), 'int64', 'big - 9007199254740992'),
  c('x + i', x.add(i), 'float64', 'x + i'),
  c('x * y', x.mul(y), 'float64', 'x * y'),
  c('x - big', x.sub(big), 'float64', 'x - big::DOUBLE'),
  c('i / j', i.div(j), 'float64', 'i::DOUBLE / j::DOUBLE'),
  c('x / y', x.div(y), 'float64', 'x / y'),
  c('big / j', big.div(j), 'float64', 'big::DOUBLE / j::DOUBLE'),
  c('x / 0', x.div(0), 'float64', 'x / 0.0'),
  c('i % j', i.mod(j), 'int32', 'floored_mod(i, j)'),
  c('k % -7', k.mod(-7), 'int32', 'floored_mod(k, -7)'),
  c('big % j', big.mod(j), 'int64', 'floored_mod(big, j::BIGINT)'),
  c('x % y', x.mod(y), 'float64', "CASE WHEN x IS NOT NULL AND y = 0 THEN 'NaN'::DOUBLE ELSE floored_mod(x, y) END"),
  c('x ** 2', x.pow(2), 'float64', 'pow(x, 2)'),
  c('y ** x', y.pow(x), 'float64', 'pow(y, x)'),
  c('i ** j', i.pow(j), 'float64', 'pow(i, j)'),
  c('-i', i.neg(), 'int32', '-i'),
  c('-x', x.neg(), 'float64', '-x'),
  c('-big', big.neg(), 'int64', '-big'),
  // comparisons (null in → null out), numbers widened, strings and categories as text
  c('i > j', i.gt(j), 'bool', 'i > j'),
  c('i >= k', i.ge(k), 'bool', 'i >= k'),
  c('x < y', x.lt(y), 'bool', 'x < y'),
  c('x <= i', x.le(i), 'bool', 'x <= i'),
  c('i != j', i.ne(j), 'bool', 'i <> j'),
  c('x == y', x.eq(y), 'bool', 'x = y'),
  c('big == 2^53+1', big.eq(9007199254740993n), 'bool', 'big = 9007199254740993'),
  c('big > i', big.gt(i), 'bool', 'big > i'),
  c('x > 0.5', x.gt(0.5), 'bool', 'x > 0.5::DOUBLE'),
  c('i > 2.5', i.gt(2.5), 'bool', 'i > 2.5::DOUBLE'),
  c('b == c', b.eq(cc), 'bool', 'b = c'),
  c('b < c', b.lt(cc), 'bool', 'b < c'),
  c('s == "abc"', s.eq('abc'), 'bool', "s = 'abc'"),
  c('s != "SFO"', s.ne('SFO'), 'bool', "s <> 'SFO'"),
  c('s < "b"', s.lt('b'), 'bool', "s < 'b'"),
  c('s >= t', s.ge(t), 'bool', 's >= t'),
  c('t == "abc"', t.eq('abc'), 'bool', "t = 'abc'"),
  c('cat == "SFO"', cat.eq('SFO'), 'bool', "cat = 'SFO'"),
  c('cat > "K"', cat.gt('K'), 'bool', "cat > 'K'"),
  c('s == cat', s.eq(cat), 'bool', 's = cat'),
  c('"LAX" == cat', lit('LAX').eq(cat), 'bool', "'LAX' = cat"),
  // quotes, backslashes and newlines in literals
  c('s == x"y', s.eq('x"y'), 'bool', `s = 'x"y'`),
  c("s == it's", s.eq("it's"), 'bool', "s = 'it''s'"),
  c('s == back\\slash', s.eq('back\\slash'), 'bool', "s = 'back\\slash'"),
  c('s == new\\nline', s.eq('new\nline'), 'bool', "s = 'new\nline'"),
  c('s == emoji', s.eq('emoji😀'), 'bool', "s = 'emoji😀'"),
  // Kleene logic
  c('b & c', b.and(cc), 'bool', 'b AND c'),
  c('b | c', b.or(cc), 'bool', 'b OR c'),
  c('~b', b.not(), 'bool', 'NOT b'),
  c('(i > 0) & (s == "abc")', i.gt(0).and(s.eq('abc')), 'bool', "i > 0 AND s = 'abc'"),
  c('(x > 0) | b', x.gt(0).or(b), 'bool', 'x > 0 OR b'),
  c('~(i > j)', i.gt(j).not(), 'bool', 'NOT (i > j)'),
  c('b & null', b.and(null), 'bool', 'b AND NULL'),
  c('b | null', b.or(null), 'bool', 'b OR NULL'),
  // nulls
  c('i.isNull()', i.isNull(), 'bool', 'i IS NULL'),
  c('s.isNotNull()', s.isNotNull(), 'bool', 's IS NOT NULL'),
  c('cat.isNull()', cat.isNull(), 'bool', 'cat IS NULL'),
  c('k.isNull()', k.isNull(), 'bool', 'k IS NULL'),
  c('i.fillNull(0)', i.fillNull(0), 'int32', 'coalesce(i, 0)'),
  c('x.fillNull(i)', x.fillNull(i), 'float64', 'coalesce(x, i)'),
  c('i.fillNull(1.5)', i.fillNull(1.5), 'float64', 'coalesce(i, 1.5::DOUBLE)'),
  c('s.fillNull("zz")', s.fillNull('zz'), 'string', "coalesce(s, 'zz')"),
  c('cat.fillNull("NA")', cat.fillNull('NA'), 'string', "coalesce(cat, 'NA')"),
  c('b.fillNull(false)', b.fillNull(false), 'bool', 'coalesce(b, false)'),
  // isIn / between
  c('i.isIn([1, 2, 3])', i.isIn([1, 2, 3]), 'bool', 'i IN (1, 2, 3)'),
  c('i.isIn([1.5, 2])', i.isIn([1.5, 2]), 'bool', 'i IN (1.5::DOUBLE, 2)'),
  c('x.isIn([0.5, 1])', x.isIn([0.5, 1]), 'bool', 'x IN (0.5::DOUBLE, 1)'),
  c('big.isIn([2^53+1, 7])', big.isIn([9007199254740993n, 7]), 'bool', 'big IN (9007199254740993, 7)'),
  c('s.isIn(["SFO", "LAX", "héllo"])', s.isIn(['SFO', 'LAX', 'héllo']), 'bool', "s IN ('SFO', 'LAX', 'héllo')"),
  c('s.isIn(quotes)', s.isIn(['x"y', 'new\nline', "it's"]), 'bool', `s IN ('x"y', 'new\nline', 'it''s')`),
  c('s.isIn(many)', s.isIn(['a', 'abc', 'ABC', 'SFO', 'LAX', '42', '-7', 'Straw', 'zzz', 'abcabcabcabcabcabcabc']), 'bool', "s IN ('a', 'abc', 'ABC', 'SFO', 'LAX', '42', '-7', 'Straw', 'zzz', 'abcabcabcabcabcabcabc')"),
  c('t.isIn(["a", "x\\"y"])', t.isIn(['a', 'x"y']), 'bool', `t IN ('a', 'x"y')`),
  c('cat.isIn(["SFO", "JFK"])', cat.isIn(['SFO', 'JFK']), 'bool', "cat IN ('SFO', 'JFK')"),
  c('s.isIn([])', s.isIn([]), 'bool', 'CASE WHEN s IS NULL THEN NULL ELSE false END'),
  c('i.between(-10, 10)', i.between(-10, 10), 'bool', 'i BETWEEN -10 AND 10'),
  c('x.between(j, i)', x.between(j, i), 'bool', 'x BETWEEN j AND i'),
  c('s.between("a", "m")', s.between('a', 'm'), 'bool', "s BETWEEN 'a' AND 'm'"),
  // casts
  c('i.cast(float64)', i.cast('float64'), 'float64', 'i::DOUBLE'),
  c('x.cast(int32)', x.cast('int32'), 'int32', 'TRY_CAST(trunc(x) AS INTEGER)'),
  c('x.cast(int64)', x.cast('int64'), 'int64', 'TRY_CAST(trunc(x) AS BIGINT)'),
  c('big.cast(int32)', big.cast('int32'), 'int32', 'TRY_CAST(big AS INTEGER)'),
  c('big.cast(float64)', big.cast('float64'), 'float64', 'big::DOUBLE'),
  c('b.cast(int32)', b.cast('int32'), 'int32', 'b::INTEGER'),
  c('i.cast(bool)', i.cast('bool'), 'bool', 'i <> 0'),
  c('x.cast(bool)', x.cast('bool'), 'bool', 'x <> 0'),
  c('i.cast(string)', i.cast('string'), 'string', 'i::VARCHAR'),
  c('big.cast(string)', big.cast('string'), 'string', 'big::VARCHAR'),
  c('b.cast(string)', b.cast('string'), 'string', 'b::VARCHAR'),
  c('s.cast(int32)', s.cast('int32'), 'int32', 'TRY_CAST(s AS INTEGER)'),
  c('s.cast(int64)', s.cast('int64'), 'int64', 'TRY_CAST(s AS BIGINT)'),
  c('s.cast(float64)', s.cast('float64'), 'float64', 'TRY_CAST(s AS DOUBLE)'),
  c('cat.cast(string)', cat.cast('string'), 'string', 'cat'),
  c('s.cast(category)', s.cast('category'), 'category', 's'),
  // math
  c('i.abs()', i.abs(), 'int32', 'abs(i)'),
  c('x.abs()', x.abs(), 'float64', 'abs(x)'),
  c('big.abs()', big.abs(), 'int64', 'abs(big)'),
  c('x.sqrt()', x.sqrt(), 'float64', 'nan_sqrt(x)'),
  c('i.sqrt()', i.sqrt(), 'float64', 'nan_sqrt(i)'),
  c('y.exp()', y.exp(), 'float64', 'exp(y)'),
  c('x.log()', x.log(), 'float64', 'nan_ln(x)'),
  c('x.sin()', x.sin(), 'float64', 'sin(x)'),
  c('x.cos()', x.cos(), 'float64', 'cos(x)'),
  c('x.round()', x.round(), 'float64', 'round_even(x, 0)'),
  c('x.round(1)', x.round(1), 'float64', 'round_even(x, 1)'),
  c('x.div(8).round(2)', x.div(8).round(2), 'float64', 'round_even(x / 8, 2)'),
  c('x.mul(10).round(-1)', x.mul(10).round(-1), 'float64', 'round_even(x * 10, -1)'),
  c('i.round(-1)', i.round(-1), 'int32', 'round_even(i, -1)::INTEGER'),
  c('big.round(-3)', big.round(-3), 'int64', 'round_even(big::DECIMAL(38, 0), -3)::BIGINT'),
  c('x.floor()', x.floor(), 'float64', 'floor(x)'),
  c('x.ceil()', x.ceil(), 'float64', 'ceil(x)'),
  c('i.floor()', i.floor(), 'int32', 'i'),
  c('i.clip(-10, 10)', i.clip(-10, 10), 'int32', 'clipped(i, -10, 10)'),
  c('x.clip(j, null)', x.clip(j, null), 'float64', 'clipped(x, j, NULL)'),
  c('x.clip(null, y)', x.clip(null, y), 'float64', 'clipped(x, NULL, y)'),
  c('i.clip(0, 2.5)', i.clip(0, 2.5), 'float64', 'clipped(i, 0, 2.5::DOUBLE)'),
  // when / then / otherwise
  c('when(i > 0).then(x).otherwise(y)', when(i.gt(0)).then(x).otherwise(y), 'float64', 'CASE WHEN i > 0 THEN x ELSE y END'),
  c('when(b).then("yes").when(c).then("maybe").otherwise(s)', when(b).then('yes').when(cc).then('maybe').otherwise(s), 'string', "CASE WHEN b THEN 'yes' WHEN c THEN 'maybe' ELSE s END"),
  c('when(i > 0).then(i)', when(i.gt(0)).then(i), 'int32', 'CASE WHEN i > 0 THEN i END'),
  c('when(x > 0).then(1).otherwise(2.5)', when(x.gt(0)).then(1).otherwise(2.5), 'float64', 'CASE WHEN x > 0 THEN 1 ELSE 2.5::DOUBLE END'),
  c('when(cat == "SFO").then(cat).otherwise(s)', when(cat.eq('SFO')).then(cat).otherwise(s), 'string', "CASE WHEN cat = 'SFO' THEN cat ELSE s END"),
  c('when(b).then(big).otherwise(i)', when(b).then(big).otherwise(i), 'int64', 'CASE WHEN b THEN big ELSE i END'),
  // strings (string and category columns)
  c('s.str.len()', s.str.len(), 'int32', 'length(s)'),
  c('cat.str.len()', cat.str.len(), 'int32', 'length(cat)'),
  c('s.str.lower()', s.str.lower(), 'string', 'lower(s)'),
  c('s.str.upper()', s.str.upper(), 'string', 'upper(s)'),
  c('cat.str.lower()', cat.str.lower(), 'string', 'lower(cat)'),
  c('s.str.contains("a", literal)', s.str.contains('a', true), 'bool', "contains(s, 'a')"),
  c('s.str.contains(\'"\', literal)', s.str.contains('"', true), 'bool', `contains(s, '"')`),
  c('s.str.contains("^a.c$")', s.str.contains('^a.c$'), 'bool', "regexp_matches(s, '^a.c$')"),
  c('s.str.contains("[0-9]+")', s.str.contains('[0-9]+'), 'bool', "regexp_matches(s, '[0-9]+')"),
  c('cat.str.contains("L", literal)', cat.str.contains('L', true), 'bool', "contains(cat, 'L')"),
  c('s.str.startsWith("ab")', s.str.startsWith('ab'), 'bool', "starts_with(s, 'ab')"),
  c('s.str.endsWith("c")', s.str.endsWith('c'), 'bool', "ends_with(s, 'c')"),
  c('cat.str.startsWith("S")', cat.str.startsWith('S'), 'bool', "starts_with(cat, 'S')"),
  c('s.str.slice(1, 2)', s.str.slice(1, 2), 'string', 'py_slice(s, 1, 2)'),
  c('s.str.slice(-2)', s.str.slice(-2), 'string', 'py_slice_tail(s, -2)'),
  c('s.str.slice(-9, 3)', s.str.slice(-9, 3), 'string', 'py_slice(s, -9, 3)'),
  c('t.str.slice(0, 3)', t.str.slice(0, 3), 'string', 'py_slice(t, 0, 3)'),
  // pass-through and literals
  c('i', i, 'int32', 'i'),
  c('s', s, 'string', 's'),
  c('cat', cat, 'category', 'cat'),
  c('b.alias("z")', b.alias('z'), 'bool', 'b'),
  c('lit(7)', lit(7), 'int32', '7'),
  c('lit(null)', lit(null), 'float64', 'NULL::DOUBLE'),
  c('lit("q\\"\\n")', lit('q"\n'), 'string', `'q"\n'`),
];

/** Filters with outputs: SELECT <outputs> FROM t WHERE <filter>. */
const FILTERS: { name: string; filter: Expr; sql: string }[] = [
  { name: 'DepDelay-like', filter: i.gt(20).and(s.isIn(['SFO', 'LAX', 'abc'])), sql: "i > 20 AND s IN ('SFO', 'LAX', 'abc')" },
  { name: 'Kleene or', filter: b.or(x.gt(0)), sql: 'b OR x > 0' },
  { name: 'null literal', filter: lit(null, 'bool'), sql: 'NULL' },
  { name: 'always true', filter: lit(true), sql: 'true' },
  { name: 'category', filter: cat.eq('SFO').or(cat.isNull()), sql: "cat = 'SFO' OR cat IS NULL" },
  { name: 'not', filter: b.not(), sql: 'NOT b' },
];

let duck: DuckDBConnection;
let table: RandomTable;
let batch: ColumnBatch;

beforeAll(async () => {
  table = randomTable(ROWS, 20240611);
  batch = tableBatch(table);
  const instance = await DuckDBInstance.create(':memory:');
  duck = await instance.connect();
  await duck.run(table.sql);
  await duck.run(MACROS);
});

afterAll(() => {
  duck?.closeSync();
});

async function query(sql: string): Promise<Scalar[][]> {
  const reader = await duck.runAndReadAll(sql);
  return reader.getRows() as Scalar[][];
}

function expectSame(name: string, ours: Scalar[], theirs: Scalar[]): void {
  expect(ours.length, `${name}: row count`).toBe(theirs.length);
  const bad = ours.findIndex((v, r) => !sameValue(v, theirs[r]!));
  if (bad >= 0) expect.fail(`${name}: row ${bad}: dusk ${String(ours[bad])} (${typeof ours[bad]}), duckdb ${String(theirs[bad])} (${typeof theirs[bad]})`);
}

describe('kernels agree with DuckDB on every operator and function (random table with nulls)', () => {
  it.each(CASES)('$name', async ({ name, expr, dtype, sql }) => {
    expect(resolveType(expr.node, table.schema)).toBe(dtype);
    const out = compilePipeline({ input: table.schema, filter: null, outputs: [{ name: 'r', expr: expr.node }] })(batch);
    expect(out.columns[0]!.dtype).toBe(dtype);
    const ours = valuesOf(out.columns[0]!);
    const theirs = (await query(`SELECT ${sql} FROM t ORDER BY id`)).map((row) => row[0]!);
    expectSame(name, ours, theirs);

    // The reference evaluator gives the same values, row by row.
    const typed = typeExpr(expr.node, table.schema);
    const reference = Array.from({ length: batch.length }, (_, r) => evaluateRow(typed, (column) => table.columns[column]!.values[r]!));
    expectSame(`${name} (evaluateRow)`, ours, reference);

    // As a filter, a bool expression keeps exactly the rows where it is true.
    if (dtype === 'bool') {
      const kept = compilePipeline({ input: table.schema, filter: expr.node, outputs: [{ name: 'id', expr: col('id').node }] })(batch);
      const theirIds = (await query(`SELECT id FROM t WHERE ${sql} ORDER BY id`)).map((row) => row[0]!);
      expectSame(`${name} as filter`, valuesOf(kept.columns[0]!), theirIds);
    }
  });

  it.each(FILTERS)('filter $name, then every output on the kept rows', async ({ name, filter, sql }) => {
    const outputs = CASES.map((cs, n) => ({ name: `o${n}`, expr: cs.expr.node }));
    const out = compilePipeline({ input: table.schema, filter: filter.node, outputs: [{ name: 'id', expr: col('id').node }, ...outputs] })(batch);
    const rows = await query(`SELECT id, ${CASES.map((cs) => cs.sql).join(', ')} FROM t WHERE ${sql} ORDER BY id`);
    expect(out.length).toBe(rows.length);
    out.columns.forEach((column, n) => {
      expect(column.length).toBe(rows.length);
      expectSame(`${name}: ${n === 0 ? 'id' : CASES[n - 1]!.name}`, valuesOf(column), rows.map((row) => row[n]!));
    });
  });
});
