import { describe, expect, it } from 'vitest';
import { DuskSchemaError } from '../../src/core/errors.js';
import { schemaOf } from '../../src/core/schema.js';
import { col, type Expr, type ExprNode, functions, len, lit, type ScalarFunction, when } from '../../src/expr/index.js';
import { compilePipeline, pipelineSource, type PipelineSpec } from '../../src/kernels/compile-pipeline.js';
import { batchOf, valuesOf } from './columns.js';

const data = {
  d: { dtype: 'int32' as const, values: [100, null, 61, 60, -5, 200, 75, null, 90, 61] },
  o: { dtype: 'string' as const, values: ['SFO', 'LAX', null, 'SFO', 'JFK', 'LAX', 'ORD', 'SFO', 'SFO', 'héllo'] },
  c: { dtype: 'category' as const, values: ['AA', null, 'UA', 'AA', 'DL', 'UA', 'AA', null, 'DL', 'AA'] },
  x: { dtype: 'float64' as const, values: [1.5, 2.5, null, 4, 5, 6, 7, 8, 9, 10] },
};
const batch = batchOf(data);
const schema = schemaOf(batch.names, { d: 'int32', o: 'string', c: 'category', x: 'float64' });
const spec = (filter: Expr | null, outputs: Record<string, ExprNode>): PipelineSpec => ({
  input: schema,
  filter: filter?.node ?? null,
  outputs: Object.entries(outputs).map(([name, expr]) => ({ name, expr })),
});

