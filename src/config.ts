import { availableParallelism, totalmem } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { DuskSchemaError } from './core/errors.js';
import { checkOptions, type ListsEveryKey } from './core/options.js';
import { isPlainObject } from './core/plain-object.js';

export type SchedulerName = 'sync' | 'threads' | 'processes' | 'distributed';

/** Options of every compute call; `config.set` changes the defaults, per-call options override. */
export interface ComputeOptions {
  /** Where tasks run. Default 'threads' (a worker-thread pool). */
  scheduler?: SchedulerName;
  /** Workers in the pool. Default: DUSK_NUM_WORKERS, else os.availableParallelism(). */
  numWorkers?: number;
  /**
   * Tasks sent to a worker at a time: 1 = dynamic allocation (a worker gets the next task when
   * it is free), n > 1 = static batches. 'auto' (default): 1 for partitions and for few tasks;
   * for many more function calls than workers, about 4 batches per worker.
   */
  chunksize?: number | 'auto';
  /** Times a task is retried after its worker died or it failed unexpectedly. Default 0. */
  retries?: number;
  /** Progress bar on stderr: 'auto' (default) shows it on a TTY for computes over a second. */
  progress?: boolean | 'auto';
  /**
   * Computes that read less than this many bytes (compressed files weighted by their decoding
   * cost) and run no user functions run on the calling thread, as the sync scheduler does,
   * without starting the pool: starting a worker costs more than reading a small file. The
   * compute report says `inline: true`. 0 turns it off. Default 4 MiB.
   */
  inlineBelowBytes?: number;
  /**
   * Bytes of shuffled rows (joins, dropDuplicates, shuffle, sort) held in memory at once; beyond
   * it, each map task writes its buckets to a scratch file under os.tmpdir(), read back by the
   * task that needs them and removed when the compute ends (also when it fails). Default: a
   * quarter of the machine's memory.
   */
  shuffleMemory?: number;
  /**
   * Where row pipelines and reductions run. 'gpu': on the GPU (WebGPU) wherever the expression
   * IR allows, the rest on the CPU workers (explain() says which ran where); 'auto' (default):
   * only expressions marked expr.onDevice('gpu') and ddf.gpu.map/matmul values; 'cpu': never.
   * Without a GPU adapter everything runs on the CPU workers, with one line on stderr saying so
   * when a GPU was asked for.
   */
  device?: 'auto' | 'gpu' | 'cpu';
  /**
   * Let float64 columns go to the GPU as f32 (the GPU computes in f32): each value is rounded
   * to 24 bits (relative error ≤ 2^-24 ≈ 6e-8) and each operation adds about that much (a few
   * ulp for exp/log/sin/cos). Default false: pipelines over float64 columns stay on the CPU.
   */
  gpuFloat32?: boolean;
  /**
   * Opens the live dashboard (ddf.dashboard()) at the first compute and prints its URL on
   * stderr: true for 127.0.0.1 on a free port, or { port, host } (a host other than loopback
   * lets other machines read it). Default false.
   */
  dashboard?: boolean | DashboardOptions;
}

/** Where the dashboard listens (ddf.dashboard(options)). */
export interface DashboardOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default '127.0.0.1'. The page is read-only, but anything else (such as '0.0.0.0') lets other machines see task names, file paths and plans: only when asked. */
  host?: string;
}

/** Every ComputeOptions key (checked against the interface both ways). */
export const COMPUTE_OPTION_KEYS = ['scheduler', 'numWorkers', 'chunksize', 'retries', 'progress', 'inlineBelowBytes', 'shuffleMemory', 'device', 'gpuFloat32', 'dashboard'] as const satisfies readonly (keyof ComputeOptions)[];
true satisfies ListsEveryKey<ComputeOptions, typeof COMPUTE_OPTION_KEYS>;

/** Spellings of numWorkers used elsewhere (Client.local's nWorkers, the CLI's --workers). */
const COMPUTE_OPTION_ALIASES: Record<string, keyof ComputeOptions> = { workers: 'numWorkers', nWorkers: 'numWorkers' };

/** Reading 4 MiB of plain CSV costs a few to ~25 ms of CPU; starting a worker thread ~85 ms (bench/README.md, Start-up). */
export const DEFAULT_INLINE_BELOW_BYTES = 4 << 20;

export type ResolvedComputeOptions = Required<ComputeOptions>;

function defaultWorkers(): number {
  const fromEnv = process.env.DUSK_NUM_WORKERS;
  if (fromEnv !== undefined && fromEnv !== '') {
    const n = Number(fromEnv);
    if (!Number.isInteger(n) || n < 1) throw new DuskSchemaError(`DUSK_NUM_WORKERS must be a positive integer, got '${fromEnv}'`);
    return n;
  }
  return availableParallelism();
}

/** True in Dusk's worker threads and processes. */
export function insideWorker(): boolean {
  return !isMainThread || process.env.DUSK_WORKER_PROCESS === '1';
}

let current: ComputeOptions = {};
/** The scheduler computes use when neither the call nor config.set names one: an open distributed client makes itself the default, as Dask's Client does. */
let defaultScheduler: SchedulerName | null = null;

