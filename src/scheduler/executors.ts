import { resolveOptions, type ResolvedComputeOptions, type SchedulerName } from '../config.js';
import { DuskSchemaError } from '../core/errors.js';
import type { Executor } from './executor.js';
import { ProcessesExecutor } from './processes-executor.js';
import { SyncExecutor } from './sync-executor.js';
import { ThreadsExecutor } from './threads-executor.js';

/** Pools are started once and reused by later compute calls with the same settings. */
const pools = new Map<string, Executor>();

/** Every executor made here (pools, clients' own), weakly: unshareEverywhere reaches them all. */
const made = new Set<WeakRef<Executor>>();

/** A new executor (a Client owns its own). */
export function createExecutor(scheduler: SchedulerName, workers: number): Executor {
  const executor = newExecutor(scheduler, workers);
  made.add(new WeakRef(executor));
  return executor;
}

function newExecutor(scheduler: SchedulerName, workers: number): Executor {
  // A Client.local({ scheduler: 'distributed' }) from plain JavaScript gets the open client's, or the error saying to connect.
  switch (scheduler) {
    case 'sync':
      return new SyncExecutor();
    case 'threads':
      return new ThreadsExecutor(workers);
    case 'processes':
      return new ProcessesExecutor(workers);
    case 'distributed':
      return distributedClient();
  }
}

/** The executor of the open distributed client (Client.connect): what scheduler 'distributed' means. */
let openDistributed: Executor | null = null;

/** @internal Client.connect registers its executor; close() unregisters it. */
export function setDistributedExecutor(executor: Executor | null): void {
  openDistributed = executor;
}

function distributedClient(): Executor {
  if (openDistributed === null) {
    throw new DuskSchemaError(
      "scheduler 'distributed' needs an open client: const client = await ddf.Client.connect('redis://host:6379') first, with workers started by npx dusk worker --redis redis://host:6379",
    );
  }
  return openDistributed;
}

/**
 * Makes every executor and its workers forget a shared value (DataFrame.unpersist): the
 * memory is freed once no thread or process holds it any more (each heap's garbage collector).
 */
export function unshareEverywhere(key: string): void {
  for (const ref of made) {
    const executor = ref.deref();
    if (executor === undefined) made.delete(ref);
    else executor.unshare?.(key);
  }
  for (const executor of inlineExecutors.values()) executor.unshare?.(key);
}

/**
 * How many workers a plan made now (readCsv's partitions) should feed: an open distributed
 * client's registered worker threads when it is the default scheduler, else config numWorkers.
 */
export function plannedWorkers(): number {
  const options = resolveOptions({});
  return options.scheduler === 'distributed' && openDistributed !== null ? openDistributed.workers : options.numWorkers;
}

/** The shared pool for compute calls with these options (started on first use). */
export function executorFor(options: ResolvedComputeOptions): Executor {
  // The open client's, never a pool of its own: its workers are elsewhere.
  if (options.scheduler === 'distributed') return distributedClient();
  const id = `${options.scheduler}:${options.numWorkers}`;
  let executor = pools.get(id);
  if (!executor) {
    executor = createExecutor(options.scheduler, options.numWorkers);
    pools.set(id, executor);
  }
  return executor;
}

const inlineExecutors = new Map<SchedulerName, Executor>();

/** Runs a small compute of `scheduler` on the calling thread, as the sync scheduler does (no pool starts). */
export function inlineExecutorFor(scheduler: SchedulerName): Executor {
  let executor = inlineExecutors.get(scheduler);
  if (!executor) {
    executor = new SyncExecutor(scheduler, true);
    inlineExecutors.set(scheduler, executor);
  }
  return executor;
}

/** Stops every worker pool (idle pools do not keep the process alive, so this is optional). */
export async function shutdown(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((e) => e.close()));
}
