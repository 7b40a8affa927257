import type { ColumnBatch } from '../core/column-data.js';
import type { DType } from '../core/dtypes.js';
import { DuskTaskError } from '../core/errors.js';
import { batchesToTable, tableFromIpc } from '../core/to-arrow.js';
import { unsendable } from '../scheduler/sendable.js';
import { type FunctionRef, resolveFunction } from './function-ref.js';
import { getShared } from './shared-store.js';

/** Where a value goes in a call's arguments: array indices and object keys from the argument list down. */
export type ArgPath = (string | number)[];

/** What fills an argument slot: the result of another task, shared data, or an Arrow table sent as IPC bytes. */
export type ArgSource =
  | { kind: 'dep'; index: number; table?: { names: string[]; dtypes: Record<string, DType> } }
  | { kind: 'shared'; key: string }
  | { kind: 'table'; ipc: Uint8Array };

export interface ArgRef {
  path: ArgPath;
  source: ArgSource;
}

export interface CallArgs {
  fn: FunctionRef;
  /** The arguments as plain data, with null where a ref's value goes. */
  args: unknown[];
  /**
   * Where dependencies' results, shared data and tables go, kept apart from the arguments: no
   * marker inside user data, so no user value is ever mistaken for one.
   */
  refs: ArgRef[];
}

/** Sets an own property (a key '__proto__' stays a key; assignment would set the prototype). */
export function setOwn(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A shallow copy with the same own keys ('__proto__' included: spread defines, it does not assign). */
function copyContainer(value: unknown): object {
  if (Array.isArray(value)) return value.slice();
  return { ...(value as object) };
}

function resolveSource(source: ArgSource, deps: unknown[]): unknown {
  switch (source.kind) {
    case 'dep': {
      const value = deps[source.index];
      // A lazy table's result is its column batches; the task gets the table compute() would give.
      return source.table ? batchesToTable(value as ColumnBatch[], source.table.names, source.table.dtypes) : value;
    }
    case 'shared':
      return getShared(source.key);
    case 'table':
      return tableFromIpc(source.ipc);
  }
}

/**
 * The arguments with every ref's value in place. The containers on a ref's path are copied
 * first: the template belongs to the task spec, which the sync scheduler does not copy.
 */
export function fillArgs(call: CallArgs, deps: unknown[]): unknown[] {
  if (call.refs.length === 0) return call.args;
  const root = call.args.slice();
  const copied = new Set<object>([root]);
  for (const { path, source } of call.refs) {
    let container: object = root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      let child = (container as Record<string | number, unknown>)[key] as object;
      if (!copied.has(child)) {
        child = copyContainer(child);
        copied.add(child);
        setOwn(container, key, child);
      }
      container = child;
    }
    setOwn(container, path[path.length - 1]!, resolveSource(source, deps));
  }
  return root;
}

/** Runs a delayed call or a future: resolves the function, fills in the arguments, awaits the result. */
export async function runCall(call: CallArgs, deps: unknown[]): Promise<unknown> {
  const fn = await resolveFunction(call.fn);
  const result = await fn(...fillArgs(call, deps));
  // Checked on every scheduler, so a result sync would hand back as is fails there too.
  const problem = unsendable(result, 'result', { role: 'result', tables: true, cycles: 'allow' });
  if (problem !== null) {
    const error = new DuskTaskError(`task '${call.fn.name}' returned a value that cannot be sent back from a worker: ${problem}`, call.fn.name);
    throw Object.assign(error, { retryable: false });
  }
  return result;
}
