import { existsSync, writeFileSync } from 'node:fs';
import type { ProgressSink } from '../io/io-metrics.js';
import { putShared } from '../kernels/shared-store.js';
import type { ChildMessage, ParentMessage } from './process-messages.js';
import { runInvocations } from './run-invocation.js';
import { serializeError, type TaskInvocation, type TaskOutcome } from './task-outcome.js';

/**
 * The program a worker process of the 'processes' scheduler runs: it takes batches from the
 * parent over IPC and runs them with the same task runner as sync and threads, one at a time.
 */

if (!process.send) throw new Error('process-worker-entry is started by the processes scheduler (child_process.fork), not run directly');

/**
 * Sends to the parent. A send that fails (EPIPE: the parent died meanwhile) is dropped: the
 * 'disconnect' handler ends this process. Without a callback it would be an uncaught error.
 */
function send(message: ChildMessage, then?: () => void): void {
  if (process.connected) process.send!(message, undefined, undefined, () => then?.());
  else then?.();
}

/** The batch being run (null when idle), so progress and crash reports name it. */
let current: number | null = null;

/** Adds up bytes read and reports them at most every 100 ms: one message per read would be too many. */
const REPORT_EVERY_MS = 100;
let pendingBytes = 0;
let lastReport = 0;
const progress: ProgressSink = {
  addBytesRead(n: number): void {
    pendingBytes += n;
    const now = performance.now();
    if (current !== null && now - lastReport >= REPORT_EVERY_MS) {
      lastReport = now;
      send({ type: 'progress', id: current, bytes: pendingBytes });
      pendingBytes = 0;
    }
  },
};

/**
 * Hidden test hook (no user-facing task kind can kill a worker yet): when DUSK_TEST_EXIT_ON_TASK
 * is a substring of a task's key, the worker exits with code 13 on receiving it. With
 * DUSK_TEST_EXIT_MARKER it does so only once: it creates that file first and runs normally
 * when the file exists, so a retry on the replacement worker succeeds.
 */
function testHookExit(batch: TaskInvocation[]): void {
  const match = process.env.DUSK_TEST_EXIT_ON_TASK;
  if (!match || !batch.some((t) => t.key.includes(match))) return;
  const marker = process.env.DUSK_TEST_EXIT_MARKER;
  if (marker) {
    if (existsSync(marker)) return;
    writeFileSync(marker, String(process.pid));
  }
  process.exit(13);
}

async function run(id: number, batch: TaskInvocation[]): Promise<void> {
  current = id;
  testHookExit(batch);
  const outcomes = await runInvocations(batch, progress);
  const bytes = pendingBytes;
  pendingBytes = 0;
  current = null;
  try {
    send({ type: 'done', id, outcomes, bytes });
  } catch (err) {
    // A value the structured clone cannot carry (a function, a class instance with private
    // state…) fails only the tasks whose values it is in.
    const checked = outcomes.map((o, i) => (o.ok ? cloneable(o, batch[i]!.key, err) : o));
    try {
      send({ type: 'done', id, outcomes: checked, bytes });
    } catch (again) {
      const error = { name: 'DuskTaskError', message: `the results of ${batch.map((t) => t.key).join(', ')} cannot be sent from a worker process (${serializeError(again).message})`, retryable: false };
      send({ type: 'done', id, outcomes: outcomes.map((o) => ({ ok: false as const, error, metrics: o.metrics })), bytes });
    }
  }
}

function cloneable(outcome: TaskOutcome & { ok: true }, key: string, err: unknown): TaskOutcome {
  try {
    structuredClone(outcome.value);
    return outcome;
  } catch {
    const e = serializeError(err);
    // Not retryable: the same task returns the same kind of value every time.
    const message = `task ${key} returned a value that cannot be sent from a worker process (${e.message}); return plain data, typed arrays or Arrow tables`;
    return { ok: false, error: { name: 'DuskTaskError', message, retryable: false }, metrics: outcome.metrics };
  }
}

process.on('message', (message: ParentMessage) => {
  // Shared values arrive before any batch that uses them: the channel keeps the parent's order.
  if (message.type === 'share') putShared(message.key, message.value);
  else if (message.type === 'run') void run(message.id, message.batch);
});

// The parent is gone (it exited, or closed the pool): nothing more will come.
process.on('disconnect', () => process.exit(0));

// Say what killed the worker before dying, so the tasks' error names the cause and not only an exit code.
process.on('uncaughtException', (err) => {
  process.stderr.write(`dusk worker process ${process.pid}: uncaught ${err.stack ?? String(err)}\n`);
  const timer = setTimeout(() => process.exit(1), 1000);
  send({ type: 'crash', id: current, error: serializeError(err) }, () => {
    clearTimeout(timer);
    process.exit(1);
  });
});

send({ type: 'ready' });
