import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { ProgressBar } from '../../src/diagnostics/progress-bar.js';
import { type ComputeFinished, type ComputeStarted, type SchedulerEvent, schedulerEvents, type TaskEnded, type WorkerSample } from '../../src/scheduler/events.js';
import { tempDir } from '../helpers.js';

/** The scheduler's events: the same on every scheduler; the report and the progress bar are their fold. */

const data = tempDir('dusk-events-');
const FILES = 5;
beforeAll(() => {
  for (let f = 0; f < FILES; f++) {
    const rows = Array.from({ length: 2000 }, (_, i) => `${f * 10_000 + i},${(i * 7) % 101},${i % 3 === 0 ? 'NA' : i / 4}`);
    writeFileSync(join(data.dir, `part-${f}.csv`), `id,x,y\n${rows.join('\n')}\n`);
  }
});
afterAll(async () => {
  data.remove();
  await ddf.shutdown();
});

async function recorded(run: () => Promise<unknown>): Promise<SchedulerEvent[]> {
  const events: SchedulerEvent[] = [];
  const stop = schedulerEvents.subscribe((e) => events.push(e));
  try {
    await run();
  } finally {
    stop();
  }
  return events;
}

const started = (events: SchedulerEvent[]) => events.filter((e): e is ComputeStarted => e.type === 'compute-started');
const finishedOf = (events: SchedulerEvent[]) => events.filter((e): e is ComputeFinished => e.type === 'compute-finished');
const ended = (events: SchedulerEvent[], type: TaskEnded['type']) => events.filter((e): e is TaskEnded => e.type === type);
const samples = (events: SchedulerEvent[]) => events.filter((e): e is WorkerSample => e.type === 'worker-sample');

const frame = () => ddf.readCsv(join(data.dir, '*.csv'));

