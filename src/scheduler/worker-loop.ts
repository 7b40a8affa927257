import { existsSync, writeFileSync } from 'node:fs';
import { emptyMetrics, type ProgressSink } from '../io/io-metrics.js';
import { holdsArrowTable, loadArrow } from '../core/to-arrow.js';
import type { CallArgs } from '../kernels/call-task.js';
import { deleteShared, putShared } from '../kernels/shared-store.js';
import type { ChildMessage, ParentMessage } from './pool-messages.js';
import { runInvocations } from './run-invocation.js';
import { workerSampler } from './worker-sample.js';
import { catchStrayErrorsInWorker, takeSuspect, type TaskScope } from './stray-errors.js';
import { serializeError, type TaskInvocation, type TaskOutcome } from './task-outcome.js';
import { movableBuffers } from './transferables.js';
import { packOutcomes, unpackInvocation } from './wire.js';

/**
 * The loop every pool worker runs, a thread or a process: it takes batches from the parent and
 * runs them with the same task runner as sync, one batch at a time.
 */

/** How a worker talks to its parent. */
export interface ParentLink {
  /** 'worker process 123', 'worker thread 4': for messages on stderr. */
  readonly label: string;
  /** Whether buffers can be moved to the parent instead of copied (threads). */
  readonly transfers: boolean;
  /** Sends a message; throws if something in it cannot be cloned. `then` runs once it is out (or dropped). */
  send(message: ChildMessage, transfer?: ArrayBuffer[], then?: () => void): void;
  onMessage(handler: (message: ParentMessage) => void): void;
  exit(code: number): void;
}

/**
 * Hidden test hook (no user-facing task kind can kill a worker yet): when DUSK_TEST_EXIT_ON_TASK
 * is a substring of a task's key, the worker exits with code 13 on receiving it. With
 * DUSK_TEST_EXIT_MARKER it does so only once: it creates that file first and runs normally
 * when the file exists, so a retry on the replacement worker succeeds.
 */
function testHookExit(batch: TaskInvocation[], link: ParentLink): void {
  const match = process.env.DUSK_TEST_EXIT_ON_TASK;
  if (!match || !batch.some((t) => t.key.includes(match))) return;
  const marker = process.env.DUSK_TEST_EXIT_MARKER;
  if (marker) {
    if (existsSync(marker)) return;
    writeFileSync(marker, String(process.pid));
  }
  link.exit(13);
}

/**
 * Whether a task gets an Arrow table (arriving as IPC bytes, or built from a lazy table's
 * batches): a worker loads apache-arrow only then, and before the task, since the code that
 * reads tables is synchronous.
 */
function needsArrow(task: TaskInvocation): boolean {
  if (task.depTables) return true;
  if (task.spec.op !== 'call') return false;
  return (task.spec.args as CallArgs).refs.some(({ source }) => source.kind === 'table' || (source.kind === 'dep' && source.table !== undefined));
}

/** A value the structured clone cannot carry fails only the task whose value it is in. */
function cloneable(outcome: TaskOutcome & { ok: true }, key: string, label: string): TaskOutcome {
  try {
    structuredClone(outcome.value);
    return outcome;
  } catch (err) {
    // Not retryable: the same task returns the same kind of value every time.
    const message = `task ${key} returned a value that cannot be sent from a ${label.replace(/ \d+$/, '')} (${serializeError(err).message}); return plain data, typed arrays or Arrow tables`;
    return { ok: false, error: { name: 'DuskTaskError', message, retryable: false }, metrics: outcome.metrics };
  }
}

