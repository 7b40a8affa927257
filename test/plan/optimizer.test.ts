import { describe, expect, it } from 'vitest';
import { col, lit } from '../../src/index.js';
import { Limit, type LogicalPlan } from '../../src/plan/logical/index.js';
import { optimizePlan, RULES } from '../../src/plan/optimize/index.js';
import type { OptimizerRule } from '../../src/plan/optimize/rule.js';
import { airline, shape } from './plan-helpers.js';

describe('the optimizer', () => {
  it('runs every rule to a fixpoint: folding, then pushdowns, then projection', () => {
    const df = airline()
      .withColumns({ speed: col('Distance').div(col('AirTime').div(lit(6).mul(10))) })
      .filter(col('DepDelay').gt(60))
      .filter(lit(true))
      .select('speed', 'Origin');
    const out = shape(optimizePlan(new Limit(df.plan, 5)));
    expect(out.map((l) => l.trim().split(' ')[0])).toEqual(['Select', 'WithColumns', 'Limit', 'Filter', 'Scan']);
    expect(out[1]).toContain('60');
    expect(out[1]).not.toContain('6 * 10');
    expect(out.at(-1)).toBe('        Scan columns: AirTime, DepDelay, Origin, Distance');
    expect(RULES.map((r) => r.name)).toEqual(['constant-folding', 'predicate-pushdown', 'limit-pushdown', 'top-k', 'projection-pushdown']);
  });

  it('stops with a clear error when rules undo each other', () => {
    const flip: OptimizerRule = { name: 'flip', rewrite: (plan: LogicalPlan) => new Limit(plan, 1) };
    expect(() => optimizePlan(airline().plan, [flip])).toThrow(/did not reach a fixpoint in 32 rounds \(rules: flip\)/);
  });
});
