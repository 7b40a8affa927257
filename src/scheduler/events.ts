import { emptyMetrics, type IoMetrics, mergeMetrics } from '../io/io-metrics.js';
import type { SchedulerName } from '../config.js';
import type { TaskRun } from './task-outcome.js';

/**
 * What the scheduler tells whoever listens: one stream of plain-data events that the compute
 * report, the progress bar, the dashboard and the performance report all read (nothing keeps
 * its own count beside it). Emitting costs nothing while no one listens.
 */

/** What one compute call did: the proof of "one read pass", and numbers for the demo. */
export interface ComputeReport extends IoMetrics {
  scheduler: string;
  workers: number;
  /** The threads or processes scheduler ran this small compute on the calling thread, without its pool (inlineBelowBytes). */
  inline: boolean;
  tasks: number;
  /** Worker tasks: those a pool runs on its workers (sync and inline runs: on the calling thread); the rest are cheap combine steps on the caller's thread. */
  workerTasks: number;
  retries: number;
  wallMs: number;
  /** Tasks that ran on the GPU (fused pipelines, gpu.map, gpu.matmul). */
  gpuTasks: number;
  /** The adapter that ran them; null when none was asked for or found. */
  gpu: string | null;
  /** Why a GPU that was asked for was not used (no adapter), else null. */
  gpuFallback: string | null;
  /** Chunks the GPU kernels ran (a column past the storage-binding limit runs in several). */
  gpuChunks: number;
  /** Worker tasks run per host (the host part of each task run's worker), e.g. { node1: 40, node2: 38 }. */
  tasksPerHost: Record<string, number>;
}

/** The GPU part of a compute report (compute() knows it: placement, adapter, chunk counter). */
export type GpuReport = Pick<ComputeReport, 'gpuTasks' | 'gpu' | 'gpuFallback' | 'gpuChunks'>;

const NO_GPU: GpuReport = { gpuTasks: 0, gpu: null, gpuFallback: null, gpuChunks: 0 };

export interface ComputeStarted {
  type: 'compute-started';
  id: number;
  /** Epoch milliseconds. */
  at: number;
  scheduler: SchedulerName;
  workers: number;
  inline: boolean;
  tasks: number;
  workerTasks: number;
  /** Worker tasks per op ('scan': 8, 'call': 100), for the progress per op. */
  ops: Record<string, number>;
  /** The optimized plan as explain() prints it; null when the caller gave none (a bare task graph). */
  explain: string | null;
}

/**
 * A task started on a worker: at a batch's start, its first task (the others' times come with
 * their ends). Pools and sync say so; the dashboard draws it as running.
 */
export interface TaskStarted {
  type: 'task-started';
  compute: number;
  key: string;
  op: string;
  label: string;
  /** As in TaskRun.worker. */
  worker: string;
  at: number;
}

/** A task that ran, or failed; `local` ones are cheap steps on the calling thread. */
export interface TaskEnded {
  type: 'task-finished' | 'task-failed';
  compute: number;
  key: string;
  op: string;
  label: string;
  local: boolean;
  /** Where and when it ran (absent when its worker died before saying so). */
  ran: TaskRun | null;
  metrics: IoMetrics;
  /** For a failure: its message, and whether the task goes back to the queue (retries). */
  error?: string;
  retrying?: boolean;
}

/** Bytes read so far by a compute's tasks, live (a few times a second while it runs). */
export interface ComputeProgress {
  type: 'compute-progress';
  compute: number;
  bytesRead: number;
}

/** One worker thread's or process's memory and CPU at a moment. */
export interface WorkerSample {
  type: 'worker-sample';
  /** As in TaskRun.worker: 'host pid 123 thread 4'. */
  worker: string;
  kind: 'thread' | 'process';
  at: number;
  /** The process's resident memory (threads of one process share it). */
  rss: number;
  /** This thread's (or process's) V8 heap. */
  heapUsed: number;
  heapTotal: number;
  /** Memory outside the V8 heap held by JS objects (ArrayBuffers, typed arrays). */
  external: number;
  /**
   * Busy share since the previous sample, in cores: a process's CPU time (all its threads, so
   * it can pass 1), a thread's event-loop busy time, 0..1 (Node 20 has no per-thread CPU clock).
   */
  cpu: number;
}

export interface ComputeFinished {
  type: 'compute-finished';
  id: number;
  at: number;
  report: ComputeReport;
  /** The error that stopped it, or null. */
  error: string | null;
}

export type SchedulerEvent = ComputeStarted | TaskStarted | TaskEnded | ComputeProgress | WorkerSample | ComputeFinished;
export type SchedulerListener = (event: SchedulerEvent) => void;

const listeners = new Set<SchedulerListener>();
/** Listeners that threw once already (warned about once, not at every event). */
const warned = new WeakSet<SchedulerListener>();
let nextComputeId = 1;

export const schedulerEvents = {
  /** Calls `listener` with every event from now on; returns the function that stops it. */
  subscribe(listener: SchedulerListener): () => void {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  },
  /** Whether anyone listens (events that cost something to build are skipped otherwise). */
  get active(): boolean {
    return listeners.size > 0;
  },
  emit(event: SchedulerEvent): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (err) {
        // A broken subscriber (a dashboard) must not fail the compute it watches.
        if (warned.has(listener)) continue;
        warned.add(listener);
        process.emitWarning(`dusk: an event listener threw on '${event.type}': ${(err as Error)?.message ?? String(err)}`, 'DuskDiagnosticsWarning');
      }
    }
  },
  /** A fresh id for a compute call (ids increase within a process). */
  newComputeId(): number {
    return nextComputeId++;
  },
};

/** The host part of a task run's worker ('node1 pid 12 thread 3' → 'node1'). */
export function hostOf(worker: string): string {
  const at = worker.indexOf(' pid ');
  return at < 0 ? worker : worker.slice(0, at);
}

/**
 * The compute report as a fold of one compute's events: what run-graph returns and
 * lastComputeReport() gives, from the same events the dashboard reads.
 */
export class ComputeRecorder {
  private readonly metrics = emptyMetrics();
  private started: ComputeStarted | null = null;
  private retries = 0;
  private readonly tasksPerHost: Record<string, number> = {};

  constructor(readonly id: number) {}

  readonly handle = (event: SchedulerEvent): void => {
    if (event.type === 'compute-started' && event.id === this.id) this.started = event;
    else if ((event.type === 'task-finished' || event.type === 'task-failed') && event.compute === this.id) {
      mergeMetrics(this.metrics, event.metrics);
      if (event.retrying) this.retries++;
      if (event.ran && !event.local) {
        const host = hostOf(event.ran.worker);
        this.tasksPerHost[host] = (this.tasksPerHost[host] ?? 0) + 1;
      }
    }
  };

  report(wallMs: number, gpu: GpuReport = NO_GPU): ComputeReport {
    const s = this.started;
    if (!s) throw new Error(`dusk: compute ${this.id} reported before it started (a bug in Dusk)`);
    return { ...this.metrics, scheduler: s.scheduler, workers: s.workers, inline: s.inline, tasks: s.tasks, workerTasks: s.workerTasks, retries: this.retries, wallMs, ...gpu, tasksPerHost: { ...this.tasksPerHost } };
  }
}
