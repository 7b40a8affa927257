import type { SharedPayload } from '../kernels/shared-store.js';
import type { WorkerSample } from './events.js';
import type { SerializedError, TaskInvocation, TaskOutcome } from './task-outcome.js';

/**
 * What the parent and a pool worker (a thread, or a process over IPC with serialization
 * 'advanced') say to each other: typed arrays, Maps and BigInts arrive intact.
 * Every message about a batch carries its id, so a message from a batch the parent has
 * already given up on (aborted, or its worker died) is recognised and ignored.
 */
export type ParentMessage =
  | { type: 'run'; id: number; batch: TaskInvocation[] }
  /** A value for every task of the worker (explicit globals, scattered data), sent once per worker. */
  | { type: 'share'; key: string; payload: SharedPayload }
  /** Forget a shared value (a persisted frame's data, unpersisted). */
  | { type: 'unshare'; key: string };

export type ChildMessage =
  /** Sent once the worker listens for batches: messages sent earlier could be lost. */
  | { type: 'ready' }
  /** Bytes read since the last report, at most a few times a second while a batch runs. */
  | { type: 'progress'; id: number; bytes: number }
  /**
   * The batch's outcomes, with the bytes read since the last progress report. `retire`: a task's
   * callback threw, so the worker's state is suspect: the parent replaces it.
   */
  | { type: 'done'; id: number; outcomes: TaskOutcome[]; bytes: number; retire: boolean }
  /**
   * A task's callback threw after the task had returned (stray-errors.ts): the parent routes it
   * to that task's compute and replaces the worker.
   */
  | { type: 'late-error'; compute: number; key: string; error: SerializedError }
  /** The worker's memory and CPU, every half second while it runs a batch and after each batch (the dashboard's charts). */
  | { type: 'sample'; sample: WorkerSample }
  /** An uncaught error of no task is about to end the worker: the parent quotes it in the tasks' error. */
  | { type: 'crash'; id: number | null; error: SerializedError };
