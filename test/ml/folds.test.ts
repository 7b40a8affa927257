import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DuskError, ml } from '../../src/index.js';
import { kFold } from '../../src/ml/index.js';

/** Written by test/ml/make-kfold-vectors.py from scikit-learn's KFold. */
interface Vectors {
  sklearn: string;
  cases: { n: number; k: number; shuffle: boolean; seed: number | null; folds: number[] }[];
}
const V = JSON.parse(
  readFileSync(fileURLToPath(new URL('./kfold-vectors.json', import.meta.url)), 'utf8'),
) as Vectors;

describe(`kFold equals scikit-learn ${V.sklearn}'s KFold split`, () => {
  for (const c of V.cases) {
    it(`n=${c.n}, k=${c.k}, shuffle=${c.shuffle}, random_state=${c.seed}`, () => {
      const folds = kFold(c.n, c.k, c.seed === null ? { shuffle: c.shuffle } : { shuffle: c.shuffle, seed: c.seed });
      expect(folds).toBeInstanceOf(Int32Array);
      expect(Array.from(folds)).toEqual(c.folds);
    });
  }

  it('is reachable as ddf.ml.kFold', () => {
    expect(Array.from(ml.kFold(7, 3, { shuffle: true, seed: 0 }))).toEqual(V.cases[0]!.folds);
  });

  it('fold sizes are n // k, the first n % k folds one larger', () => {
    const folds = kFold(103, 5, { shuffle: true, seed: 9 });
    const sizes = new Array<number>(5).fill(0);
    for (const f of folds) sizes[f]!++;
    expect(sizes).toEqual([21, 21, 21, 20, 20]);
  });
});

describe('kFold refuses bad arguments', () => {
  const refuses = (f: () => unknown, message: RegExp): void => {
    expect(f).toThrow(DuskError);
    expect(f).toThrow(message);
  };
  it('names the argument and the value', () => {
    refuses(() => kFold(10, 1), /k \(the number of folds\) must be an integer >= 2, got 1/);
    refuses(() => kFold(10, 2.5), /k \(the number of folds\) must be an integer >= 2, got 2\.5/);
    refuses(() => kFold(-1, 2), /n \(the number of rows\) must be an integer >= 0, got -1/);
    refuses(() => kFold(3, 5), /cannot have k=5 folds greater than the number of rows n=3/);
    refuses(() => kFold(10, 2, { seed: 1 }), /a seed has no effect unless shuffle is true/);
    refuses(() => kFold(10, 2, { shuffle: true, seed: -1 }), /Seed must be between 0 and 2\*\*32 - 1/);
  });
});
