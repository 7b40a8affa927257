import { DuskError } from '../core/errors.js';
import { RandomState, type LegacySeed } from '../random/random-state.js';

export interface KFoldOptions {
  /** Shuffle the rows before cutting folds (scikit-learn's shuffle; default false). */
  shuffle?: boolean;
  /** scikit-learn's random_state: seeds numpy's legacy RandomState. Only with shuffle. */
  seed?: LegacySeed;
}

function checkCount(v: unknown, name: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new DuskError(`kFold: ${name} must be an integer >= ${min}, got ${String(v)}`);
  }
  return v;
}

/**
 * The fold (0..k-1) of each of n rows, as scikit-learn's `KFold(k, shuffle, random_state=seed)`
 * splits them: the rows 0..n-1, shuffled by `RandomState(seed).shuffle` when asked, are cut
 * in order into k folds of n // k rows, the first n % k folds one row larger.
 */
export function kFold(n: number, k: number, options: KFoldOptions = {}): Int32Array {
  checkCount(n, 'n (the number of rows)', 0);
  checkCount(k, 'k (the number of folds)', 2);
  if (k > n) {
    throw new DuskError(`kFold: cannot have k=${k} folds greater than the number of rows n=${n}`);
  }
  const { shuffle = false, seed } = options;
  if (typeof shuffle !== 'boolean') throw new DuskError(`kFold: shuffle must be a boolean, got ${String(shuffle)}`);
  if (!shuffle && seed !== undefined) {
    // scikit-learn refuses this too: the seed would silently do nothing.
    throw new DuskError('kFold: a seed has no effect unless shuffle is true; leave seed out or set shuffle: true');
  }
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  if (shuffle) new RandomState(seed).shuffle(indices);
  const folds = new Int32Array(n);
  const base = Math.floor(n / k), extra = n % k;
  let at = 0;
  for (let f = 0; f < k; f++) {
    const stop = at + base + (f < extra ? 1 : 0);
    for (; at < stop; at++) folds[indices[at]!] = f;
  }
  return folds;
}
