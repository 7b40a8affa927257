import { describe, expect, it } from 'vitest';
import type { ColumnBatch } from '../../src/core/column-data.js';
import { schemaOf } from '../../src/core/schema.js';
import { col, evaluateRow, Expr, functions, type JsValue, lit, type Scalar, type ScalarFunction, typeExpr, when } from '../../src/expr/index.js';
import { compilePipeline, pipelineSource, type PipelineSpec } from '../../src/kernels/compile-pipeline.js';
import { rng } from '../helpers.js';
import { batchOf, sameValue, valuesOf } from './columns.js';
import { CATEGORIES, randomTable, tableBatch } from './random-table.js';

/**
 * Common sub-expressions in the generated kernels (src/kernels/cse.ts): the same results with
 * and without CSE, each repeated sub-expression written out once where that is valid, values
 * of conditional blocks never used outside them, and filter values handed to the outputs.
 */

const table = randomTable(2000, 7);
const batch = tableBatch(table);
const schema = table.schema;

const spec = (filter: Expr | null, outputs: Record<string, Expr>): PipelineSpec => ({
  input: schema,
  filter: filter?.node ?? null,
  outputs: Object.entries(outputs).map(([name, e]) => ({ name, expr: e.node })),
});

function run(s: PipelineSpec, cse: boolean, b: ColumnBatch = batch): Scalar[][] {
  return compilePipeline(s, { cse })(b).columns.map(valuesOf);
}

/** Results with CSE equal (to the bit) those without, and the reference evaluator's, row by row. */
function expectSameResults(s: PipelineSpec, b: ColumnBatch = batch, columns: Record<string, { values: Scalar[] }> = table.columns): void {
  const plain = run(s, false, b);
  const shared = run(s, true, b);
  expect(shared).toEqual(plain);
  const filter = s.filter === null ? null : typeExpr(s.filter, s.input);
  const outputs = s.outputs.map((o) => typeExpr(o.expr, s.input));
  const rows = Array.from({ length: b.length }, (_, r) => r).filter((r) => filter === null || evaluateRow(filter, (c) => columns[c]!.values[r]!) === true);
  outputs.forEach((t, n) => {
    const reference = rows.map((r) => evaluateRow(t, (c) => columns[c]!.values[r]!));
    const bad = reference.findIndex((v, k) => !sameValue(v, shared[n]![k]!));
    if (bad >= 0) expect.fail(`output ${s.outputs[n]!.name}, kept row ${bad}: kernel ${String(shared[n]![bad])}, evaluateRow ${String(reference[bad])}`);
  });
}

/** How many times a piece of code appears in the text. */
function count(text: string, code: string): number {
  return text.split(code).length - 1;
}

const x = col('x'), y = col('y'), i = col('i'), j = col('j'), b = col('b'), c = col('c'), s = col('s');
const cat = col('cat');

// x, y are float64 columns c?v; the exact text of x + y in the kernel, whatever their binding order.
const sum = x.add(y);

