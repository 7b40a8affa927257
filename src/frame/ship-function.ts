import { DuskTaskError } from '../core/errors.js';
import { tokenize } from '../graph/tokenize.js';
import { type FunctionRef, TASK_REF, type TaskFunction } from '../kernels/function-ref.js';
import type { SharedPayload } from '../kernels/shared-store.js';
import { unsendable } from '../scheduler/sendable.js';
import { freeVariables, workerGlobals } from './free-variables.js';

let knownGlobals: Set<string> | null = null;

export interface ShippedFunction {
  ref: FunctionRef;
  /** [key, value] pairs workers must hold before the function runs (its explicit globals). */
  shared: [string, SharedPayload][];
}

/**
 * Turns a function into something a worker can run: a ddf.task function by its module, any
 * other function by its source text. A function that uses variables of the calling script
 * fails here, before anything is sent, naming them and saying how to pass them.
 */
export function shipFunction(fn: unknown, globals: Record<string, unknown> = NO_GLOBALS, what = 'delayed()'): ShippedFunction {
  // Parsing the source costs tens of µs: a map over 10,000 items ships the function once.
  if (typeof fn === 'function') {
    const cached = shipped.get(fn)?.get(globals);
    if (cached) return cached;
  }
  const result = shipUncached(fn, globals, what);
  const byGlobals = shipped.get(fn as object) ?? new WeakMap<object, ShippedFunction>();
  byGlobals.set(globals, result);
  shipped.set(fn as object, byGlobals);
  return result;
}

const NO_GLOBALS: Record<string, unknown> = Object.freeze({});
const shipped = new WeakMap<object, WeakMap<object, ShippedFunction>>();

function shipUncached(fn: unknown, globals: Record<string, unknown>, what: string): ShippedFunction {
  if (typeof fn !== 'function') {
    throw new DuskTaskError(`${what} needs a function, got ${fn === null ? 'null' : typeof fn}; to share data with tasks, pass it as an argument, wrap it once with ddf.shared(data), or use client.scatter(data)`, '');
  }
  const taskRef = (fn as Partial<TaskFunction<() => unknown>>)[TASK_REF];
  if (taskRef) {
    if (Object.keys(globals).length > 0) {
      throw new DuskTaskError(`${what}: globals apply to functions shipped as source; '${taskRef.name}' is a ddf.task, which workers import with its module: pass the values as arguments`, taskRef.name);
    }
    return { ref: taskRef, shared: [] };
  }
  const name = fn.name || 'lambda';
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}$/.test(source)) {
    throw new DuskTaskError(`${what}: '${name}' is a built-in or bound function, which cannot be shipped to workers as source; wrap it: (x) => ${name}(x)`, name);
  }
  knownGlobals ??= workerGlobals();
  let free: string[];
  try {
    free = freeVariables(source, knownGlobals).filter((v) => !(v in globals));
  } catch (err) {
    throw new DuskTaskError(`${what}: cannot read the source of '${name}' to ship it to workers (${(err as Error).message}); define it with ddf.task(import.meta.url, function ${name}(…) {…}) in a module`, name);
  }
  if (free.length > 0) {
    const list = free.map((v) => `'${v}'`).join(', ');
    throw new DuskTaskError(
      `${what}: function '${name}' uses ${list} from the calling script, which workers do not have. ` +
        `Pass ${free.length > 1 ? 'them' : 'it'} as ${free.length > 1 ? 'arguments' : 'an argument'}, or as globals: ddf.delayed(fn, { globals: { ${free.join(', ')} } }), ` +
        `or export the function from a module with ddf.task(import.meta.url, function ${name}(…) {…}).`,
      name,
    );
  }
  const globalNames = Object.keys(globals).sort();
  if (globalNames.length === 0) return { ref: { kind: 'source', name, source, globalsKey: null, globalNames }, shared: [] };
  const values = Object.fromEntries(globalNames.map((n) => [n, globals[n]]));
  const problem = unsendable(values, 'globals', { role: 'input', tables: false, cycles: 'refuse' });
  if (problem !== null) throw new DuskTaskError(`${what}: function '${name}': ${problem}`, name);
  const globalsKey = `globals-${tokenize(values)}`;
  return { ref: { kind: 'source', name, source, globalsKey, globalNames }, shared: [[globalsKey, { kind: 'value', value: values }]] };
}
