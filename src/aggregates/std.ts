/**
 * std: the square root of the exact variance rounded once (var.ts) — so std is sqrt of that
 * double, rounded again; ddof = 1 unless options.ddof.
 */
import { type Aggregate, requireNumeric } from './aggregate.js';
import { newGroupedExactSum } from './exact-groups.js';
import { finalizeVariance, variance, type VarState } from './var.js';

export const std: Aggregate<VarState> = {
  ...variance,
  name: 'std',
  outputDType: (input, options) => (requireNumeric('std', input, options), 'float64'),
  create: (input, options) => (requireNumeric('std', input, options), { ddof: options.ddof ?? 1, sums: newGroupedExactSum(true) }),
  finalize: (state) => finalizeVariance(state, true),
};
