import { describe, expect, it } from 'vitest';
import { col } from '../../src/index.js';
import { predicatePushdown } from '../../src/plan/optimize/predicate-pushdown.js';
import { airline, shape } from './plan-helpers.js';

const kinds = (lines: string[]) => lines.map((l) => l.trim().split(' ')[0]);

describe('predicate pushdown', () => {
  it('moves a filter below derived columns it does not use', () => {
    const plan = airline().withColumns({ speed: col('Distance').div(col('AirTime')) }).filter(col('DepDelay').gt(60)).plan;
    expect(kinds(shape(predicatePushdown.rewrite(plan)))).toEqual(['WithColumns', 'Filter', 'Scan']);
  });

  it('keeps a filter above the derived column it uses', () => {
    const plan = airline().withColumns({ speed: col('Distance').div(col('AirTime')) }).filter(col('speed').gt(400)).plan;
    expect(predicatePushdown.rewrite(plan)).toBe(plan);
  });

  it('merges stacked filters into one predicate', () => {
    const plan = airline().filter(col('DepDelay').gt(60)).filter(col('Origin').eq('SFO')).plan;
    const out = shape(predicatePushdown.rewrite(plan));
    expect(kinds(out)).toEqual(['Filter', 'Scan']);
    expect(out[0]).toMatch(/DepDelay.*and.*Origin|DepDelay.*&.*Origin/i);
  });

  it('moves a filter on group keys below the aggregate, and not one on an aggregate', () => {
    const grouped = airline().groupBy('Origin').agg({ m: col('DepDelay').mean() });
    expect(kinds(shape(predicatePushdown.rewrite(grouped.filter(col('Origin').eq('SFO')).plan)))).toEqual(['Aggregate', 'Filter', 'Scan']);
    const onAgg = grouped.filter(col('m').gt(10)).plan;
    expect(predicatePushdown.rewrite(onAgg)).toBe(onAgg);
  });
});
