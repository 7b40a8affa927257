import { DuskTaskError } from '../core/errors.js';
import { isArrowTable, tableToIpc } from '../core/to-arrow.js';
import { tokenize } from '../graph/tokenize.js';
import type { SharedPayload } from '../kernels/shared-store.js';
import { unsendable } from '../scheduler/sendable.js';

type TypedArray = Exclude<ArrayBufferView, DataView>;

/**
 * A copy of a typed array in shared memory (or the array itself if it already is in shared
 * memory): worker threads then read it without copies. The copy is made once, here: writes to
 * it do not reach the array it was made from, and writes to that array do not reach tasks.
 */
export function toSharedMemory<T extends TypedArray>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const Ctor = array.constructor as new (buffer: SharedArrayBuffer, offset: number, length: number) => T;
  const buffer = new SharedArrayBuffer(array.byteLength);
  const copy = new Ctor(buffer, 0, array.byteLength / (array as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT);
  new Uint8Array(buffer).set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return copy;
}

/** How a value travels to workers: typed arrays and Arrow tables (as IPC bytes) through shared memory. */
function prepare(value: unknown): SharedPayload {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return { kind: 'value', value: toSharedMemory(value as TypedArray) };
  if (isArrowTable(value)) return { kind: 'arrow-ipc', ipc: toSharedMemory(tableToIpc(value)) };
  return { kind: 'value', value };
}

/** One id per shared memory block: a typed array in shared memory is the same data only if it is the same memory. */
const memoryIds = new WeakMap<SharedArrayBuffer, string>();
let memoryBlocks = 0;
function memoryId(buffer: SharedArrayBuffer): string {
  let id = memoryIds.get(buffer);
  if (id === undefined) memoryIds.set(buffer, (id = `${process.pid}.${++memoryBlocks}`));
  return id;
}

/**
 * The key workers hold the data under. A typed array is keyed by its memory, not its content:
 * tasks write to it in place, so two arrays that are equal now must not stand for each other.
 */
function keyOf(payload: SharedPayload): string {
  if (payload.kind === 'value' && ArrayBuffer.isView(payload.value) && payload.value.buffer instanceof SharedArrayBuffer) {
    const view = payload.value;
    return `shared-${memoryId(view.buffer as SharedArrayBuffer)}-${view.byteOffset}-${view.byteLength}-${view.constructor.name}`;
  }
  return `shared-${tokenize(payload)}`;
}

/**
 * Data put on every worker once (client.scatter): pass it to tasks as an argument; each task
 * gets the worker's copy (with threads, the same shared memory: no copy at all).
 */
export class Shared<T> {
  /** The value in the form workers receive. */
  readonly payload: SharedPayload;
  readonly key: string;
  constructor(readonly value: T, what = 'ddf.shared(value)') {
    const problem = unsendable(value, 'value', { role: 'input', tables: true, cycles: 'refuse' });
    if (problem !== null) throw new DuskTaskError(`${what}: ${problem}`, '');
    this.payload = prepare(value);
    this.key = keyOf(this.payload);
  }
  /**
   * The value tasks read: for a typed array not already in shared memory, its one copy in
   * shared memory (with threads, a task's writes to it show here, not in `value`).
   */
  get prepared(): unknown {
    return this.payload.kind === 'value' ? this.payload.value : this.payload.ipc;
  }
}

/**
 * Data for tasks, put on each worker once when a graph that uses it runs (the delayed-graph
 * counterpart of client.scatter): const x = ddf.shared(bigArray); fit(x, fold) for each fold.
 */
export function shared<T>(value: T): Shared<T> {
  return new Shared(value);
}
