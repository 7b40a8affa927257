import { tableToIPC, Table } from 'apache-arrow';
import { tokenize } from '../graph/tokenize.js';
import { ARROW_IPC_MARK } from '../kernels/shared-store.js';

type TypedArray = Exclude<ArrayBufferView, DataView>;

/** Copies a typed array into shared memory once; worker threads then read it without copies. */
function toSharedMemory<T extends TypedArray>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const Ctor = array.constructor as new (buffer: SharedArrayBuffer, offset: number, length: number) => T;
  const buffer = new SharedArrayBuffer(array.byteLength);
  const copy = new Ctor(buffer, 0, array.byteLength / (array as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT);
  new Uint8Array(buffer).set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return copy;
}

/** How a value travels to workers: typed arrays and Arrow tables through shared memory. */
function prepare(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return toSharedMemory(value as TypedArray);
  if (value instanceof Table) return { [ARROW_IPC_MARK]: toSharedMemory(tableToIPC(value, 'file')) };
  return value;
}

/**
 * Data put on every worker once (client.scatter): pass it to tasks as an argument; each task
 * gets the worker's copy (with threads, the same shared memory: no copy at all).
 */
export class Shared<T> {
  /** The value in the form workers receive. */
  readonly prepared: unknown;
  readonly key: string;
  constructor(readonly value: T) {
    this.prepared = prepare(value);
    this.key = `shared-${tokenize(this.prepared)}`;
  }
}

/**
 * Data for tasks, put on each worker once when a graph that uses it runs (the delayed-graph
 * counterpart of client.scatter): const x = ddf.shared(bigArray); fit(x, fold) for each fold.
 */
export function shared<T>(value: T): Shared<T> {
  return new Shared(value);
}
