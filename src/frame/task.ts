import { DuskTaskError } from '../core/errors.js';
import { TASK_REF, type TaskFunction } from '../kernels/function-ref.js';

/**
 * Declares a task that workers run by importing its module:
 *   export const cvFit = ddf.task(import.meta.url, function cvFit(fold: number) { … });
 * It must be exported under any name; called directly, it simply runs here. Put tasks in a
 * module without top-level work (workers import it), or guard that work with ddf.isWorker.
 */
export function task<F extends (...args: never[]) => unknown>(moduleUrl: string, fn: F): TaskFunction<F> {
  if (typeof fn !== 'function') throw new DuskTaskError(`task() needs a function, got ${typeof fn}`, '');
  if (!fn.name) throw new DuskTaskError('task() needs a named function (function cvFit(…) {…}) so workers can find it', '');
  if (!/^(file|data|https?):/.test(moduleUrl)) {
    throw new DuskTaskError(`task(${fn.name}): the first argument must be the module's URL: pass import.meta.url`, fn.name);
  }
  const wrapped = ((...args: Parameters<F>) => fn(...args)) as unknown as TaskFunction<F>;
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  Object.defineProperty(wrapped, TASK_REF, { value: { kind: 'module', url: moduleUrl, name: fn.name } });
  return wrapped;
}
