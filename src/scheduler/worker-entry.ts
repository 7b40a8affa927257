import { parentPort, threadId } from 'node:worker_threads';
import type { ChildMessage, ParentMessage } from './pool-messages.js';
import { serveParent } from './worker-loop.js';

/** The program a worker thread of the 'threads' scheduler runs (started by thread-spawn.ts). */

if (!parentPort) throw new Error('worker-entry is started by the threads scheduler (a worker thread), not run directly');
const port = parentPort;

serveParent({
  label: `worker thread ${threadId}`,
  transfers: true,
  send(message: ChildMessage, transfer?: ArrayBuffer[], then?: () => void) {
    port.postMessage(message, transfer);
    then?.();
  },
  onMessage(handler: (message: ParentMessage) => void) {
    port.on('message', handler);
  },
  exit(code: number) {
    process.exit(code);
  },
});
