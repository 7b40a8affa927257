/** Tasks the distributed scheduler's tests run by module (ddf.task): workers import this file (--tasks), so no top-level work. */
import { appendFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import { type Table, tableFromArrays } from 'apache-arrow';
// The built package: a worker imports this module, and loads dist/ faster than src/ through tsx.
import * as ddf from 'dusk';

/** Sleeps `ms` (without blocking the worker's main thread: tasks run in threads), notes the run in `log`, returns where it ran. */
export const slowSquare = ddf.task(import.meta.url, async function slowSquare(n: number, ms: number, log: string) {
  appendFileSync(log, `start ${n} ${process.pid}\n`);
  await new Promise((resolve) => setTimeout(resolve, ms));
  appendFileSync(log, `end ${n} ${process.pid}\n`);
  return { n, square: n * n, pid: process.pid, threadId, host: hostname() };
});

/** An Arrow table made on a worker (it comes back as IPC bytes through Redis). */
export const makeTable = ddf.task(import.meta.url, function makeTable(n: number) {
  return tableFromArrays({ i: Int32Array.from({ length: n }, (_, k) => k), x: Float64Array.from({ length: n }, (_, k) => k / 2) });
});

/** Sums column x of a table it receives. */
export const sumX = ddf.task(import.meta.url, function sumX(table: Table) {
  return Array.from(table.getChild('x')!.toArray() as Float64Array).reduce((a, b) => a + b, 0);
});
