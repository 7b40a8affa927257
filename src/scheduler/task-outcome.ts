import { DuskIoError, DuskParseError, DuskSchemaError, DuskTaskError } from '../core/errors.js';
import type { IoMetrics } from '../io/io-metrics.js';
import type { TaskSpec } from '../ops/op.js';

export interface TaskInvocation {
  key: string;
  spec: TaskSpec;
  deps: unknown[];
}

/** An error as plain data: classes do not survive a thread or process boundary. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  path?: string;
  offset?: number;
  line?: number;
  column?: string;
  value?: string;
  /** False when trying again cannot help (the default depends on the error's kind). */
  retryable?: boolean;
}

export type TaskOutcome = { ok: true; value: unknown; metrics: IoMetrics } | { ok: false; error: SerializedError; metrics: IoMetrics };

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const e = err as Error & Partial<Record<'path' | 'offset' | 'line' | 'column' | 'value', never>>;
  const out: SerializedError = { name: e.name, message: e.message, stack: e.stack };
  for (const k of ['path', 'offset', 'line', 'column', 'value'] as const) if (e[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = e[k];
  return out;
}

/** Re-creates the error a task threw: Dusk's own errors keep their class and location. */
export function reviveError(e: SerializedError, taskKey: string): Error {
  let err: Error;
  switch (e.name) {
    case 'DuskParseError':
      err = new DuskParseError(e.message, { path: e.path ?? '', line: e.line ?? -1, column: e.column, value: e.value });
      break;
    case 'DuskIoError':
      err = new DuskIoError(e.message, { path: e.path ?? '', offset: e.offset });
      break;
    case 'DuskSchemaError':
      err = new DuskSchemaError(e.message);
      break;
    case 'DuskTaskError':
      err = new DuskTaskError(e.message, taskKey, e.stack);
      break;
    default:
      return new DuskTaskError(`task ${taskKey} failed: ${e.name}: ${e.message}`, taskKey, e.stack);
  }
  if (e.stack) err.stack = `${err.name}: ${e.message}\n    (in task ${taskKey})\n${e.stack.split('\n').slice(1).join('\n')}`;
  return err;
}

/** Dusk's own errors come from the data or the call and would fail again: never retried. */
export function isRetryable(e: SerializedError): boolean {
  if (e.retryable !== undefined) return e.retryable;
  return !e.name.startsWith('Dusk') || e.name === 'DuskTaskError';
}