describe('CSE within one loop', () => {
  it('a repeated total sub-expression in sibling when() branches is computed once, before the branches', () => {
    const sp = spec(null, { w: when(b).then(sum.mul(2)).when(c).then(sum.mul(3)).otherwise(sum.neg()) });
    const plain = pipelineSource(sp, { cse: false });
    const shared = pipelineSource(sp);
    expect(count(plain, ' + c')).toBe(3);
    expect(count(shared, ' + c')).toBe(1);
    // Computed in the loop body itself, not in a branch: its line comes before the first if.
    const body = shared.slice(shared.indexOf('for (let k'));
    expect(body.indexOf(' + c')).toBeLessThan(body.indexOf('if ('));
    expectSameResults(sp);
  });

  it('one computation serves the condition, and/or, fillNull and several outputs', () => {
    const ratio = x.div(y.sub(1));
    const sp = spec(null, {
      a: when(ratio.gt(1)).then(ratio).otherwise(ratio.neg()),
      b: ratio.gt(0).and(ratio.lt(4)).or(ratio.isNull()),
      c: ratio.fillNull(ratio.add(1).fillNull(-1)),
      d: ratio.mul(ratio),
    });
    expect(count(pipelineSource(sp, { cse: false }), ' / ')).toBe(10);
    expect(count(pipelineSource(sp), ' / ')).toBe(1);
    expectSameResults(sp);
  });

  it('a function that is not total (a regular expression) is not moved into rows that did not ask for it: one computation per branch', () => {
    const match = s.str.contains('b+c');
    const sp = spec(null, { w: when(b).then(match.and(c)).otherwise(match.or(c)) });
    expect(count(pipelineSource(sp), '.test(')).toBe(2);
    expectSameResults(sp);
  });

  it('a value computed in a conditional block is not used after the block (recomputed where the block did not run)', () => {
    const match = s.str.contains('a|é');
    // The first use is inside the then side only; the second, after the when(), runs on every row.
    const sp = spec(null, { w: when(b).then(match).otherwise(false).or(match), v: match.fillNull(false).and(when(c).then(match).otherwise(true)) });
    const source = pipelineSource(sp);
    expect(count(source, '.test(')).toBeGreaterThanOrEqual(2);
    expectSameResults(sp);
  });

  it('a value computed before a block is reused inside it (the condition dominates its branch)', () => {
    const match = s.str.contains('[A-Z]');
    const sp = spec(null, { w: when(match).then(match.not()).otherwise(match.isNull()) });
    expect(count(pipelineSource(sp), '.test(')).toBe(1);
    expectSameResults(sp);
  });

  it('a registered function with a side condition is evaluated only where the expression evaluates it', () => {
    const strictLog: ScalarFunction = {
      name: 'test.cse.strictLog',
      display: { kind: 'method' },
      arity: [1, 1],
      nulls: 'strict',
      signature: (args) => (args[0] === 'float64' ? { operands: ['float64'], result: 'float64' } : { needs: 'a float64 operand' }),
      evaluate: ([v]) => {
        if ((v as number) <= 0) throw new Error(`strictLog of ${String(v)}`);
        return Math.log(v as number);
      },
    };
    functions.register(strictLog);
    const logX = new Expr({ kind: 'call', fn: strictLog.name, args: [x.node] });
    // Both uses are guarded by x > 0; computing it before the branches would throw on other rows.
    const sp = spec(null, { w: when(b.and(x.gt(0))).then(logX).when(x.gt(1)).then(logX.mul(2)).otherwise(0) });
    expect(pipelineSource(sp).match(/K\d+\(c\d+v\[i\]\)/g)).toHaveLength(2);
    expectSameResults(sp);
  });

  it('a custom-null function registered elsewhere: its arguments may be conditional, so nothing is moved out of them', () => {
    const ifPositive: ScalarFunction = {
      name: 'test.cse.ifPositive',
      display: { kind: 'method' },
      arity: [2, 2],
      nulls: 'custom',
      signature: (args) => (args[0] === 'float64' && args[1] === 'bool' ? { operands: ['float64', 'bool'], result: 'bool' } : { needs: 'float64, bool' }),
      evaluate: ([v, then]) => (v !== null && (v as number) > 0 ? then! : null),
      emit: (ctx, [value, then]) => {
        const out: JsValue = { v: ctx.temp(), n: ctx.temp() };
        const a = value();
        const inner = ctx.block(() => {
          const t = then();
          ctx.emit(`${out.v} = ${t.v}; ${out.n} = ${t.n};`);
        });
        ctx.emit(`if (!${a.n} && ${a.v} > 0) { ${inner} } else { ${out.v} = false; ${out.n} = true; }`);
        return out;
      },
    };
    functions.register(ifPositive);
    const match = s.str.contains('l+');
    const guarded = new Expr({ kind: 'call', fn: ifPositive.name, args: [x.node, match.node] });
    expectSameResults(spec(null, { g: guarded.or(match), h: guarded.and(sum.gt(0)).or(sum.lt(-3)) }));
    // As a filter: rows with x <= 0 are kept without evaluating its second argument, so that value is not stored for the outputs.
    const high = sum.mul(2).gt(1);
    const filtered = spec(new Expr({ kind: 'call', fn: ifPositive.name, args: [x.node, high.node] }).fillNull(true), { high, both: high.and(b) });
    expect(pipelineSource(filtered)).not.toContain('s0');
    expectSameResults(filtered);
  });

  it('aliases do not hide a repeated sub-expression; category sub-expressions stay one table lookup', () => {
    const sp = spec(cat.str.lower().isIn(['sfo', 'lax']), { a: sum.alias('s1').mul(2), b: sum.alias('s2').add(cat.str.len()), c: cat.str.len().mul(2) });
    expect(count(pipelineSource(sp), ' + c')).toBe(1);
    expectSameResults(sp);
  });
});

