import { type ComputeReport, type SchedulerEvent, schedulerEvents, type WorkerSample } from '../scheduler/events.js';
import { now, WORKER } from '../scheduler/run-invocation.js';
import { workerSampler } from '../scheduler/worker-sample.js';

/**
 * What the dashboard and the performance report show, kept from the scheduler's events:
 * recent computes with their progress, workers with their memory and CPU, recent tasks.
 * This is `/api/state` (plain JSON).
 */
export interface DiagnosticsState {
  /** Epoch ms when observing began, and of this snapshot. */
  startedAt: number;
  now: number;
  /** The process that computes: 'host pid N thread 0' (its own tasks and samples carry this name). */
  caller: string;
  computes: ComputeView[];
  workers: WorkerView[];
  /** Recent tasks, oldest first (worker tasks and combine steps on the calling thread). */
  tasks: TaskView[];
  /** Tasks running now on workers (a batch's first task: the others show when they end). */
  running: RunningTask[];
  /** Bytes read by running computes, summed, over time (MB/s is the slope). */
  bytes: { at: number; bytesRead: number }[];
}

export interface ComputeView {
  id: number;
  scheduler: string;
  workers: number;
  inline: boolean;
  /** Worker tasks: the progress is done/total of these. */
  total: number;
  done: number;
  failed: number;
  /** Worker tasks per op. */
  ops: Record<string, number>;
  bytesRead: number;
  startedAt: number;
  finishedAt: number | null;
  explain: string | null;
  report: ComputeReport | null;
  error: string | null;
}

export interface WorkerView {
  /** 'host pid N thread T', as tasks' `worker`. */
  name: string;
  kind: 'thread' | 'process';
  tasks: number;
  busyMs: number;
  samples: Omit<WorkerSample, 'type' | 'worker' | 'kind'>[];
}

export interface TaskView {
  /** Increases by one per task observed (clients merge updates by it). */
  seq: number;
  compute: number;
  key: string;
  op: string;
  label: string;
  local: boolean;
  ok: boolean;
  worker: string;
  start: number;
  end: number;
  bytesRead: number;
}

export interface RunningTask {
  compute: number;
  key: string;
  op: string;
  label: string;
  worker: string;
  start: number;
}

export interface ObserverLimits {
  /** Tasks kept (the oldest go first). Default 5,000. */
  tasks?: number;
  /** Computes kept. Default 20. */
  computes?: number;
  /** Samples kept per worker and bytes points kept. Default 600 (5 minutes at two a second). */
  samples?: number;
}

/**
 * Subscribes to the scheduler's events and keeps a bounded picture of them. While a compute
 * runs it also samples the calling process (with the sync scheduler, the tasks run there).
 */
export class Observer {
  private readonly state: DiagnosticsState;
  private readonly limits: Required<ObserverLimits>;
  private readonly byCompute = new Map<number, ComputeView>();
  private readonly byWorker = new Map<string, WorkerView>();
  private readonly unsubscribe: () => void;
  private readonly sampleCaller = workerSampler('process');
  private readonly callerTimer: NodeJS.Timeout;
  private seq = 0;
  private running = 0;
  /** Bumped on every change, so a publisher can skip an unchanged state. */
  version = 0;

