import { tableFromIpc } from '../core/to-arrow.js';
import { DuskTaskError } from '../core/errors.js';

/**
 * Values every task of a worker can use without receiving them with each task: explicit
 * globals of shipped functions and scattered data. The executor puts each value into each
 * worker once, before any task that uses it (with threads, typed arrays are in shared memory,
 * so not even once copied).
 */

/**
 * A shared value as it travels. The kind is said beside the data, never marked inside it, so
 * no user value can be mistaken for an encoded one.
 */
export type SharedPayload = { kind: 'value'; value: unknown } | { kind: 'arrow-ipc'; ipc: Uint8Array };

const values = new Map<string, unknown>();

export function putShared(key: string, payload: SharedPayload): void {
  values.set(key, payload.kind === 'arrow-ipc' ? tableFromIpc(payload.ipc) : payload.value);
}

/** Forgets a value (a persisted frame's data, unpersisted): the memory goes once nothing else holds it. */
export function deleteShared(key: string): void {
  values.delete(key);
}

export function hasShared(key: string): boolean {
  return values.has(key);
}

export function getShared(key: string): unknown {
  if (!values.has(key)) {
    // Executors send shared values before the tasks that use them: a miss is a bug in Dusk.
    throw new DuskTaskError(`shared value ${key} never reached this worker (a bug in Dusk: please report it)`, key);
  }
  return values.get(key);
}
