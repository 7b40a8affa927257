import { tableFromIPC } from 'apache-arrow';
import { DuskTaskError } from '../core/errors.js';

/**
 * Values every task of a worker can use without receiving them with each task: explicit
 * globals of shipped functions and scattered data. The executor puts each value into each
 * worker once (with threads, typed arrays are in shared memory, so not even once copied).
 */

/** Marks an Arrow table travelling as IPC bytes (class instances do not survive postMessage). */
export const ARROW_IPC_MARK = '__dusk_arrow_ipc__';

const values = new Map<string, unknown>();
const waiting = new Map<string, ((value: unknown) => void)[]>();
let requestMissing: ((key: string) => void) | null = null;

const WAIT_MS = 30_000;

function revive(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && ARROW_IPC_MARK in value) return tableFromIPC((value as Record<string, Uint8Array>)[ARROW_IPC_MARK]!);
  return value;
}

export function putShared(key: string, stored: unknown): void {
  const value = revive(stored);
  values.set(key, value);
  for (const resolve of waiting.get(key) ?? []) resolve(value);
  waiting.delete(key);
}

/** How a worker asks for a value it has not received (e.g. it started after the value was shared). */
export function onMissingShared(request: (key: string) => void): void {
  requestMissing = request;
}

export function hasShared(key: string): boolean {
  return values.has(key);
}

export function getShared(key: string): Promise<unknown> {
  if (values.has(key)) return Promise.resolve(values.get(key));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new DuskTaskError(`shared value ${key} never reached this worker`, key)), WAIT_MS);
    timer.unref();
    (waiting.get(key) ?? waiting.set(key, []).get(key)!).push((value) => {
      clearTimeout(timer);
      resolve(value);
    });
    requestMissing?.(key);
  });
}
