import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { loadArrow } from '../../core/to-arrow.js';
import type { IoMetrics } from '../../io/io-metrics.js';
import type { SharedPayload } from '../../kernels/shared-store.js';
import type { TaskSpec } from '../../ops/op.js';
import { shuffleSplitOp } from '../../ops/shuffle-split.js';
import { sortRangeSplitOp } from '../../ops/sort-range-split.js';
import type { SerializedError, TaskRun } from '../task-outcome.js';
import { packTables, type TablePatch, unpackTables } from '../wire.js';

/**
 * What a client and its `dusk worker`s put in Redis. Job data is JSON (BullMQ's), so binary
 * parts travel as base64 of v8.serialize (typed arrays, Maps, BigInts intact, as over the
 * processes scheduler's IPC). Values (results, inputs, shared data) live under their own keys:
 * only keys travel in jobs. Every key starts with `dusk:{queue}:` so one Redis serves
 * several queues (clusters) apart.
 */

/** Protocol version: a worker refuses jobs of another (a client and workers of different Dusk versions). */
export const PROTOCOL = 2;

/** A dependency of a task: the Redis key holding its value (a result, or a value the client uploaded). */
export interface WireTask {
  key: string;
  label?: string;
  spec: TaskSpec;
  /**
   * Redis keys of the task's inputs, in order; a list of keys is one input made of their values
   * in a list (a shuffle's bucket from every map task, fetched by the task, not by the client).
   */
  deps: (string | string[])[];
  spilled?: number[];
  /** Where the task's result goes (decided by the client: idempotent, the same for a retry). */
  resultKey: string;
}

export interface JobData {
  protocol: number;
  /** base64 of v8.serialize(WireTask[]). */
  tasks: string;
  /** Shared values the tasks may read: [key workers hold it under, Redis key]. */
  shared: [string, string][];
  /** How long results live in Redis (ms): removed when the compute ends, the TTL catches a client that died. */
  ttlMs: number;
}

/** A task's outcome as the worker returns it: a result stays in Redis (small ones also come inline). */
export type WireOutcome =
  /**
   * buckets: a shuffle map task's result (a list of buckets) is stored one key per bucket
   * (bucketKey(key, i)), never inline; these are the rows of each bucket.
   * key: where the result is in Redis; null for a small result, which travels here instead (inline, decoded with the outcomes in one go). */
  | { ok: true; key: string | null; bytes: number; inline?: Stored; metrics: IoMetrics; ran?: TaskRun; buckets?: number[] }
  | { ok: false; error: SerializedError; metrics: IoMetrics; ran?: TaskRun };

/** The job's return value: { b: base64 of v8.serialize(WireOutcome[]) } (error props may hold BigInts, which JSON refuses). */
export interface JobReturn {
  b: string;
}

/** Results at most this big also come back inline, sparing the client a round trip (combines run on the client). */
export const INLINE_BYTES = 4096;

export function toBase64(value: unknown): string {
  return serialize(value).toString('base64');
}

export function fromBase64<T>(text: string): T {
  return deserialize(Buffer.from(text, 'base64')) as T;
}

/** Map sides of shuffles: their results are lists of buckets, each bucket read by one reduce task. */
export const SHUFFLE_MAP_OPS: ReadonlySet<string> = new Set([shuffleSplitOp.name, sortRangeSplitOp.name]);

/** Where bucket `bucket` of a shuffle map task's result is, in Redis. */
export function bucketKey(resultKey: string, bucket: number): string {
  return `${resultKey}:b${bucket}`;
}

/** Redis keys of one queue's namespace. */
export function keyPrefix(queue: string): string {
  return `dusk:${queue}:`;
}

export function digest(text: string | Uint8Array): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 24);
}

/** A value as stored: its Arrow tables (in arrays and plain objects) as IPC bytes beside it. */
export interface Stored {
  value: unknown;
  tables?: TablePatch[];
}

/** A value with its tables packed, ready to store. */
export function storedOf(value: unknown): Stored {
  const packed = packTables(value);
  return packed ? { value: packed.value, tables: packed.tables } : { value };
}

/** The bytes stored for a value. */
export function encodeValue(value: unknown): Buffer {
  return serialize(storedOf(value));
}

/** A stored value as a task's input on a worker: its tables stay IPC bytes, put back in the worker thread (wire.ts). */
export function decodeForTask(bytes: Uint8Array): Stored {
  return deserialize(bytes) as Stored;
}

/** A stored value, tables rebuilt (Arrow is loaded first when there are any). */
export async function decodeValue(bytes: Uint8Array | Stored): Promise<unknown> {
  const stored = bytes instanceof Uint8Array ? (deserialize(bytes) as Stored) : bytes;
  if (!stored.tables) return stored.value;
  await loadArrow();
  return unpackTables(stored.value, stored.tables);
}

/** A shared payload ready for v8.serialize: typed arrays and IPC bytes in shared memory are copied out of it. */
export function unshareMemory(payload: SharedPayload): SharedPayload {
  const plain = (view: ArrayBufferView): ArrayBufferView => {
    if (!(view.buffer instanceof SharedArrayBuffer)) return view;
    const Ctor = view.constructor as new (buffer: ArrayBuffer) => ArrayBufferView;
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
    return new Ctor(bytes.buffer);
  };
  if (payload.kind === 'arrow-ipc') return { kind: 'arrow-ipc', ipc: plain(payload.ipc) as Uint8Array };
  if (ArrayBuffer.isView(payload.value)) return { kind: 'value', value: plain(payload.value) };
  return payload;
}

/** Registered workers: one key per worker process, refreshed while it runs. */
export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  concurrency: number;
  allowSource: boolean;
  tasks: string[];
  started: number;
}
