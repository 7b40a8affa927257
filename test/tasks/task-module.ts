/** Tasks the worker tests run by module (ddf.task). No top-level work: workers import this file. */
import { existsSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { tableFromArrays } from 'apache-arrow';
import * as ddf from '../../src/index.js';

export const square = ddf.task(import.meta.url, function square(n: number) {
  return n * n;
});

/** Where a task ran: the worker thread's id (0 is the main thread). */
export const whereAmI = ddf.task(import.meta.url, function whereAmI(item: number) {
  const end = Date.now() + 20;
  while (Date.now() < end); // long enough that another worker would take the next task if it could
  return { item, threadId, pid: process.pid, isWorker: ddf.isWorker };
});

/** Computes a graph from inside a task: must not wait on its own pool. */
export const nestedSum = ddf.task(import.meta.url, async function nestedSum(n: number) {
  const add = ddf.delayed((a: number, b: number) => a + b);
  const parts = Array.from({ length: n }, (_, i) => add(i, i));
  const [values] = await ddf.compute(parts);
  return values.reduce((a, b) => a + b, 0);
});

/** Kills its worker the first time (marker file absent), succeeds when retried. */
export const dieOnce = ddf.task(import.meta.url, function dieOnce(marker: string) {
  if (!existsSync(marker)) {
    writeFileSync(marker, 'died');
    process.exit(7);
  }
  return 'survived';
});

/** Writes into a shared array: the caller sees it only if no copy was made. */
export const markShared = ddf.task(import.meta.url, function markShared(array: Float64Array, index: number) {
  array[index] = -1;
  return array.buffer instanceof SharedArrayBuffer;
});

/** A result with an Arrow table inside it. */
export const tableInside = ddf.task(import.meta.url, function tableInside(n: number) {
  return { n, nested: [tableFromArrays({ i: Int32Array.from({ length: n }, (_, i) => i) })] };
});

const notExported = ddf.task(import.meta.url, function notExported() {
  return 1;
});
export const notExportedRef = { fn: notExported };