/** @internal Set by Client.connect (and cleared by its close()). */
export function setDefaultScheduler(name: SchedulerName | null): void {
  defaultScheduler = name;
}

/** Every scheduler name (the CLI's --scheduler takes these too). */
export const SCHEDULERS = ['sync', 'threads', 'processes', 'distributed'] as const satisfies readonly SchedulerName[];
true satisfies ListsEveryKey<Record<SchedulerName, unknown>, typeof SCHEDULERS>;

/** Checks compute options; `where` names the call in errors ('config.set', 'compute', …). */
export function validateComputeOptions(options: ComputeOptions, where: string): void {
  checkOptions(where, options, COMPUTE_OPTION_KEYS, { aliases: COMPUTE_OPTION_ALIASES });
  if (options === undefined) return;
  if (options.scheduler !== undefined && !(SCHEDULERS as readonly string[]).includes(options.scheduler)) {
    throw new DuskSchemaError(`scheduler must be one of ${SCHEDULERS.join(', ')}; got '${String(options.scheduler)}'`);
  }
  for (const key of ['numWorkers', 'chunksize'] as const) {
    const v = options[key];
    if (v !== undefined && v !== 'auto' && (!Number.isInteger(v) || v < 1)) throw new DuskSchemaError(`${key} must be a positive integer${key === 'chunksize' ? " or 'auto'" : ''}, got ${v}`);
  }
  if (options.retries !== undefined && (!Number.isInteger(options.retries) || options.retries < 0)) {
    throw new DuskSchemaError(`retries must be a non-negative integer, got ${options.retries}`);
  }
  const inline = options.inlineBelowBytes;
  if (inline !== undefined && (typeof inline !== 'number' || !(Number.isInteger(inline) || inline === Infinity) || inline < 0)) {
    throw new DuskSchemaError(`inlineBelowBytes must be a non-negative integer (0 = never run inline), got ${String(inline)}`);
  }
  if (options.device !== undefined && !['auto', 'gpu', 'cpu'].includes(options.device)) throw new DuskSchemaError(`device must be 'auto', 'gpu' or 'cpu'; got '${String(options.device)}'`);
  if (options.gpuFloat32 !== undefined && typeof options.gpuFloat32 !== 'boolean') throw new DuskSchemaError(`gpuFloat32 must be true or false; got ${String(options.gpuFloat32)}`);
  const dash = options.dashboard;
  if (dash !== undefined && typeof dash !== 'boolean') {
    if (!isPlainObject(dash)) throw new DuskSchemaError(`dashboard must be true, false or { port, host }, got ${String(dash)}`);
    checkDashboardOptions(dash, `${where} dashboard`);
  }
  const shuffle = options.shuffleMemory;
  if (shuffle !== undefined && (typeof shuffle !== 'number' || !(Number.isInteger(shuffle) || shuffle === Infinity) || shuffle < 0)) {
    throw new DuskSchemaError(`shuffleMemory must be a number of bytes (0: always write shuffled rows to scratch files; Infinity: never), got ${String(shuffle)}`);
  }
}

/** Checks ddf.dashboard()'s options (also config's `dashboard: { port, host }`). */
export function checkDashboardOptions(options: DashboardOptions, where: string): void {
  checkOptions(where, options, DASHBOARD_OPTION_KEYS);
  const { port, host } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new DuskSchemaError(`${where}: port must be an integer from 0 (a free port) to 65535, got ${String(port)}`);
  if (host !== undefined && (typeof host !== 'string' || host === '')) throw new DuskSchemaError(`${where}: host must be a non-empty string such as '127.0.0.1', got ${String(host)}`);
}
const DASHBOARD_OPTION_KEYS = ['port', 'host'] as const satisfies readonly (keyof DashboardOptions)[];
true satisfies ListsEveryKey<DashboardOptions, typeof DASHBOARD_OPTION_KEYS>;

/** Global defaults for compute calls, like dask.config.set(scheduler=..., num_workers=...). */
export const config = {
  set(options: ComputeOptions): void {
    validateComputeOptions(options, 'config.set');
    current = { ...current, ...options };
  },
  get(): ResolvedComputeOptions {
    return resolveOptions({});
  },
  reset(): void {
    current = {};
  },
};

export function resolveOptions(perCall: ComputeOptions, where = 'compute'): ResolvedComputeOptions {
  validateComputeOptions(perCall, where);
  const merged = { ...current, ...perCall };
  return {
    // Inside a worker, nested computes run inline: a task that computes a graph never waits for its own pool.
    scheduler: merged.scheduler ?? (insideWorker() ? 'sync' : (defaultScheduler ?? 'threads')),
    numWorkers: merged.numWorkers ?? defaultWorkers(),
    chunksize: merged.chunksize ?? 'auto',
    retries: merged.retries ?? 0,
    progress: merged.progress ?? 'auto',
    inlineBelowBytes: merged.inlineBelowBytes ?? DEFAULT_INLINE_BELOW_BYTES,
    shuffleMemory: merged.shuffleMemory ?? Math.floor(totalmem() / 4),
    device: merged.device ?? 'auto',
    gpuFloat32: merged.gpuFloat32 ?? false,
    // Never from inside a worker: a task's nested compute does not open a page.
    dashboard: insideWorker() ? false : (merged.dashboard ?? false),
  };
}