describe('scheduler events', () => {
  const bySched: Record<string, SchedulerEvent[]> = {};

  for (const scheduler of ['sync', 'threads', 'processes'] as const) {
    it(`${scheduler}: compute-started, a task-finished per task with where and when it ran, compute-finished with the report`, async () => {
      const df = frame();
      const events = await recorded(() => ddf.compute(df.col('x').max(), df.col('y').mean(), { scheduler, numWorkers: 2, inlineBelowBytes: 0, progress: false }));
      bySched[scheduler] = events;
      const finished = finishedOf(events);
      expect(started(events)).toHaveLength(1);
      expect(finished).toHaveLength(1);
      const s = started(events)[0]!;
      expect(s).toMatchObject({ scheduler, workers: scheduler === 'sync' ? 1 : 2, inline: false, workerTasks: FILES, ops: { scan: FILES } });
      expect(s.explain).toMatch(/SharedScan csv 5 files/);
      const tasks = ended(events, 'task-finished');
      expect(tasks).toHaveLength(s.tasks);
      expect(events.indexOf(s)).toBe(0);
      // Nothing of this compute after its end (worker samples may still come).
      expect(events.slice(events.indexOf(finished[0]!) + 1).filter((e) => e.type !== 'worker-sample')).toEqual([]);
      for (const t of tasks) {
        expect(t.compute).toBe(s.id);
        expect(t.ran).not.toBeNull();
        expect(t.ran!.end).toBeGreaterThanOrEqual(t.ran!.start);
        expect(t.ran!.start).toBeGreaterThanOrEqual(s.at - 1);
      }
      const scans = tasks.filter((t) => t.op === 'scan');
      expect(scans).toHaveLength(FILES);
      expect(scans.reduce((a, t) => a + t.metrics.bytesRead, 0)).toBe(ddf.lastComputeReport()!.bytesRead);
      // The report lastComputeReport() gives is the one the events carry.
      expect(finished[0]!.report).toEqual(ddf.lastComputeReport());
      expect(finished[0]!.error).toBeNull();
      const workers = new Set(scans.map((t) => t.ran!.worker));
      const caller = tasks.find((t) => t.local)!.ran!.worker;
      expect(caller).toMatch(new RegExp(`pid ${process.pid} thread \\d+$`));
      if (scheduler === 'sync') expect([...workers]).toEqual([caller]);
      if (scheduler === 'threads') for (const w of workers) expect(w).toMatch(new RegExp(`pid ${process.pid} thread [1-9]\\d*$`));
      if (scheduler === 'processes') for (const w of workers) expect(w).not.toContain(`pid ${process.pid} `);
      // A task-started (a batch's first task) names the worker that then ran it, before it ended.
      const starts = events.filter((e) => e.type === 'task-started');
      expect(starts.length).toBeGreaterThanOrEqual(1);
      if (scheduler === 'sync') expect(starts).toHaveLength(s.workerTasks);
      for (const st of starts) {
        const end = tasks.find((t) => t.key === st.key)!;
        expect(st).toMatchObject({ compute: s.id, op: end.op, label: end.label, worker: end.ran!.worker });
        expect(events.indexOf(st)).toBeLessThan(events.indexOf(end));
        expect(st.at).toBeLessThanOrEqual(end.ran!.start + 5);
      }
      if (scheduler !== 'sync') {
        expect(workers.size).toBeLessThanOrEqual(2);
        // Every worker that ran a task sent memory and CPU samples under the same name.
        const sampled = new Set(samples(events).map((e) => e.worker));
        for (const w of workers) expect(sampled).toContain(w);
        const sample = samples(events).find((e) => e.worker === [...workers][0])!;
        expect(sample).toMatchObject({ kind: scheduler === 'threads' ? 'thread' : 'process' });
        expect(sample.heapUsed).toBeGreaterThan(1e6);
        expect(sample.rss).toBeGreaterThan(sample.heapUsed);
        expect(sample.cpu).toBeGreaterThanOrEqual(0);
      }
    });
  }

  it('the same tasks (keys, ops, labels) end on sync, threads and processes', () => {
    const shape = (events: SchedulerEvent[]) =>
      ended(events, 'task-finished')
        .map((e) => `${e.key} ${e.op} ${e.label} ${e.local}`)
        .sort();
    expect(bySched.sync).toBeDefined();
    expect(shape(bySched.threads!)).toEqual(shape(bySched.sync!));
    expect(shape(bySched.processes!)).toEqual(shape(bySched.sync!));
  });

  it('a failing task: task-failed with its error, then compute-finished with the error; a retried one says so', async () => {
    const boom = ddf.delayed((n: number) => {
      if (n > 0) throw new Error(`boom ${n}`);
      return n;
    });
    const events = await recorded(() => expect(ddf.compute([boom(0), boom(2)], { scheduler: 'threads', numWorkers: 2, retries: 1, progress: false })).rejects.toThrow(/boom 2/));
    const failed = ended(events, 'task-failed');
    expect(failed.map((e) => e.retrying)).toEqual([true, false]);
    expect(failed[0]).toMatchObject({ op: 'call', error: 'boom 2' });
    const [end] = finishedOf(events);
    expect(end).toMatchObject({ error: expect.stringMatching(/boom 2/) });
    expect(end!.report.retries).toBe(1);
  });

  it('the progress bar counts done/total from the events, and prints its final state', async () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const id = schedulerEvents.newComputeId();
    const bar = new ProgressBar(id, 0, stream);
    bar.start();
    const at = Date.now();
    const metrics = { opens: {}, bytesRead: 2e6, bytesDecoded: 0, badLines: 0, badLineSamples: [], bytesSpilled: 0 };
    schedulerEvents.emit({ type: 'compute-started', id, at, scheduler: 'threads', workers: 2, inline: false, tasks: 4, workerTasks: 3, ops: { scan: 3 }, explain: null });
    schedulerEvents.emit({ type: 'compute-started', id: id + 1000, at, scheduler: 'threads', workers: 2, inline: false, tasks: 9, workerTasks: 9, ops: {}, explain: null });
    for (const key of ['a', 'b']) schedulerEvents.emit({ type: 'task-finished', compute: id, key, op: 'scan', label: key, local: false, ran: null, metrics });
    schedulerEvents.emit({ type: 'task-finished', compute: id, key: 'c', op: 'combine', label: 'c', local: true, ran: null, metrics });
    schedulerEvents.emit({ type: 'task-finished', compute: id + 1000, key: 'x', op: 'scan', label: 'x', local: false, ran: null, metrics });
    schedulerEvents.emit({ type: 'compute-progress', compute: id, bytesRead: 5e6 });
    bar.stop();
    expect(lines.at(-1)).toMatch(/\] 2\/3 tasks \| 5\.0 MB read/);
  });

  it('a listener that throws is a warning, not a failed compute', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const stop = schedulerEvents.subscribe(() => {
      throw new Error('broken subscriber');
    });
    try {
      expect(await frame().col('x').max().compute({ scheduler: 'sync' })).toBe(100);
    } finally {
      stop();
    }
    await new Promise((r) => setTimeout(r, 10));
    process.off('warning', onWarning);
    // Once per listener, not once per event.
    expect(warnings.filter((w) => /an event listener threw on 'compute-started': broken subscriber/.test(w))).toHaveLength(1);
    expect(warnings.filter((w) => /broken subscriber/.test(w))).toHaveLength(1);
  });
});
