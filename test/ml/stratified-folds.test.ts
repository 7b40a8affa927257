import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DuskError, ml } from '../../src/index.js';
import { stratifiedKFold } from '../../src/ml/index.js';

/** Written by test/ml/make-stratified-kfold-vectors.py from scikit-learn's StratifiedKFold. */
interface Vectors {
  sklearn: string;
  labels: Record<string, number[]>;
  cases: { labels: string; k: number; shuffle: boolean; seed: number | null; folds: number[] }[];
}
const V = JSON.parse(readFileSync(fileURLToPath(new URL('./stratified-kfold-vectors.json', import.meta.url)), 'utf8')) as Vectors;

describe(`stratifiedKFold equals scikit-learn ${V.sklearn}'s StratifiedKFold split`, () => {
  for (const c of V.cases) {
    it(`${c.labels}, k=${c.k}, shuffle=${c.shuffle}, random_state=${c.seed}`, () => {
      const y = Float64Array.from(V.labels[c.labels]!);
      const folds = stratifiedKFold(y, c.k, c.seed === null ? { shuffle: c.shuffle } : { shuffle: c.shuffle, seed: c.seed });
      expect(folds).toBeInstanceOf(Int32Array);
      expect(Array.from(folds)).toEqual(c.folds);
    });
  }

  it('is reachable as ddf.ml.stratifiedKFold and takes plain arrays', () => {
    const c = V.cases[0]!;
    expect(Array.from(ml.stratifiedKFold(V.labels[c.labels]!, c.k, { shuffle: true, seed: c.seed! }))).toEqual(c.folds);
  });
});

describe('stratifiedKFold refuses bad arguments', () => {
  it('non-integer labels, name the row', () => {
    expect(() => stratifiedKFold(Float64Array.of(0, 1, 0.5), 2)).toThrow(DuskError);
    expect(() => stratifiedKFold(Float64Array.of(0, 1, 0.5), 2)).toThrow(/y\[2\] is 0.5/);
  });
  it('more folds than rows in every class', () => {
    expect(() => stratifiedKFold([0, 0, 1, 1], 3)).toThrow(/k=3 cannot be greater than the number of rows in every class/);
  });
  it('a seed without shuffle, and k < 2', () => {
    expect(() => stratifiedKFold([0, 1, 0, 1], 2, { seed: 1 })).toThrow(/a seed has no effect unless shuffle is true/);
    expect(() => stratifiedKFold([0, 1, 0, 1], 1)).toThrow(/k \(the number of folds\) must be an integer >= 2/);
  });
});
