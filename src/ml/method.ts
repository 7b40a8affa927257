import { DuskTaskError } from '../core/errors.js';
import { type FunctionRef, TASK_REF } from '../kernels/function-ref.js';

/**
 * A learning method, as the task that fits it sees it. X is a list of columns (one Float64Array
 * per feature, all of y's length); a model is plain data (numbers, arrays, typed arrays, plain
 * objects), so it can be sent between workers and kept.
 */
export interface Method<Model = unknown> {
  readonly name: string;
  readonly kind?: 'regression';
  fit(X: readonly Float64Array[], y: Float64Array): Model;
  predict(model: Model, X: readonly Float64Array[]): Float64Array;
}

/**
 * A classifier: y holds class labels (numbers); predictProba gives, for the classes the model
 * saw in training (sorted), one column of probabilities per class.
 */
export interface ClassifierMethod<Model = unknown> {
  readonly name: string;
  readonly kind: 'classification';
  fit(X: readonly Float64Array[], y: Float64Array): Model;
  predictProba(model: Model, X: readonly Float64Array[]): { classes: Float64Array; probabilities: Float64Array[] };
}

/** A regression method or a classifier. */
export type AnyMethod = Method | ClassifierMethod;

/**
 * A method as task arguments carry it (plain data): a built-in by its key, or a user's method
 * by the task that builds it from `params` (a `ddf.task` in a module workers import).
 */
export type MethodSpec =
  | { readonly name: string; readonly builtin: string; readonly params: unknown; readonly kind?: MethodKind }
  | { readonly name: string; readonly factory: FunctionRef & { kind: 'module' }; readonly params: unknown; readonly kind?: MethodKind };

/** What a method predicts: numbers (regression, the default) or classes (classification). */
export type MethodKind = 'regression' | 'classification';
/** A spec of a classifier (ml.randomForestClassifier(), ml.logisticRegression(), ml.method(..., { kind: 'classification' })). */
export type ClassifierSpec = MethodSpec & { readonly kind: 'classification' };

/** A task that builds a method from its parameters (what ml.method takes). */
export type MethodFactory<P> = ((params: P) => AnyMethod) & { readonly [TASK_REF]: FunctionRef & { kind: 'module' } };

/**
 * A user's method for crossValidate: `factory` is a `ddf.task(import.meta.url, function knn(params) {
 * return { name, fit, predict }; })` exported from a module workers import; `params` (plain data)
 * reach it on the worker. The method's name in results is `name`, else the factory's. A
 * classifier's factory returns { name, kind: 'classification', fit, predictProba }: say so with
 * `{ kind: 'classification' }` (as the last argument, or with the name: { name, kind }).
 */
export function method<P>(factory: MethodFactory<P>, params: P, nameOrOptions?: string | { name?: string; kind: 'classification' }): ClassifierSpec;
export function method<P>(factory: MethodFactory<P>, params: P, nameOrOptions?: string | { name?: string; kind?: MethodKind }): MethodSpec;
export function method<P>(factory: MethodFactory<P>, params: P, nameOrOptions?: string | { name?: string; kind?: MethodKind }): MethodSpec {
  const ref = typeof factory === 'function' ? (factory as Partial<MethodFactory<P>>)[TASK_REF] : undefined;
  if (ref === undefined || ref.kind !== 'module') {
    throw new DuskTaskError(
      'ml.method: the factory must be a task, defined in a module workers import: export const knn = ddf.task(import.meta.url, function knn(params) { return { name, fit, predict }; })',
      '',
    );
  }
  const options = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : (nameOrOptions ?? {});
  const name = options.name ?? ref.name;
  if (options.kind === 'classification') return { name, factory: ref, params, kind: 'classification' };
  return { name, factory: ref, params };
}