describe('compilePipeline', () => {
  it('keeps the rows where the filter is true (not null) and computes outputs for them only', () => {
    const run = compilePipeline(spec(col('d').gt(60).and(col('o').isIn(['SFO', 'LAX'])), { o: col('o').node, half: col('d').div(2).node }));
    const out = run(batch);
    expect(out.names).toEqual(['o', 'half']);
    expect(out.length).toBe(3);
    expect(valuesOf(out.columns[0]!)).toEqual(['SFO', 'LAX', 'SFO']);
    expect(valuesOf(out.columns[1]!)).toEqual([50, 100, 45]);
  });

  it('passes plain column references through without copying when no row is dropped', () => {
    const out = compilePipeline(spec(null, { d: col('d').node, o: col('o').node, c: col('c').alias('carrier').node, x2: col('x').mul(2).node }))(batch);
    expect(out.columns[0]).toBe(batch.columns[0]);
    expect(out.columns[1]).toBe(batch.columns[1]);
    expect(out.columns[2]).toBe(batch.columns[2]);
    expect(valuesOf(out.columns[3]!)).toEqual([3, 5, null, 8, 10, 12, 14, 16, 18, 20]);
  });

  it('gathers pass-through columns of every dtype when rows are dropped (category keeps its dictionary)', () => {
    const out = compilePipeline(spec(col('x').gt(4), { d: col('d').node, o: col('o').node, c: col('c').node, x: col('x').node }))(batch);
    expect(out.columns[0]).not.toBe(batch.columns[0]);
    expect(out.columns.map(valuesOf)).toEqual([
      [-5, 200, 75, null, 90, 61],
      ['JFK', 'LAX', 'ORD', 'SFO', 'SFO', 'héllo'],
      ['DL', 'UA', 'AA', null, 'DL', 'AA'],
      [5, 6, 7, 8, 9, 10],
    ]);
    const c = out.columns[2]!;
    expect(c.dtype === 'category' && batch.columns[2]!.dtype === 'category' && c.dictionary === batch.columns[2]!.dictionary).toBe(true);
  });

  it('writes validity null when an output has no nulls, and a bitmap with nullCount otherwise', () => {
    const out = compilePipeline(spec(null, { f: col('d').fillNull(0).node, g: col('d').add(1).node }))(batch);
    expect(out.columns[0]!.validity).toBeNull();
    expect(out.columns[0]!.nullCount).toBe(0);
    expect(out.columns[1]!.nullCount).toBe(2);
    expect(valuesOf(out.columns[1]!)).toEqual([101n, null, 62n, 61n, -4n, 201n, 76n, null, 91n, 62n]);
  });

  it('builds string, category and bool outputs', () => {
    const out = compilePipeline(
      spec(null, {
        label: when(col('d').gt(80)).then(col('o').str.upper()).otherwise('ok').node,
        cat: col('o').str.lower().cast('category').node,
        late: col('d').gt(80).node,
      }),
    )(batch);
    expect(valuesOf(out.columns[0]!)).toEqual(['SFO', 'ok', 'ok', 'ok', 'ok', 'LAX', 'ok', 'ok', 'SFO', 'ok']);
    expect(out.columns[1]!.dtype).toBe('category');
    expect(valuesOf(out.columns[1]!)).toEqual(['sfo', 'lax', null, 'sfo', 'jfk', 'lax', 'ord', 'sfo', 'sfo', 'héllo']);
    expect(valuesOf(out.columns[2]!)).toEqual([true, null, false, false, false, true, false, null, true, false]);
  });

  it('int32 arithmetic is int64 and exact beyond int32; int64 arithmetic wraps at 64 bits (numpy)', () => {
    const b = batchOf({ i: { dtype: 'int32', values: [2147483647, -2147483648] }, n: { dtype: 'int64', values: [2n ** 63n - 1n, -(2n ** 63n)] } });
    const s = schemaOf(b.names, { i: 'int32', n: 'int64' });
    const out = compilePipeline({ input: s, filter: null, outputs: [
      { name: 'sq', expr: col('i').mul(col('i')).node },
      { name: 'sum', expr: col('i').add(col('i')).node },
      { name: 'wrap', expr: col('n').add(1).node },
      { name: 'neg', expr: col('i').neg().node },
    ] })(b);
    expect(valuesOf(out.columns[0]!)).toEqual([4611686014132420609n, 4611686018427387904n]);
    expect(valuesOf(out.columns[1]!)).toEqual([4294967294n, -4294967296n]);
    expect(valuesOf(out.columns[2]!)).toEqual([-(2n ** 63n), -(2n ** 63n) + 1n]);
    expect(valuesOf(out.columns[3]!)).toEqual([-2147483647, -2147483648]);
  });

  it('an integer mod by zero is null; a float division by zero is ±Infinity or NaN', () => {
    const b = batchOf({ a: { dtype: 'int32', values: [7, -7, 0, 7] }, z: { dtype: 'int32', values: [0, 0, 0, 3] } });
    const s = schemaOf(b.names, { a: 'int32', z: 'int32' });
    const out = compilePipeline({ input: s, filter: null, outputs: [{ name: 'm', expr: col('a').mod(col('z')).node }, { name: 'q', expr: col('a').div(col('z')).node }] })(b);
    expect(valuesOf(out.columns[0]!)).toEqual([null, null, null, 1]);
    expect(valuesOf(out.columns[1]!)).toEqual([Infinity, -Infinity, Number.NaN, 7 / 3]);
  });

  it('finds columns by name whatever their order in the batch, and runs on an empty batch', () => {
    const run = compilePipeline(spec(col('d').gt(60), { y: col('x').add(col('d')).node }));
    const reversed = { length: batch.length, names: [...batch.names].reverse(), columns: [...batch.columns].reverse() };
    expect(valuesOf(run(reversed).columns[0]!)).toEqual(valuesOf(run(batch).columns[0]!));
    const empty = batchOf({ d: { dtype: 'int32', values: [] }, o: { dtype: 'string', values: [] }, c: { dtype: 'category', values: [] }, x: { dtype: 'float64', values: [] } });
    const out = run(empty);
    expect(out.length).toBe(0);
    expect(out.columns[0]!.length).toBe(0);
  });

  it('category sub-expressions use the dictionary of each batch (tables per dictionary)', () => {
    const s = schemaOf(['c'], { c: 'category' });
    const run = compilePipeline({ input: s, filter: col('c').isIn(['AA', 'UA']).or(col('c').isNull()).node, outputs: [
      { name: 'lower', expr: col('c').str.lower().node },
      { name: 'n', expr: col('c').fillNull('none').str.len().node },
    ] });
    const first = batchOf({ c: { dtype: 'category', values: ['AA', 'DL', null, 'UA'] } });
    const second = batchOf({ c: { dtype: 'category', values: ['UA', 'UA', 'WN', null, 'AA'] } });
    expect(first.columns[0]!.dtype === 'category' && second.columns[0]!.dtype === 'category' && first.columns[0]!.dictionary.join() !== second.columns[0]!.dictionary.join()).toBe(true);
    for (const [b, lower, n] of [
      [first, ['aa', null, 'ua'], [2, 4, 2]],
      [second, ['ua', 'ua', null, 'aa'], [2, 2, 4, 2]],
      [first, ['aa', null, 'ua'], [2, 4, 2]],
    ] as const) {
      const out = run(b);
      expect(valuesOf(out.columns[0]!)).toEqual(lower);
      expect(valuesOf(out.columns[1]!)).toEqual(n);
    }
  });

  it('a registered function without inline code runs through its evaluate (one new file plus one registration)', () => {
    const clampedSquare: ScalarFunction = {
      name: 'test.clampedSquare',
      display: { kind: 'method' },
      arity: [1, 1],
      nulls: 'strict',
      nullable: true,
      signature: (args) => (args[0] === 'float64' ? { operands: ['float64'], result: 'float64' } : { needs: 'a float64 operand' }),
      evaluate: ([v]) => ((v as number) > 8 ? null : (v as number) ** 2),
    };
    functions.register(clampedSquare);
    const run = compilePipeline(spec(null, { sq: { kind: 'call', fn: 'test.clampedSquare', args: [col('x').node] } }));
    expect(valuesOf(run(batch).columns[0]!)).toEqual([2.25, 6.25, null, 16, 25, 36, 49, 64, null, null]);
    expect(() => compilePipeline(spec(null, { sq: { kind: 'call', fn: 'test.clampedSquare', args: [col('d').node] } }))).toThrow(
      `col("d").test.clampedSquare(): test.clampedSquare() needs a float64 operand; got column 'd' (int32)`,
    );
  });

  it('a filter with no outputs gives the kept row count', () => {
    expect(compilePipeline(spec(col('c').eq('AA'), {}))(batch).length).toBe(4);
    expect(compilePipeline(spec(lit(false), {}))(batch).length).toBe(0);
  });

  it('caches compiled kernels by key: same spec, same function; another dtype, another kernel', () => {
    const a = compilePipeline(spec(col('d').gt(1), { y: col('x').node }));
    const b = compilePipeline(spec(col('d').gt(1), { y: col('x').node }));
    expect(b).toBe(a);
    const asFloat = compilePipeline({ ...spec(col('d').gt(1), { y: col('x').node }), input: schemaOf(batch.names, { d: 'float64', o: 'string', c: 'category', x: 'float64' }) });
    expect(asFloat).not.toBe(a);
  });

  it('fails at compile time on type errors and aggregations, and at run time on a batch that does not fit', () => {
    expect(() => compilePipeline(spec(col('o').gt(5), {}))).toThrow(DuskSchemaError);
    expect(() => compilePipeline(spec(col('d'), {}))).toThrow(/filter col\("d"\) must be a bool expression; it gives int32/);
    expect(() => compilePipeline(spec(null, { n: len().node }))).toThrow(/len\(\) is an aggregation/);
    expect(() => compilePipeline(spec(null, { m: col('x').mean().node }))).toThrow(/mean\(\) is an aggregation/);
    const run = compilePipeline(spec(col('d').gt(0), { x: col('x').add(1).node }));
    const wrongType = { ...batch, columns: batch.columns.map((c, k) => (k === 0 ? batchOf({ d: { dtype: 'float64', values: [1] } }).columns[0]! : c)) };
    expect(() => run(wrongType)).toThrow("pipeline: column 'd' is float64 in the batch but int32 in the schema the kernel was compiled for");
    expect(() => run({ length: 1, names: ['x'], columns: [batch.columns[3]!] })).toThrow("pipeline: the batch has no column 'd' (it has x)");
  });
});

