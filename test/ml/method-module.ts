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

/** A classifier for the tests: probability 1 for the first (smallest) class it saw in training. */
export const alwaysFirstClass = ddf.task(import.meta.url, function alwaysFirstClass() {
  return {
    name: 'alwaysFirstClass',
    kind: 'classification' as const,
    fit: (_X: readonly Float64Array[], y: Float64Array) => ({ first: Math.min(...y) }),
    predictProba: (model: { first: number }, X: readonly Float64Array[]) => ({ classes: Float64Array.of(model.first), probabilities: [new Float64Array(X[0]!.length).fill(1)] }),
  };
});
