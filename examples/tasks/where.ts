/** Scenario 5B's `srun hostname`: where a task ran. Workers import this module (dusk worker --tasks examples/tasks). */
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import * as ddf from 'dusk';

export const whereAmI = ddf.task(import.meta.url, async function whereAmI(i: number, ms = 50) {
  // Long enough that every worker gets some of the tasks (dynamic allocation).
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { i, host: hostname(), pid: process.pid, thread: threadId };
});
