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
 * The buffers a worker can hand over instead of copying: those its ops declare movable
 * (parsed column batches). Everything else is copied.
 */
export function movableBuffers(batch: readonly TaskInvocation[], outcomes: readonly TaskOutcome[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  outcomes.forEach((outcome, i) => {
    if (!outcome.ok) return;
    const { spec } = batch[i]!;
    const movable = opNamed(spec.op).movable?.(outcome.value, spec.args as never);
    if (movable !== undefined) collect(movable, buffers);
  });
  return [...buffers];
}
