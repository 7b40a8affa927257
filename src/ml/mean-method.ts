import { DuskError } from '../core/errors.js';
import type { Method } from './method.js';

/** The baseline: predicts the mean of the training y for every row. */
export const meanMethod: Method<{ mean: number }> = {
  name: 'mean',
  fit(_X, y) {
    if (y.length === 0) throw new DuskError('mean: cannot fit on 0 rows');
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i]!;
    return { mean: s / y.length };
  },
  predict(model, X) {
    if (X.length === 0) throw new DuskError('mean: predict needs at least one column of X to know the number of rows');
    return new Float64Array(X[0]!.length).fill(model.mean);
  },
};