export function serveParent(link: ParentLink): void {
  /** The batch being run (null when idle), so progress and crash reports name it. */
  let current: number | null = null;

  // Adds up bytes read and reports them at most every 100 ms: one message per read would be too many.
  const REPORT_EVERY_MS = 100;
  let pendingBytes = 0;
  let lastReport = 0;
  const progress: ProgressSink = {
    addBytesRead(n: number): void {
      pendingBytes += n;
      const now = performance.now();
      if (current !== null && now - lastReport >= REPORT_EVERY_MS) {
        lastReport = now;
        link.send({ type: 'progress', id: current, bytes: pendingBytes });
        pendingBytes = 0;
      }
    },
  };

  // A task's callback that throws after the task returned: the parent routes it to the task's
  // compute (or warns, if that is over) and replaces this worker.
  const late = (scope: TaskScope, error: unknown) => link.send({ type: 'late-error', compute: scope.compute, key: scope.key, error: serializeError(error) });

  // An error no task started (Dusk's own, or a module's top-level callbacks): say what killed
  // the worker before dying, so the tasks' error names the cause and not only an exit code.
  catchStrayErrorsInWorker((err) => {
    process.stderr.write(`dusk ${link.label}: uncaught ${(err as Error)?.stack ?? String(err)}\n`);
    const timer = setTimeout(() => link.exit(1), 1000);
    link.send({ type: 'crash', id: current, error: serializeError(err) }, undefined, () => {
      clearTimeout(timer);
      link.exit(1);
    });
  });

  // Memory and CPU while a batch runs (the timer stays quiet while idle) and after each batch.
  const sampler = workerSampler();
  const SAMPLE_EVERY_MS = 500;
  let sampledAt = 0;
  const sample = () => {
    sampledAt = performance.now();
    return sampler();
  };
  const sampling = setInterval(() => {
    // Not right after the previous one: a busy share over a few milliseconds is noise.
    if (current !== null && performance.now() - sampledAt >= SAMPLE_EVERY_MS / 2) link.send({ type: 'sample', sample: sample() });
  }, SAMPLE_EVERY_MS);
  sampling.unref();

  /** Settles once every shared value received so far is in the store (a table waits for Arrow to load). */
  let sharesPut: Promise<void> = Promise.resolve();

  async function run(id: number, received: TaskInvocation[]): Promise<void> {
    current = id;
    testHookExit(received, link);
    let batch = received;
    let outcomes: TaskOutcome[];
    try {
      // Shared values put before this batch (Arrow tables among them may still be loading).
      await sharesPut;
      if (received.some(needsArrow)) await loadArrow();
      batch = received.map(unpackInvocation);
      const ran = await runInvocations(batch, progress, late);
      // A task returned a table: it goes back as IPC bytes, written by Arrow.
      if (ran.some((o, i) => o.ok && batch[i]!.spec.op === 'call' && holdsArrowTable(o.value))) await loadArrow();
      outcomes = packOutcomes(batch, ran);
    } catch (err) {
      // Tables that could not be unpacked or packed: the batch fails, the worker goes on.
      outcomes = batch.map(() => ({ ok: false as const, error: { ...serializeError(err), retryable: false }, metrics: emptyMetrics() }));
    }
    const bytes = pendingBytes;
    pendingBytes = 0;
    current = null;
    link.send({ type: 'sample', sample: sample() });
    const retire = takeSuspect();
    const transfer = link.transfers ? movableBuffers(batch, outcomes) : undefined;
    try {
      link.send({ type: 'done', id, outcomes, bytes, retire }, transfer);
    } catch {
      const checked = outcomes.map((o, i) => (o.ok ? cloneable(o, batch[i]!.key, link.label) : o));
      try {
        link.send({ type: 'done', id, outcomes: checked, bytes, retire });
      } catch (again) {
        const error = { name: 'DuskTaskError', message: `the results of ${batch.map((t) => t.key).join(', ')} cannot be sent from a ${link.label} (${serializeError(again).message})`, retryable: false };
        link.send({ type: 'done', id, outcomes: outcomes.map((o) => ({ ok: false as const, error, metrics: o.metrics })), bytes, retire });
      }
    }
  }

  link.onMessage((message) => {
    // Shared values arrive before any batch that uses them: the channel keeps the parent's order.
    if (message.type === 'share') {
      const { key, payload } = message;
      if (payload.kind === 'arrow-ipc') sharesPut = sharesPut.then(() => loadArrow()).then(() => putShared(key, payload));
      else putShared(key, payload);
    } else if (message.type === 'unshare') {
      // After any put of the same key still loading (the channel's order holds here too).
      const { key } = message;
      sharesPut = sharesPut.then(() => deleteShared(key));
    } else if (message.type === 'run') void run(message.id, message.batch);
  });
  link.send({ type: 'ready' });
}
