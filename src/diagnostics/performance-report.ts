import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { now } from '../scheduler/run-invocation.js';
import { Observer } from './observer.js';
import { reportHtml } from './page.js';

export interface PerformanceReportOptions {
  /** The page's title. Default 'Dusk performance report'. */
  title?: string;
}

/**
 * Runs `work` and writes what its computes did to one self-contained HTML file (script, style
 * and data inline: it opens from disk with no network, to share): the task stream, time per
 * op, workers' memory and CPU, bytes read, each compute's plan and report. The file is written
 * also when `work` fails (then the error is thrown after). Returns what `work` returns.
 *   await ddf.performanceReport('report.html', async () => { await ddf.compute(a, b); });
 */
export async function performanceReport<T>(path: string, work: () => T | Promise<T>, options: PerformanceReportOptions = {}): Promise<T> {
  if (typeof path !== 'string' || path === '') throw new TypeError('performanceReport: the first argument is the path of the HTML file to write');
  if (typeof work !== 'function') throw new TypeError('performanceReport: the second argument is a function that runs the computes to report on');
  const observer = new Observer({ tasks: 1_000_000, computes: 10_000, samples: 100_000 });
  const startedAt = now();
  try {
    return await work();
  } finally {
    observer.close();
    const title = options.title ?? 'Dusk performance report';
    const file = resolve(path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, reportHtml(title, { title, createdAt: Date.now(), startedAt, state: observer.snapshot() }));
  }
}
