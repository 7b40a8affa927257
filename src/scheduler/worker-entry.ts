import { BroadcastChannel, workerData } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { onMissingShared, putShared } from '../kernels/shared-store.js';
import { runInvocations } from './run-invocation.js';
import { SharedCounter } from './shared-counter.js';
import type { TaskInvocation, TaskOutcome } from './task-outcome.js';
import { movableBuffers } from './transferables.js';

/** The code a pool worker runs: the same task runner as the sync scheduler. */
const data = workerData as { progressBuffer: SharedArrayBuffer; sharedChannel: string };
const counter = new SharedCounter(data.progressBuffer);

// Shared values (globals, scattered data) arrive once per worker on a broadcast channel;
// a worker that started later asks for what it missed.
const channel = new BroadcastChannel(data.sharedChannel);
channel.unref();
channel.onmessage = (event) => {
  const message = (event as { data: { key: string; value?: unknown; need?: boolean } }).data;
  if (!message.need) putShared(message.key, message.value);
};
onMissingShared((key) => channel.postMessage({ key, need: true }));

export default async function runBatch(batch: TaskInvocation[]): Promise<TaskOutcome[]> {
  const outcomes = await runInvocations(batch, counter);
  const buffers = movableBuffers(batch, outcomes);
  // Parsed columns are moved to the caller, not copied (transfer list).
  if (buffers.length === 0) return outcomes;
  const movable = { [Piscina.transferableSymbol]: buffers, [Piscina.valueSymbol]: outcomes };
  return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]) as unknown as TaskOutcome[];
}
