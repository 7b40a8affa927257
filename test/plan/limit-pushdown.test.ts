import { describe, expect, it } from 'vitest';
import { col } from '../../src/index.js';
import { Limit } from '../../src/plan/logical/index.js';
import { limitPushdown } from '../../src/plan/optimize/limit-pushdown.js';
import { airline, shape } from './plan-helpers.js';

const kinds = (lines: string[]) => lines.map((l) => l.trim().split(' ')[0]);

describe('limit pushdown', () => {
  it('moves a limit below row-wise steps, so derived columns are computed for n rows only', () => {
    const plan = new Limit(airline().withColumns({ h: col('DepTime').div(100) }).select('h').plan, 5);
    expect(kinds(shape(limitPushdown.rewrite(plan)))).toEqual(['Select', 'WithColumns', 'Limit', 'Scan']);
  });

  it('keeps a limit above a filter, and merges stacked limits', () => {
    const filtered = new Limit(airline().filter(col('DepDelay').gt(60)).plan, 5);
    expect(limitPushdown.rewrite(filtered)).toBe(filtered);
    const stacked = limitPushdown.rewrite(new Limit(new Limit(airline().plan, 3), 10));
    expect(shape(stacked)[0]).toBe('Limit 3');
  });
});
