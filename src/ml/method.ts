import { DuskTaskError } from '../core/errors.js';
import { type FunctionRef, TASK_REF } from '../kernels/function-ref.js';

/**
 * A learning method, as the task that fits it sees it. X is a list of columns (one Float64Array
 * per feature, all of y's length); a model is plain data (numbers, arrays, typed arrays, plain
 * objects), so it can be sent between workers and kept.
 */
export interface Method<Model = unknown> {
  readonly name: string;
  fit(X: readonly Float64Array[], y: Float64Array): Model;
  predict(model: Model, X: readonly Float64Array[]): Float64Array;
}

/**
 * A method as task arguments carry it (plain data): a built-in by its key, or a user's method
 * by the task that builds it from `params` (a `ddf.task` in a module workers import).
 */
export type MethodSpec =
  | { readonly name: string; readonly builtin: string; readonly params: unknown }
  | { readonly name: string; readonly factory: FunctionRef & { kind: 'module' }; readonly params: unknown };

/** A task that builds a method from its parameters (what ml.method takes). */
export type MethodFactory<P> = ((params: P) => Method) & { readonly [TASK_REF]: FunctionRef & { kind: 'module' } };

/**
 * A user's method for crossValidate: `factory` is a `ddf.task(import.meta.url, function knn(params) {
 * return { name, fit, predict }; })` exported from a module workers import; `params` (plain data)
 * reach it on the worker. The method's name in results is `name`, else the factory's.
 */
export function method<P>(factory: MethodFactory<P>, params: P, name?: string): MethodSpec {
  const ref = typeof factory === 'function' ? (factory as Partial<MethodFactory<P>>)[TASK_REF] : undefined;
  if (ref === undefined || ref.kind !== 'module') {
    throw new DuskTaskError(
      'ml.method: the factory must be a task, defined in a module workers import: export const knn = ddf.task(import.meta.url, function knn(params) { return { name, fit, predict }; })',
      '',
    );
  }
  return { name: name ?? ref.name, factory: ref, params };
}
