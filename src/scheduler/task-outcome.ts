import { DuskIoError, DuskParseError, DuskSchemaError, DuskTaskError } from '../core/errors.js';
import type { IoMetrics } from '../io/io-metrics.js';
import type { TaskSpec } from '../ops/op.js';
import { isPlainObject } from '../core/plain-object.js';
import { unsendable } from './sendable.js';
import type { TablePatch } from './wire.js';

export interface TaskInvocation {
  key: string;
  /** What the task does, for messages (e.g. 'scan 3/8 2001.csv.bz2'). */
  label?: string;
  spec: TaskSpec;
  deps: unknown[];
  /** The compute call the task belongs to (errors its callbacks throw later are routed to it). */
  compute: number;
  /** Indices of `deps` that are shuffled partitions whose pieces may be in scratch files (read before the task runs). */
  spilled?: number[];
  /** Arrow tables among `deps`, as IPC bytes, while the invocation travels to a worker (wire.ts). */
  depTables?: TablePatch[];
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
  /** Set when the task threw something that is not an Error (a plain object, a string…). */
  thrown?: string;
  /** The thrown value's other own properties (code, errno, details…), kept on the error the caller gets. */
  props?: Record<string, unknown>;
}

/** Where and when a task ran (for the task stream, the report and the dashboard). */
export interface TaskRun {
  /** The worker that ran it: 'host pid 123 thread 4' (thread 0 is a process's main thread). */
  worker: string;
  /** Start and end, in milliseconds since the epoch (comparable across threads and processes). */
  start: number;
  end: number;
}

export type TaskOutcome =
  | { ok: true; value: unknown; metrics: IoMetrics; /** Arrow tables in `value` while it travels (wire.ts). */ tables?: TablePatch[]; ran?: TaskRun }
  | { ok: false; error: SerializedError; metrics: IoMetrics; ran?: TaskRun };

const LOCATION_KEYS = ['path', 'offset', 'line', 'column', 'value'] as const;
/** Keys of the error itself: never copied from a thrown value's properties. */
const RESERVED = new Set(['name', 'message', 'stack', 'cause', 'retryable', 'taskKey', 'workerStack', ...LOCATION_KEYS]);

/** A thrown value's own properties that can travel: sendable data as is, anything else as text. */
function ownProps(source: object): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const key of Object.keys(source)) {
    if (RESERVED.has(key)) continue;
    const v = (source as Record<string, unknown>)[key];
    Object.defineProperty(out, key, { value: unsendable(v, key, { role: 'input', tables: false, cycles: 'allow' }) === null ? v : String(v), enumerable: true, writable: true, configurable: true });
    any = true;
  }
  return any ? out : undefined;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const e = err as Error & Partial<Record<(typeof LOCATION_KEYS)[number], never>> & { retryable?: unknown };
    const out: SerializedError = { name: e.name, message: e.message, stack: e.stack };
    for (const k of LOCATION_KEYS) if (e[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = e[k];
    if (typeof e.retryable === 'boolean') out.retryable = e.retryable;
    const props = ownProps(e);
    if (props) out.props = props;
    return out;
  }
  if (typeof err === 'object' && err !== null) {
    // throw { message, code }: keep the message and the properties, say it was no Error.
    const o = err as Record<string, unknown>;
    const out: SerializedError = {
      name: typeof o.name === 'string' ? o.name : 'Error',
      message: typeof o.message === 'string' ? o.message : safeJson(o),
      thrown: Array.isArray(err) ? 'an array' : isPlainObject(err) ? 'a plain object' : `an instance of ${(Object.getPrototypeOf(err) as { constructor?: { name?: string } }).constructor?.name ?? 'a class'}`,
    };
    if (typeof o.stack === 'string') out.stack = o.stack;
    const props = ownProps(o);
    if (props) out.props = props;
    return out;
  }
  return { name: 'Error', message: String(err), thrown: `a ${typeof err}` };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/** "code: 'E_FIT', status: 3": the thrown value's simple properties, for the message. */
function propsSummary(props: Record<string, unknown> | undefined): string {
  if (!props) return '';
  const simple = Object.entries(props).filter(([, v]) => v === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof v));
  return simple
    .slice(0, 5)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

/** Re-creates the error a task threw: Dusk's own errors keep their class and location; other properties are kept on it. */
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
    default: {
      const summary = propsSummary(e.props);
      const message = e.thrown
        ? `task ${taskKey} failed: ${e.message} (thrown as ${e.thrown}, not an Error${summary ? `; ${summary}` : ''})`
        : `task ${taskKey} failed: ${e.name}: ${e.message}${summary ? ` (${summary})` : ''}`;
      return withProps(new DuskTaskError(message, taskKey, e.stack), e.props);
    }
  }
  if (e.stack) err.stack = `${err.name}: ${e.message}\n    (in task ${taskKey})\n${e.stack.split('\n').slice(1).join('\n')}`;
  return withProps(err, e.props);
}

function withProps(err: Error, props: Record<string, unknown> | undefined): Error {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (!(key in err)) Object.defineProperty(err, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return err;
}

/** Dusk's own errors come from the data or the call and would fail again: never retried. */
export function isRetryable(e: SerializedError): boolean {
  if (e.retryable !== undefined) return e.retryable;
  return !e.name.startsWith('Dusk') || e.name === 'DuskTaskError';
}
