import { describe, expect, it } from 'vitest';
import { col } from '../../src/index.js';
import { projectionPushdown } from '../../src/plan/optimize/projection-pushdown.js';
import { airline, shape } from './plan-helpers.js';

describe('projection pushdown', () => {
  it('reads only the columns the result uses, including those only a filter needs', () => {
    const plan = airline().filter(col('Origin').eq('SFO')).select('DepDelay').plan;
    const out = shape(projectionPushdown.rewrite(plan));
    expect(out[0]).toBe('Select DepDelay');
    expect(out[1]).toMatch(/^ {2}Filter .*Origin/);
    expect(out[2]).toBe('    Scan columns: DepDelay, Origin');
  });

  it('drops derived columns nobody uses, and the columns only they used', () => {
    const plan = airline().withColumns({ speed: col('Distance').div(col('AirTime')), late: col('ArrDelay').gt(0) }).select('speed').plan;
    const out = shape(projectionPushdown.rewrite(plan));
    expect(out[1]).toMatch(/^ {2}WithColumns speed: /);
    expect(out[1]).not.toContain('late');
    expect(out.at(-1)).toBe('    Scan columns: AirTime, Distance');
  });

  it('an aggregate reads its keys and its inputs only', () => {
    const plan = airline().groupBy('UniqueCarrier').agg({ m: col('DepDelay').mean() }).plan;
    expect(shape(projectionPushdown.rewrite(plan)).at(-1)).toBe('  Scan columns: UniqueCarrier, DepDelay');
  });

  it('changes nothing the second time (a fixpoint)', () => {
    const once = projectionPushdown.rewrite(airline().select('DepDelay').plan);
    expect(projectionPushdown.rewrite(once)).toBe(once);
  });
});