  constructor(limits: ObserverLimits = {}) {
    this.limits = { tasks: limits.tasks ?? 5000, computes: limits.computes ?? 20, samples: limits.samples ?? 600 };
    this.state = { startedAt: now(), now: now(), caller: WORKER, computes: [], workers: [], tasks: [], running: [], bytes: [] };
    this.unsubscribe = schedulerEvents.subscribe(this.handle);
    this.callerTimer = setInterval(() => {
      if (this.running > 0) this.handle(this.sampleCaller());
    }, 500);
    this.callerTimer.unref();
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.callerTimer);
  }

  /** The picture now (the live objects: serialize it, do not keep it). */
  snapshot(): DiagnosticsState {
    this.state.now = now();
    return this.state;
  }

  private worker(name: string, kind: WorkerView['kind']): WorkerView {
    let w = this.byWorker.get(name);
    if (!w) {
      w = { name, kind, tasks: 0, busyMs: 0, samples: [] };
      this.byWorker.set(name, w);
      this.state.workers.push(w);
    }
    return w;
  }

  private pushBytes(at: number): void {
    let total = 0;
    for (const c of this.state.computes) total += c.bytesRead;
    const points = this.state.bytes;
    const last = points[points.length - 1];
    if (last && last.bytesRead === total && at - last.at < 1000) return;
    points.push({ at, bytesRead: total });
    if (points.length > this.limits.samples) points.splice(0, points.length - this.limits.samples);
  }

  readonly handle = (event: SchedulerEvent): void => {
    this.version++;
    switch (event.type) {
      case 'compute-started': {
        const view: ComputeView = { id: event.id, scheduler: event.scheduler, workers: event.workers, inline: event.inline, total: event.workerTasks, done: 0, failed: 0, ops: event.ops, bytesRead: 0, startedAt: event.at, finishedAt: null, explain: event.explain, report: null, error: null };
        // Bytes of earlier computes stay in the running total (the chart's line does not drop).
        this.byCompute.set(event.id, view);
        this.state.computes.push(view);
        if (this.state.computes.length > this.limits.computes) this.byCompute.delete(this.state.computes.shift()!.id);
        this.running++;
        this.pushBytes(event.at);
        this.handle(this.sampleCaller());
        return;
      }
      case 'compute-progress': {
        const c = this.byCompute.get(event.compute);
        if (!c || event.bytesRead <= c.bytesRead) return;
        c.bytesRead = event.bytesRead;
        this.pushBytes(now());
        return;
      }
      case 'task-started': {
        if (!this.byCompute.has(event.compute)) return;
        this.state.running = this.state.running.filter((r) => r.worker !== event.worker);
        this.state.running.push({ compute: event.compute, key: event.key, op: event.op, label: event.label, worker: event.worker, start: event.at });
        return;
      }
      case 'task-finished':
      case 'task-failed': {
        const c = this.byCompute.get(event.compute);
        if (this.state.running.length) this.state.running = this.state.running.filter((r) => r.key !== event.key || r.compute !== event.compute);
        const final = event.type === 'task-finished' || !event.retrying;
        if (c && !event.local && final) {
          if (event.type === 'task-finished') c.done++;
          else c.failed++;
        }
        if (!event.ran) return;
        const { worker, start, end } = event.ran;
        if (!event.local) {
          const w = this.worker(worker, worker === WORKER ? 'process' : 'thread');
          w.tasks++;
          w.busyMs += end - start;
        }
        this.state.tasks.push({ seq: ++this.seq, compute: event.compute, key: event.key, op: event.op, label: event.label, local: event.local, ok: event.type === 'task-finished', worker, start, end, bytesRead: event.metrics.bytesRead });
        if (this.state.tasks.length > this.limits.tasks) this.state.tasks.splice(0, this.state.tasks.length - this.limits.tasks);
        return;
      }
      case 'worker-sample': {
        const w = this.worker(event.worker, event.kind);
        w.kind = event.kind;
        const { type: _t, worker: _w, kind: _k, ...sample } = event;
        w.samples.push(sample);
        if (w.samples.length > this.limits.samples) w.samples.splice(0, w.samples.length - this.limits.samples);
        return;
      }
      case 'compute-finished': {
        const c = this.byCompute.get(event.id);
        if (!c) return;
        c.finishedAt = event.at;
        this.state.running = this.state.running.filter((r) => r.compute !== event.id);
        c.report = event.report;
        c.error = event.error;
        c.bytesRead = Math.max(c.bytesRead, event.report.bytesRead);
        this.pushBytes(event.at);
        this.running = Math.max(0, this.running - 1);
        this.handle(this.sampleCaller());
        return;
      }
    }
  };
}
