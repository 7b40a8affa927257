import { opNamed } from '../ops/index.js';
import type { TaskInvocation, TaskOutcome } from './task-outcome.js';


function collect(value: unknown, into: Set<ArrayBuffer>): void {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) into.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) collect(v, into);
  }
}

/**
 * The buffers a worker can hand over instead of copying: those of parsed column batches.
 * (A user task's result may share buffers with data the worker keeps, so it is copied.)
 */
export function movableBuffers(batch: readonly TaskInvocation[], outcomes: readonly TaskOutcome[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  outcomes.forEach((outcome, i) => {
    if (outcome.ok && opNamed(batch[i]!.spec.op).freshResult) collect(outcome.value, buffers);
  });
  return [...buffers];
}