describe('CSE across the filter and output loops', () => {
  const flights = (() => {
    const r = rng(3);
    const n = 3000;
    const columns = {
      Distance: { dtype: 'int32' as const, values: Array.from({ length: n }, (): Scalar => (r() < 0.05 ? null : 100 + Math.floor(r() * 2500))) },
      AirTime: { dtype: 'int32' as const, values: Array.from({ length: n }, (): Scalar => (r() < 0.05 ? null : Math.floor(r() * 300))) },
    };
    return { columns, batch: batchOf(columns), schema: schemaOf(['Distance', 'AirTime'], { Distance: 'int32', AirTime: 'int32' }) };
  })();
  const speed = col('Distance').div(col('AirTime').div(60));
  const flightSpec = (filter: Expr, outputs: Record<string, Expr>): PipelineSpec => ({
    input: flights.schema,
    filter: filter.node,
    outputs: Object.entries(outputs).map(([name, e]) => ({ name, expr: e.node })),
  });

  it('withColumns(speed).filter(speed > 400).select(speed, fast): speed is computed once, by the filter loop', () => {
    const sp = flightSpec(speed.gt(400), { speed, fast: speed.gt(500) });
    const plain = pipelineSource(sp, { cse: false });
    const shared = pipelineSource(sp);
    expect(count(plain, ' / 60)')).toBe(3);
    expect(count(shared, ' / 60)')).toBe(1);
    // The output loop reads the filter's values; speed > 400 on a kept row means speed is not null, so no null flags are kept.
    const outputLoop = shared.slice(shared.indexOf('for (let k'));
    expect(outputLoop).toContain('s0[k]');
    expect(shared).not.toContain('s0n');
    expectSameResults(sp, flights.batch, flights.columns);
    const out = compilePipeline(sp)(flights.batch);
    expect(out.length).toBeGreaterThan(100);
    expect(valuesOf(out.columns[0]!).every((v) => typeof v === 'number' && v > 400)).toBe(true);
  });

  it('keeps the null flags of stored values: rows kept with a null (or NaN, or Infinity) value', () => {
    // AirTime 0 gives Infinity; null Distance or AirTime gives null, and isNull keeps those rows.
    const sp = flightSpec(speed.isNull().or(speed.gt(1000)), { speed, half: speed.div(2), flag: speed.isNull() });
    expect(pipelineSource(sp)).toContain('s0n');
    expectSameResults(sp, flights.batch, flights.columns);
    const [v] = run(sp, true, flights.batch);
    expect(v!.filter((x) => x === null).length).toBeGreaterThan(10);
    expect(v!.filter((x) => x === Infinity).length).toBeGreaterThan(0);
  });

  it('a filter value that is evaluated only on some kept rows (right of or, inside when) is not stored', () => {
    const sp = flightSpec(col('Distance').gt(2000).or(speed.gt(600)), { speed });
    const source = pipelineSource(sp);
    expect(source).not.toContain('s0');
    expectSameResults(sp, flights.batch, flights.columns);
    const sp2 = flightSpec(when(col('Distance').gt(2000)).then(speed.gt(600)).otherwise(true), { speed });
    expect(pipelineSource(sp2)).not.toContain('s0');
    expectSameResults(sp2, flights.batch, flights.columns);
  });

  it('both sides of a kept and() are stored, int32/int64/bool values too', () => {
    const rem = i.mod(j);
    const wide = col('big').add(i);
    const test = x.gt(y).or(b);
    const sp = spec(b.isNotNull().and(rem.ge(0)).and(wide.ne(0n)).and(test), { rem, wide, test, both: rem.add(1).mul(2), neither: when(test).then(wide).otherwise(rem) });
    const source = pipelineSource(sp);
    for (const array of ['Int32Array(n)', 'BigInt64Array(n)', 'Uint8Array(n)']) expect(source).toContain(array);
    expectSameResults(sp);
  });
});

describe('random expressions with repeated sub-expressions (with and without CSE)', () => {
  it('give the same results on random data with nulls', () => {
    const r = rng(2024);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
    // Small pools, so sub-expressions repeat; a few are not total (a regex) or can be null, NaN or Infinity.
    const numbers: Expr[] = [x.add(y), x.div(y.sub(1)), i.mul(j), i.mod(j), x.sqrt(), x.round(1), col('big').add(i), cat.str.len(), s.str.len(), lit(2.5)];
    const bools: Expr[] = [b, c, x.gt(y), i.lt(j), s.str.contains('a.c'), s.str.startsWith('a'), cat.isIn([CATEGORIES[0]!, CATEGORIES[2]!]), x.isNull()];
    const number = (depth: number): Expr => {
      if (depth === 0) return pick(numbers);
      switch (Math.floor(r() * 5)) {
        case 0:
          return when(bool(depth - 1)).then(number(depth - 1)).otherwise(number(depth - 1));
        case 1:
          return number(depth - 1).fillNull(number(depth - 1));
        case 2:
          return number(depth - 1).add(number(depth - 1));
        case 3:
          return when(bool(depth - 1)).then(number(depth - 1)).when(bool(depth - 1)).then(number(depth - 1)).otherwise(lit(null));
        default:
          return number(depth - 1).clip(-5, 5);
      }
    };
    const bool = (depth: number): Expr => {
      if (depth === 0) return pick(bools);
      switch (Math.floor(r() * 5)) {
        case 0:
          return bool(depth - 1).and(bool(depth - 1));
        case 1:
          return bool(depth - 1).or(bool(depth - 1));
        case 2:
          return number(depth - 1).gt(number(depth - 1));
        case 3:
          return bool(depth - 1).not().fillNull(bool(depth - 1));
        default:
          return when(bool(depth - 1)).then(bool(depth - 1)).otherwise(bool(depth - 1));
      }
    };
    let shared = 0;
    for (let round = 0; round < 60; round++) {
      const filter = round % 3 === 0 ? null : bool(1 + Math.floor(r() * 2));
      const outputs: Record<string, Expr> = {};
      for (let k = 0; k < 4; k++) outputs[`o${k}`] = r() < 0.5 ? number(1 + Math.floor(r() * 3)) : bool(1 + Math.floor(r() * 3));
      const sp = spec(filter, outputs);
      if (pipelineSource(sp).length < pipelineSource(sp, { cse: false }).length) shared++;
      expectSameResults(sp);
    }
    // The pools make sharing the rule, not the exception.
    expect(shared).toBeGreaterThan(40);
  });
});
