import { DuskError } from '../core/errors.js';
import { RandomState } from '../random/random-state.js';
import type { KFoldOptions } from './folds.js';

/**
 * The fold (0..k-1) of each row, as scikit-learn's `StratifiedKFold(k, shuffle, random_state=seed)`
 * splits rows with class labels y (scikit-learn 1.x's _make_test_folds): classes are numbered in
 * order of first appearance; how many rows of each class go to each fold is dealt round robin
 * over the sorted labels; the rows of each class, in row order, get their folds' numbers in
 * blocks (0s, then 1s, …), shuffled per class by one RandomState(seed) when asked.
 */
export function stratifiedKFold(y: ArrayLike<number>, k: number, options: KFoldOptions = {}): Int32Array {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 2) throw new DuskError(`stratifiedKFold: k (the number of folds) must be an integer >= 2, got ${String(k)}`);
  const { shuffle = false, seed } = options;
  if (typeof shuffle !== 'boolean') throw new DuskError(`stratifiedKFold: shuffle must be a boolean, got ${String(shuffle)}`);
  if (!shuffle && seed !== undefined) {
    throw new DuskError('stratifiedKFold: a seed has no effect unless shuffle is true; leave seed out or set shuffle: true');
  }
  const n = y.length;
  // Classes by first appearance.
  const classOf = new Map<number, number>();
  const encoded = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = y[i]!;
    if (!Number.isInteger(label)) {
      throw new DuskError(`stratifiedKFold: y must hold class labels (integers); y[${i}] is ${label}`);
    }
    let c = classOf.get(label);
    if (c === undefined) classOf.set(label, (c = classOf.size));
    encoded[i] = c;
  }
  const nClasses = classOf.size;
  const counts = new Int32Array(nClasses);
  for (let i = 0; i < n; i++) counts[encoded[i]!]!++;
  if (counts.every((c) => k > c)) {
    throw new DuskError(`stratifiedKFold: k=${k} cannot be greater than the number of rows in every class (the largest class has ${Math.max(0, ...counts)})`);
  }
  // allocation[f * nClasses + c]: rows of class c in fold f, dealt round robin over the sorted classes.
  const allocation = new Int32Array(k * nClasses);
  for (let c = 0, t = 0; c < nClasses; c++) {
    for (let m = 0; m < counts[c]!; m++, t++) allocation[(t % k) * nClasses + c]!++;
  }
  const rng = shuffle ? new RandomState(seed) : null;
  const folds = new Int32Array(n);
  for (let c = 0; c < nClasses; c++) {
    const forClass = new Int32Array(counts[c]!);
    for (let f = 0, at = 0; f < k; f++) forClass.fill(f, at, (at += allocation[f * nClasses + c]!));
    rng?.shuffle(forClass);
    for (let i = 0, at = 0; i < n; i++) if (encoded[i] === c) folds[i] = forClass[at++]!;
  }
  return folds;
}
