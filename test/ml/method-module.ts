/** A user's method for the crossValidate tests, in a task module workers import (no top-level work). */
import * as ddf from '../../src/index.js';

/** Predicts the training mean of y plus `shift`, and reports (in its model) how many rows it saw. */
export const shiftedMean = ddf.task(import.meta.url, function shiftedMean(params: { shift: number }): ddf.ml.Method<{ value: number }> {
  return {
    name: `shiftedMean(${params.shift})`,
    fit: (_X, y) => ({ value: y.reduce((a, v) => a + v, 0) / y.length + params.shift }),
    predict: (model, X) => new Float64Array(X[0]!.length).fill(model.value),
  };
});
