import { Worker } from 'node:worker_threads';
import type { ChildMessage, ParentMessage } from './pool-messages.js';
import { serveParent } from './worker-loop.js';

/**
 * The program a worker process of the 'processes' scheduler runs (started by process-spawn.ts):
 * it takes batches from the parent over IPC.
 */

if (!process.send) throw new Error('process-worker-entry is started by the processes scheduler (child_process.fork), not run directly');

// The parent is gone (it exited, or closed the pool): nothing more will come.
process.on('disconnect', () => process.exit(0));

/**
 * A task in a long synchronous loop sees no 'disconnect'. A small thread watches the parent
 * instead: once this process has been re-parented (the parent died, even by SIGKILL), it ends
 * the process with SIGTERM, which needs no JavaScript on the busy main thread.
 */
function watchParent(): void {
  const parent = process.ppid;
  const source = `setInterval(() => { if (process.ppid !== ${parent}) process.kill(${process.pid}, 'SIGTERM'); }, 500);`;
  // No inherited options: the watcher needs no loader (tsx) and no big heap.
  const watcher = new Worker(source, { eval: true, execArgv: [], stdout: false, stderr: false, resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 } });
  watcher.unref();
  watcher.on('error', () => {}); // without the watcher, 'disconnect' still ends an idle worker
}
watchParent();

/**
 * Sends to the parent. A send that fails (EPIPE: the parent died meanwhile) is dropped: the
 * 'disconnect' handler ends this process. Without a callback it would be an uncaught error.
 */
serveParent({
  label: `worker process ${process.pid}`,
  transfers: false,
  send(message: ChildMessage, _transfer?: ArrayBuffer[], then?: () => void) {
    if (process.connected) process.send!(message, undefined, undefined, () => then?.());
    else then?.();
  },
  onMessage(handler: (message: ParentMessage) => void) {
    process.on('message', handler);
  },
  exit(code: number) {
    process.exit(code);
  },
});
