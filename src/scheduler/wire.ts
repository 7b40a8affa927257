import { isArrowTable, tableFromIpc, tableToIpc } from '../core/to-arrow.js';
import { isPlainObject } from '../core/plain-object.js';
import { type ArgPath, setOwn } from '../kernels/call-task.js';
import type { TaskInvocation, TaskOutcome } from './task-outcome.js';

/**
 * Arrow tables crossing to or from a worker. A Table is a class instance: the structured clone
 * would hand over its fields without its methods. So a table in a task's result, or in a
 * dependency's result on its way to the next task, travels as IPC bytes, listed beside the
 * value with its path (no marker inside the value), and is rebuilt on the other side. Only
 * arrays and plain objects are searched (sendable.ts refuses tables inside Maps and Sets).
 */

/** Where a table was, and its IPC bytes. */
export type TablePatch = [path: ArgPath, ipc: Uint8Array];

/** The value with its tables replaced by null (containers on their paths copied), or null if it holds none. */
export function packTables(value: unknown): { value: unknown; tables: TablePatch[] } | null {
  if (isArrowTable(value)) return { value: null, tables: [[[], tableToIpc(value)]] };
  const tables: TablePatch[] = [];
  const seen = new Set<object>();
  const path: ArgPath = [];
  // Returns the container's copy if a table was found inside it, else the container itself.
  const walk = (container: object): object => {
    if (seen.has(container)) return container;
    seen.add(container);
    let copy: object | null = null;
    const visit = (key: string | number, child: unknown) => {
      if (typeof child !== 'object' || child === null) return;
      let replaced: unknown = child;
      if (isArrowTable(child)) {
        tables.push([[...path, key], tableToIpc(child)]);
        replaced = null;
      } else if (Array.isArray(child) || isPlainObject(child)) {
        path.push(key);
        replaced = walk(child);
        path.pop();
      }
      if (replaced === child) return;
      copy ??= Array.isArray(container) ? container.slice() : { ...container };
      setOwn(copy, key, replaced);
    };
    if (Array.isArray(container)) for (let i = 0; i < container.length; i++) visit(i, container[i]);
    else for (const key of Object.keys(container)) visit(key, (container as Record<string, unknown>)[key]);
    return copy ?? container;
  };
  if (!Array.isArray(value) && !isPlainObject(value)) return null;
  const packed = walk(value);
  return tables.length === 0 ? null : { value: packed, tables };
}

/** Puts the tables back (the value is the receiver's own copy, so it is changed in place). */
export function unpackTables(value: unknown, tables: readonly TablePatch[]): unknown {
  for (const [path, ipc] of tables) {
    const table = tableFromIpc(ipc);
    if (path.length === 0) return table;
    let container = value as Record<string | number, unknown>;
    for (let i = 0; i < path.length - 1; i++) container = container[path[i]!] as Record<string | number, unknown>;
    setOwn(container, path[path.length - 1]!, table);
  }
  return value;
}

/** A call task's invocation, ready to send: tables among its dependencies' results packed. */
export function packInvocation(task: TaskInvocation): TaskInvocation {
  if (task.spec.op !== 'call') return task;
  const packed = packTables(task.deps);
  return packed ? { ...task, deps: packed.value as unknown[], depTables: packed.tables } : task;
}

export function unpackInvocation(task: TaskInvocation): TaskInvocation {
  if (!task.depTables) return task;
  const { depTables, ...rest } = task;
  return { ...rest, deps: unpackTables(task.deps, depTables) as unknown[] };
}

/** Outcomes of call tasks, ready to send: tables in their results packed. */
export function packOutcomes(batch: readonly TaskInvocation[], outcomes: TaskOutcome[]): TaskOutcome[] {
  return outcomes.map((outcome, i) => {
    if (!outcome.ok || batch[i]!.spec.op !== 'call') return outcome;
    const packed = packTables(outcome.value);
    return packed ? { ...outcome, value: packed.value, tables: packed.tables } : outcome;
  });
}

/** Puts the tables back into results; a table that cannot be read back fails its task (not the caller's thread). */
export function unpackOutcomes(batch: readonly TaskInvocation[], outcomes: TaskOutcome[]): TaskOutcome[] {
  return outcomes.map((outcome, i) => {
    if (!outcome.ok || !outcome.tables) return outcome;
    const { tables, ...rest } = outcome;
    try {
      return { ...rest, value: unpackTables(outcome.value, tables) };
    } catch (err) {
      const message = `task ${batch[i]?.key ?? ''} returned an Arrow table that could not be read back (${(err as Error).message})`;
      return { ok: false, error: { name: 'DuskTaskError', message, stack: (err as Error).stack, retryable: false }, metrics: outcome.metrics };
    }
  });
}

/**
 * A batch as a worker receives it, for the sync scheduler: call tasks (user functions) get a
 * structured clone of their arguments and dependencies, made once per batch as postMessage
 * makes it, so that what a task sees and what its writes reach do not depend on the scheduler
 * (a plain typed array argument is a copy on every scheduler; one backed by a SharedArrayBuffer
 * is the same memory with sync and threads). Dusk's own tasks are handed over as they are.
 */
export function asSentToWorker(batch: TaskInvocation[]): TaskInvocation[] {
  const calls = batch.filter((task) => task.spec.op === 'call');
  if (calls.length === 0) return batch;
  const cloned = structuredClone(calls.map(packInvocation)).map(unpackInvocation);
  let next = 0;
  return batch.map((task) => (task.spec.op === 'call' ? cloned[next++]! : task));
}
