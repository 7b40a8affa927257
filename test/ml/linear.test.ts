import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DuskError } from '../../src/index.js';
import { fitLinear, olsMethod, predictLinear, ridgeMethod } from '../../src/ml/index.js';
import { unitData } from './unit-data.js';

/** Written by test/ml/make-linear-vectors.py: numpy's lstsq and the ridge closed form. */
interface Coefficients {
  intercept: number;
  coef: number[];
}
interface Vectors {
  numpy: string;
  cases: { seed: number; n: number; p: number; y_head: number[]; ols: Coefficients; ridge: (Coefficients & { lambda: number })[] }[];
}
const V = JSON.parse(readFileSync(fileURLToPath(new URL('./linear-vectors.json', import.meta.url)), 'utf8')) as Vectors;

/** Largest difference relative to the largest coefficient. */
function relativeError(got: { intercept: number; coef: Float64Array }, want: Coefficients): number {
  const g = [got.intercept, ...got.coef], w = [want.intercept, ...want.coef];
  expect(g.length).toBe(w.length);
  const scale = Math.max(...w.map(Math.abs));
  return Math.max(...g.map((v, i) => Math.abs(v - w[i]!))) / scale;
}

describe(`ols and ridge equal numpy ${V.numpy}`, () => {
  for (const c of V.cases) {
    const { X, y } = unitData(c.seed, c.n, c.p);
    it(`the data is numpy's (RandomState(${c.seed}), ${c.n} × ${c.p})`, () => {
      expect(Array.from(y.subarray(0, 5))).toEqual(c.y_head);
    });
    it(`ols = lstsq on [1 X] (RandomState(${c.seed}), ${c.n} × ${c.p})`, () => {
      expect(relativeError(olsMethod.fit(X, y), c.ols)).toBeLessThan(1e-10);
    });
    for (const r of c.ridge) {
      it(`ridge(${r.lambda}) = the closed form with the intercept unpenalised (${c.n} × ${c.p})`, () => {
        expect(relativeError(ridgeMethod(r.lambda).fit(X, y), r)).toBeLessThan(1e-10);
      });
    }
  }

  it('ridge shrinks the coefficients, not the intercept: a huge lambda leaves the mean of y', () => {
    const { X, y } = unitData(3, 100, 4);
    const model = fitLinear(X, y, 1e12);
    const meanY = y.reduce((a, v) => a + v, 0) / y.length;
    expect(Math.max(...model.coef.map(Math.abs))).toBeLessThan(1e-9);
    expect(model.intercept).toBeCloseTo(meanY, 8);
  });

  it('predicts intercept + Xβ', () => {
    const model = { intercept: 1, coef: Float64Array.of(2, -1) };
    expect(Array.from(predictLinear(model, [Float64Array.of(1, 0), Float64Array.of(0, 3)]))).toEqual([3, -2]);
  });

  it('refuses a singular system, naming the column and suggesting ridge', () => {
    const x = Float64Array.of(1, 2, 3, 4);
    expect(() => olsMethod.fit([x, x.map((v) => 2 * v)], Float64Array.of(1, 2, 3, 5))).toThrow(DuskError);
    expect(() => olsMethod.fit([x, x.map((v) => 2 * v)], Float64Array.of(1, 2, 3, 5))).toThrow(/ols: the normal equations are singular \(column 1 .*ridge\(lambda\)/);
    expect(() => ridgeMethod(0.1).fit([x, x.map((v) => 2 * v)], Float64Array.of(1, 2, 3, 5))).not.toThrow();
  });

  it('refuses columns of the wrong length', () => {
    expect(() => olsMethod.fit([Float64Array.of(1, 2)], Float64Array.of(1, 2, 3))).toThrow(/ols: X\[0\] has 2 rows, y has 3/);
  });
});