describe('generated code comes only from the expression data, escaped', () => {
  const nasty = ['"); process.exit(1); ("', "'); process.exit(1); ('", '`${process.exit(1)}`', '\\', '__proto__', 'constructor', 'a\nb', '\u2028', '*/ process.exit(1) /*'];

  it('columns with hostile names are read correctly and never appear in the source', () => {
    const columns = Object.fromEntries(nasty.map((name, k) => [name, { dtype: 'int32' as const, values: [k, k + 1, null] }]));
    const b = batchOf(columns);
    const s = schemaOf(b.names, Object.fromEntries(nasty.map((n) => [n, 'int32' as const])));
    const outputs = nasty.map((name, k) => ({ name: `o${k}`, expr: col(name).mul(10).node }));
    const filter = col(nasty[0]!).isNotNull();
    const sourceText = pipelineSource({ input: s, filter: filter.node, outputs });
    for (const name of nasty.filter((n) => n.length > 2)) expect(sourceText).not.toContain(name);
    const out = compilePipeline({ input: s, filter: filter.node, outputs })(b);
    expect(out.columns.map(valuesOf)).toEqual(nasty.map((_, k) => [BigInt(k * 10), BigInt((k + 1) * 10)]));
  });

  it('string literals with quotes, backslashes, newlines and line separators compare and print as themselves', () => {
    const texts = ['x"y', "it's", 'back\\slash', 'new\nline', 'tab\there', '\u2028sep\u2029', '${1+1}', '</script>', '"); process.exit(1); ("', 'é😀'];
    const b = batchOf({ s: { dtype: 'string', values: texts }, c: { dtype: 'category', values: texts } });
    const s = schemaOf(b.names, { s: 'string', c: 'category' });
    const outputs = texts.flatMap((text, k) => [
      { name: `eq${k}`, expr: col('s').eq(text).node },
      { name: `ceq${k}`, expr: col('c').eq(text).node },
      { name: `lit${k}`, expr: when(col('s').eq(text)).then(lit(text)).otherwise(null).node },
      { name: `in${k}`, expr: col('s').isIn([text, 'zz']).node },
      { name: `has${k}`, expr: col('s').str.contains(text, true).node },
    ]);
    const out = compilePipeline({ input: s, filter: null, outputs })(b);
    texts.forEach((text, k) => {
      const expectedEq = texts.map((t) => t === text);
      expect(valuesOf(out.columns[5 * k]!)).toEqual(expectedEq);
      expect(valuesOf(out.columns[5 * k + 1]!)).toEqual(expectedEq);
      expect(valuesOf(out.columns[5 * k + 2]!)).toEqual(texts.map((t) => (t === text ? text : null)));
      expect(valuesOf(out.columns[5 * k + 3]!)).toEqual(expectedEq);
      expect(valuesOf(out.columns[5 * k + 4]!)).toEqual(texts.map((t) => t.includes(text)));
    });
  });

  it('a regular expression from the data is a RegExp value, not code', () => {
    const b = batchOf({ s: { dtype: 'string', values: ['a/b', 'ab', '/'] } });
    const s = schemaOf(b.names, { s: 'string' });
    const pattern = '/; process.exit(1); /';
    const out = compilePipeline({ input: s, filter: null, outputs: [{ name: 'm', expr: col('s').str.contains('a/b').node }, { name: 'p', expr: col('s').str.contains(pattern).node }] })(b);
    expect(valuesOf(out.columns[0]!)).toEqual([true, false, false]);
    expect(valuesOf(out.columns[1]!)).toEqual([false, false, false]);
    expect(pipelineSource({ input: s, filter: null, outputs: [{ name: 'p', expr: col('s').str.contains(pattern).node }] })).not.toContain('process');
  });

  it('hostile IR (not built by the builder) is refused before any code is made', () => {
    const s = schemaOf(['a'], { a: 'int32' });
    const hostile: ExprNode[] = [
      { kind: 'lit', dtype: 'int64', value: '1n); process.exit(1); (1' },
      { kind: 'lit', dtype: 'float64', value: 'process.exit(1)' },
      { kind: 'lit', dtype: 'int32', value: 1.5 },
      { kind: 'call', fn: 'process.exit', args: [] },
      { kind: 'call', fn: 'round', args: [{ kind: 'col', name: 'a' }], params: { decimals: 'process.exit(1)' } },
      { kind: 'call', fn: 'str.slice', args: [{ kind: 'col', name: 'a' }], params: { start: 0.5 } },
      { kind: 'cast', arg: { kind: 'col', name: 'a' }, dtype: 'process' as never },
    ];
    for (const node of hostile) expect(() => compilePipeline({ input: s, filter: null, outputs: [{ name: 'x', expr: node }] })).toThrow(DuskSchemaError);
  });
});
