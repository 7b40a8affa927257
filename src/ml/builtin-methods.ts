import { DuskError } from '../core/errors.js';
import { olsMethod, ridgeMethod } from './linear.js';
import { type LogisticRegressionOptions, logisticRegressionMethod } from './logistic.js';
import { meanMethod } from './mean-method.js';
import type { AnyMethod, ClassifierSpec, MethodSpec } from './method.js';
import { randomForestClassifierMethod, randomForestMethod, type RandomForestOptions } from './random-forest.js';

/** The built-in methods by key: each builds the method from its spec's params. */
const BUILTINS: Record<string, (params: never) => AnyMethod> = {
  mean: () => meanMethod,
  ols: () => olsMethod,
  ridge: (params: { lambda: number }) => ridgeMethod(params.lambda),
  randomForest: (params: RandomForestOptions) => randomForestMethod(params),
  randomForestClassifier: (params: RandomForestOptions) => randomForestClassifierMethod(params),
  logisticRegression: (params: LogisticRegressionOptions) => logisticRegressionMethod(params),
};

/** The built-in method a spec names (the user's methods are built by their factory task: see cv-task.ts). */
export function builtinMethod(key: string, params: unknown): AnyMethod {
  const make = Object.hasOwn(BUILTINS, key) ? BUILTINS[key] : undefined;
  if (make === undefined) throw new DuskError(`ml: no built-in method '${key}' (there are ${Object.keys(BUILTINS).join(', ')})`);
  return (make as (p: unknown) => AnyMethod)(params);
}

/** The mean of the training y (baseline). */
export function mean(): MethodSpec {
  return { name: 'mean', builtin: 'mean', params: null };
}
/** Ordinary least squares with an intercept (normal equations, Cholesky). */
export function ols(): MethodSpec {
  return { name: 'ols', builtin: 'ols', params: null };
}
/** Ridge regression with penalty lambda on the coefficients, not the intercept. */
export function ridge(lambda: number): MethodSpec {
  if (typeof lambda !== 'number' || !(lambda >= 0) || !Number.isFinite(lambda)) throw new DuskError(`ridge: lambda must be a finite number >= 0, got ${String(lambda)}`);
  return { name: `ridge(${lambda})`, builtin: 'ridge', params: { lambda } };
}
/**
 * A random-forest regression: own CART trees with scikit-learn's RandomForestRegressor semantics
 * (see RandomForestOptions).
 */
export function randomForest(options: RandomForestOptions = {}): MethodSpec {
  randomForestMethod(options); // checks the options now, not in the workers
  return { name: 'randomForest', builtin: 'randomForest', params: { ...options } };
}
/** A random-forest classifier (Gini splits, 'sqrt' features per split by default: scikit-learn's RandomForestClassifier). */
export function randomForestClassifier(options: RandomForestOptions = {}): ClassifierSpec {
  randomForestClassifierMethod(options);
  return { name: 'randomForestClassifier', builtin: 'randomForestClassifier', params: { ...options }, kind: 'classification' };
}
/** Logistic regression with an L2 penalty (scikit-learn's LogisticRegression(C): binary, or multinomial for 3+ classes). */
export function logisticRegression(options: LogisticRegressionOptions = {}): ClassifierSpec {
  logisticRegressionMethod(options);
  return { name: options.C === undefined ? 'logisticRegression' : `logisticRegression(C=${options.C})`, builtin: 'logisticRegression', params: { ...options }, kind: 'classification' };
}
