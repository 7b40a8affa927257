import { availableParallelism } from 'node:os';
import { DuskSchemaError } from './errors.js';

export type SchedulerName = 'sync' | 'threads' | 'processes' | 'distributed';

/** Options of every compute call; `config.set` changes the defaults, per-call options override. */
export interface ComputeOptions {
  /** Where tasks run. Default 'threads' (a worker-thread pool). */
  scheduler?: SchedulerName;
  /** Workers in the pool. Default: DUSK_NUM_WORKERS, else os.availableParallelism(). */
  numWorkers?: number;
  /** Tasks sent to a worker at a time: 1 = dynamic allocation; larger = static batches. */
  chunksize?: number;
  /** Times a task is retried after its worker died or it failed unexpectedly. Default 0. */
  retries?: number;
  /** Progress bar on stderr: 'auto' (default) shows it on a TTY for computes over a second. */
  progress?: boolean | 'auto';
}

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

let current: ComputeOptions = {};

const SCHEDULERS: readonly SchedulerName[] = ['sync', 'threads', 'processes', 'distributed'];

function validate(options: ComputeOptions): void {
  if (options.scheduler !== undefined && !SCHEDULERS.includes(options.scheduler)) {
    throw new DuskSchemaError(`scheduler must be one of ${SCHEDULERS.join(', ')}; got '${String(options.scheduler)}'`);
  }
  for (const key of ['numWorkers', 'chunksize'] as const) {
    const v = options[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new DuskSchemaError(`${key} must be a positive integer, got ${v}`);
  }
  if (options.retries !== undefined && (!Number.isInteger(options.retries) || options.retries < 0)) {
    throw new DuskSchemaError(`retries must be a non-negative integer, got ${options.retries}`);
  }
}

/** Global defaults for compute calls, like dask.config.set(scheduler=..., num_workers=...). */
export const config = {
  set(options: ComputeOptions): void {
    validate(options);
    current = { ...current, ...options };
  },
  get(): ResolvedComputeOptions {
    return resolveOptions({});
  },
  reset(): void {
    current = {};
  },
};

export function resolveOptions(perCall: ComputeOptions): ResolvedComputeOptions {
  validate(perCall);
  const merged = { ...current, ...perCall };
  return {
    scheduler: merged.scheduler ?? 'threads',
    numWorkers: merged.numWorkers ?? defaultWorkers(),
    chunksize: merged.chunksize ?? 1,
    retries: merged.retries ?? 0,
    progress: merged.progress ?? 'auto',
  };
}
