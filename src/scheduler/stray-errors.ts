import { AsyncLocalStorage } from 'node:async_hooks';
import { DuskTaskError } from '../core/errors.js';
import { serializeError, type SerializedError } from './task-outcome.js';

/**
 * Errors a task throws outside its own call: in a timer, an event handler or a promise nobody
 * awaited. Each task runs in an async scope, which its callbacks inherit, so such an error is
 * traced to the task that started the callback, wherever it fires:
 *  - while that task runs, the task fails with it at once;
 *  - after the task has returned, the compute it belongs to fails, if it is still running, and
 *    otherwise a warning names the task: the error never reaches a later, unrelated compute.
 * A worker where this happened is replaced after its batch: its state is suspect.
 */

/** The task an async callback belongs to. */
export interface TaskScope {
  readonly compute: number;
  readonly key: string;
  running: boolean;
  /** Fails the running task with the error. */
  fail(error: unknown): void;
  /** Reports an error thrown after the task returned. */
  late(error: unknown): void;
}

const scopes = new AsyncLocalStorage<TaskScope>();

/** The message of a task that failed through an error thrown outside its own call. */
export function strayMessage(key: string, error: SerializedError, after: boolean): string {
  const when = after ? 'had returned, but then threw' : 'threw';
  return (
    `task ${key} ${when} ${error.name}: ${error.message} in a callback it started ` +
    `(a timer, an event handler or a promise nobody awaited)${after ? '' : ', while it ran'}; ` +
    'await such work inside the task (a worker where this happens is replaced: its state is suspect)'
  );
}

/**
 * Runs one task in its scope. Resolves or rejects with the task, or rejects as soon as a
 * callback of the task throws while it runs.
 */
export function runInScope<T>(compute: number, key: string, late: (scope: TaskScope, error: unknown) => void, body: () => Promise<T>): Promise<T> {
  let scope!: TaskScope;
  const settled = new Promise<T>((resolve, reject) => {
    scope = {
      compute,
      key,
      running: true,
      fail(error) {
        const e = serializeError(error);
        reject(Object.assign(new DuskTaskError(strayMessage(key, e, false), key, e.stack), { retryable: false }));
      },
      late: (error) => late(scope, error),
    };
    scopes.run(scope, body).then(resolve, reject);
  });
  // From here on only the task's callbacks can still run: their errors are late.
  return settled.finally(() => {
    scope.running = false;
  });
}

/** Set when a task's callback threw: the thread's state is suspect (a worker then retires). */
let suspect = false;

/** Whether a stray error was seen since the last call. */
export function takeSuspect(): boolean {
  const was = suspect;
  suspect = false;
  return was;
}

/** What to do with an uncaught error that no task started (not Dusk's to attribute). */
type ForeignErrorPolicy = (error: unknown, origin: string) => void;

let foreignPolicy: ForeignErrorPolicy | null = null;
let listening = false;

function onUncaught(error: unknown, origin: string): void {
  const scope = scopes.getStore();
  if (scope) {
    suspect = true;
    return scope.running ? scope.fail(error) : scope.late(error);
  }
  if (foreignPolicy) return foreignPolicy(error, origin);
  // The calling thread of a sync compute: not a task's error. If no one else listens, Node's
  // own handling (print, exit 1) must happen: stop listening and throw it again.
  if (process.listenerCount('uncaughtException') <= 1) {
    process.off('uncaughtException', onUncaught);
    listening = false;
    process.nextTick(() => {
      throw error;
    });
  }
}

/** In a worker: catch every uncaught error for good; `foreign` handles those of no task. */
export function catchStrayErrorsInWorker(foreign: ForeignErrorPolicy): void {
  foreignPolicy = foreign;
  listen();
}

/**
 * In the calling thread (sync scheduler), from its first compute on: a sync task's callback may
 * throw after its compute, like a worker's, and is then reported the same way (a warning).
 * Errors of no task are left to the script's own listeners, or to Node (print, exit 1).
 */
export function catchStrayErrorsInCallingThread(): void {
  listen();
}

function listen(): void {
  if (listening) return;
  listening = true;
  process.on('uncaughtException', onUncaught);
}

/* ---- the parent's side: which compute a late error belongs to ---- */

const computes = new Map<number, (key: string, error: Error) => void>();

/** Compute `id` (as in the scheduler's events); `onLate` gets the late errors of its tasks until `close`. */
export function openCompute(id: number, onLate: (key: string, error: Error) => void): { id: number; close(): void } {
  computes.set(id, onLate);
  return { id, close: () => computes.delete(id) };
}

/** Routes an error thrown after its task returned to its compute, or warns if that is over. */
export function reportLateError(compute: number, key: string, error: SerializedError): void {
  const message = strayMessage(key, error, true);
  const handler = computes.get(compute);
  if (handler) return handler(key, Object.assign(new DuskTaskError(message, key, error.stack), { retryable: false }));
  process.emitWarning(`dusk: ${message}; its compute had already finished, so only this warning reports it`, 'DuskStrayErrorWarning');
}
