import { describe, expect, it } from 'vitest';
import { col } from '../../src/index.js';
import { Limit, Sort, TopK } from '../../src/plan/logical/index.js';
import { optimizePlan } from '../../src/plan/optimize/index.js';
import { topK } from '../../src/plan/optimize/topk.js';
import { airline, shape } from './plan-helpers.js';

describe('top-k rule', () => {
  it('rewrites Limit(Sort(x)) into TopK(x) with the sort keys, directions and null placement', () => {
    const sort = new Sort(airline().plan, [{ column: 'DepDelay', descending: true }, { column: 'Origin', descending: false }], true);
    const rewritten = topK.rewrite(new Limit(sort, 7));
    expect(rewritten).toBeInstanceOf(TopK);
    const node = rewritten as TopK;
    expect([node.n, node.by, node.nullsFirst, node.dropMissing]).toEqual([7, sort.by, true, false]);
    expect(node.input).toBe(sort.input);
  });

  it('narrows a top-k under a smaller limit, and leaves a limit over anything else alone', () => {
    const narrowed = topK.rewrite(new Limit(new TopK(airline().plan, 10, [{ column: 'DepDelay', descending: false }], false, true), 3)) as TopK;
    expect([narrowed.n, narrowed.dropMissing]).toEqual([3, true]);
    // A filter between the limit and the sort: the limit is not the sort's first n rows of its input.
    const filtered = new Limit(airline().sort('DepDelay').filter(col('Origin').eq('SFO')).plan, 5);
    expect(topK.rewrite(filtered)).toBe(filtered);
    const plain = new Limit(airline().plan, 5);
    expect(topK.rewrite(plain)).toBe(plain);
  });

  it('sort().select().head(n) becomes a top-k once the limit is pushed below the select, and reads only the columns used', () => {
    const optimized = optimizePlan(airline().sort('DepDelay', { descending: true }).select('Origin', 'DepDelay').head(4).plan);
    const lines = shape(optimized);
    expect(lines.map((l) => l.trim().split(' ')[0])).toEqual(['Select', 'TopK', 'Scan']);
    expect(lines[1]!.trim()).toBe('TopK 4 by DepDelay desc');
    expect(lines[2]).toMatch(/columns: Origin, DepDelay$|columns: DepDelay, Origin$/);
  });
});
