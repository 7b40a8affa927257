import { describe, expect, it } from 'vitest';
import { col, lit } from '../../src/index.js';
import { constantFolding } from '../../src/plan/optimize/constant-folding.js';
import { airline, shape } from './plan-helpers.js';

describe('constant folding', () => {
  it('evaluates literal arithmetic once, at plan time', () => {
    const plan = airline().withColumns({ m: col('AirTime').mul(lit(60).mul(1000)) }).plan;
    expect(shape(constantFolding.rewrite(plan))[0]).toMatch(/60000/);
  });

  it('removes a filter that is always true, and simplifies boolean logic', () => {
    const always = airline().filter(lit(true).or(col('DepDelay').gt(1))).plan;
    expect(shape(constantFolding.rewrite(always))[0]).toMatch(/^Scan/);
    const simplified = shape(constantFolding.rewrite(airline().filter(col('DepDelay').gt(1).and(lit(true))).plan))[0]!;
    expect(simplified).toMatch(/^Filter/);
    expect(simplified).not.toMatch(/true/);
  });
});
