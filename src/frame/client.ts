import { availableParallelism } from 'node:os';
import { type ComputeOptions, type SchedulerName } from '../config.js';
import { DuskSchemaError } from '../core/errors.js';
import type { Executor } from '../scheduler/executor.js';
import { createExecutor, setDistributedExecutor } from '../scheduler/executors.js';
import { setDefaultScheduler } from '../config.js';
// Types only: BullMQ and ioredis load (half a second) when a client connects, not with 'dusk'.
import type { DistributedOptions } from '../scheduler/distributed/distributed-executor.js';
import { type Computed, computeLazies, computeStructure } from './compute.js';
import { type Arg, callPlan, Delayed, type DelayedFunction, type DelayedOptions, type LazyArgs, mergeOptions, unwrapDelayed } from './delayed.js';
import { Future } from './future.js';
import { Shared } from './shared.js';
import { isPlainObject } from '../core/plain-object.js';
import { checkOptions, type ListsEveryKey } from '../core/options.js';
import { DELAYED_OPTION_KEYS } from './delayed-options.js';

export interface ClientOptions {
  /** Workers in this client's pool. Default: DUSK_NUM_WORKERS, else every core. */
  nWorkers?: number;
  /** 'threads' (default) shares memory; 'processes' gives each worker its own copy of data. */
  scheduler?: Exclude<SchedulerName, 'distributed'>;
  /** Progress bar for long runs: 'auto' (a terminal, over a second), true, false. */
  progress?: boolean | 'auto';
  retries?: number;
}

export interface MapOptions extends DelayedOptions {
  /** Items sent to a worker at a time: 1 = dynamic, n = static batches; 'auto' by default. */
  chunksize?: number | 'auto';
}

export interface ConnectOptions extends DistributedOptions {
  /** Progress bar for long runs: 'auto' (a terminal, over a second), true, false. */
  progress?: boolean | 'auto';
  /** Times a task is run again after its worker died (its job stalled) or it failed unexpectedly. Default 0. */
  retries?: number;
  /** Make scheduler 'distributed' (this client) the default of ddf.compute and .compute() while it is open, as Dask's Client does. Default true. */
  setAsDefault?: boolean;
}

const CONNECT_OPTION_KEYS = ['queue', 'redis', 'checkEviction', 'resultTtlMs', 'connectTimeoutMs', 'lostAfterMs', 'waitForWorkers', 'progress', 'retries', 'setAsDefault'] as const satisfies readonly (keyof ConnectOptions)[];
true satisfies ListsEveryKey<ConnectOptions, typeof CONNECT_OPTION_KEYS>;

/** Every ClientOptions and MapOptions key (checked against the interfaces both ways). */
const CLIENT_OPTION_KEYS = ['nWorkers', 'scheduler', 'progress', 'retries'] as const satisfies readonly (keyof ClientOptions)[];
true satisfies ListsEveryKey<ClientOptions, typeof CLIENT_OPTION_KEYS>;
const MAP_OPTION_KEYS = [...DELAYED_OPTION_KEYS, 'chunksize'] as const satisfies readonly (keyof MapOptions)[];
true satisfies ListsEveryKey<MapOptions, typeof MAP_OPTION_KEYS>;
/** ddf.config's and Dask's names for nWorkers. */
const CLIENT_OPTION_ALIASES = { numWorkers: 'nWorkers', workers: 'nWorkers', n_workers: 'nWorkers' };


/**
 * Whether futures are among the arguments. A cyclic argument answers false: planning it then
 * fails, naming where the cycle closes (walking it here would never end).
 */
function containsFuture(value: unknown, ancestors = new Set<object>()): boolean {
  if (value instanceof Future) return true;
  if (!Array.isArray(value) && !isPlainObject(value)) return false;
  if (ancestors.has(value)) throw new CycleFound();
  ancestors.add(value);
  try {
    return (Array.isArray(value) ? value : Object.values(value)).some((v) => containsFuture(v, ancestors));
  } catch (err) {
    if (err instanceof CycleFound && ancestors.size === 1) return false;
    throw err;
  } finally {
    ancestors.delete(value);
  }
}
class CycleFound extends Error {}

/** The arguments with each future replaced by null (own keys kept: '__proto__' stays a key). */
function withoutFutures(value: unknown): unknown {
  if (value instanceof Future) return null;
  if (Array.isArray(value)) return value.map(withoutFutures);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutFutures(v)]));
  return value;
}

/** Resolves futures inside arguments (a future's result becomes the argument). */
async function awaitFutures(value: unknown): Promise<unknown> {
  if (value instanceof Future) return await value;
  if (Array.isArray(value)) return Promise.all(value.map(awaitFutures));
  if (isPlainObject(value)) return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await awaitFutures(v)])));
  return value;
}

/**
 * A pool of workers of its own and the futures API (like dask.distributed's Client):
 *   const client = await ddf.Client.local({ nWorkers: 4 });
 *   const futs = client.map(cvFit, folds);  const results = await client.gather(futs);
 * submit/map start work at once and return futures (non-blocking); gather and await block.
 */
export class Client {
  private constructor(
    private readonly executor: Executor,
    private readonly defaults: ComputeOptions,
    /** Set for the client that made itself the default scheduler (Client.connect). */
    private isDefault = false,
  ) {}

  static async local(options: ClientOptions = {}): Promise<Client> {
    checkOptions('Client.local', options, CLIENT_OPTION_KEYS, { aliases: CLIENT_OPTION_ALIASES });
    const scheduler = options.scheduler ?? 'threads';
    if ((scheduler as string) === 'distributed') throw new DuskSchemaError("Client.local runs workers on this machine; for the distributed scheduler use await ddf.Client.connect('redis://host:6379')");
    const nWorkers = options.nWorkers ?? (Number(process.env.DUSK_NUM_WORKERS) || availableParallelism());
    const executor = createExecutor(scheduler, nWorkers);
    return new Client(executor, { scheduler, numWorkers: nWorkers, progress: options.progress ?? 'auto', retries: options.retries ?? 0 });
  }

  /**
   * Connects to the workers of a cluster through Redis (the distributed scheduler, BullMQ):
   *   const client = await ddf.Client.connect('redis://host:6379');
   * Workers are started on each node with `npx dusk worker --redis redis://host:6379`. While the
   * client is open, scheduler 'distributed' (the default then) runs computes on them.
   * Redis AUTH and TLS: redis://:password@host:port, rediss://…, or ioredis options in `redis`.
   */
  static async connect(address: string, options: ConnectOptions = {}): Promise<Client> {
    checkOptions('Client.connect', options, CONNECT_OPTION_KEYS);
    const { progress, retries, setAsDefault, ...distributed } = options;
    const { DistributedExecutor } = await import('../scheduler/distributed/distributed-executor.js');
    const executor = await DistributedExecutor.open(address, distributed);
    const isDefault = setAsDefault ?? true;
    if (isDefault) {
      setDistributedExecutor(executor);
      setDefaultScheduler('distributed');
    }
    return new Client(executor, { scheduler: 'distributed', progress: progress ?? 'auto', retries: retries ?? 0 }, isDefault);
  }

  get nWorkers(): number {
    return this.executor.workers;
  }

  get scheduler(): string {
    return this.executor.name;
  }

  /**
   * Runs fn(...args) on a worker now; returns its future. Equal calls share a key (pure by
   * default, as in Dask). fn may be a ddf.delayed function: its own function runs, with its options.
   */
  submit<A extends unknown[], R>(fn: DelayedFunction<A, R>, ...args: LazyArgs<A>): Future<Awaited<R>>;
  submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: LazyArgs<A>): Future<Awaited<R>>;
  submit(fn: unknown, ...args: unknown[]): Future<unknown> {
    return this.mapCalls<unknown>(fn, [args], {}, 'client.submit()')[0]!;
  }

  /**
   * Runs fn on every item now (one call per item); returns their futures in item order. Pure by
   * default, as in Dask. fn may be a ddf.delayed function: its own function runs, with its options
   * (those given here win).
   */
  map<T, R>(fn: DelayedFunction<[T], R>, items: Iterable<NoInfer<Arg<T>>>, options?: MapOptions): Future<Awaited<R>>[];
  map<T, R>(fn: (item: T) => R, items: Iterable<NoInfer<Arg<T>>>, options?: MapOptions): Future<Awaited<R>>[];
  map(fn: unknown, items: Iterable<unknown>, options: MapOptions = {}): Future<unknown>[] {
    checkOptions('client.map', options, MAP_OPTION_KEYS);
    return this.mapCalls<unknown>(fn, [...items].map((item) => [item]), options, 'client.map()');
  }

  private mapCalls<R>(wrapped: unknown, argLists: unknown[][], mapOptions: MapOptions, what: string): Future<R>[] {
    // A ddf.delayed function runs as the function it wraps (its Delayed wrapper cannot be shipped).
    const inner = unwrapDelayed(wrapped);
    const fn = inner ? inner.fn : wrapped;
    const options = inner ? mergeOptions<MapOptions>(inner.options, mapOptions) : mapOptions;
    // Plan every call first, so an unshippable function or argument fails here, synchronously
    // (futures, whose results are checked when they are in, stand aside for now).
    const plans = argLists.map((args) => callPlan(fn, containsFuture(args) ? (withoutFutures(args) as unknown[]) : args, options, what, true));
    const futures = argLists.map(() => new Future<R>(''));
    void (async () => {
      // A call with futures among its arguments is planned again with their results. (Plans,
      // not Delayed values, come out of the async step: a Delayed is PromiseLike and would be computed.)
      const ready = await Promise.all(
        argLists.map(async (args, i) => (containsFuture(args) ? callPlan(fn, (await awaitFutures(args)) as unknown[], options, what, true) : plans[i]!)),
      );
      const lazies = ready.map((plan) => new Delayed<R>(plan));
      const byKey = new Map<string, Future<R>[]>();
      await computeLazies(lazies, { ...this.defaults, ...(options.chunksize !== undefined ? { chunksize: options.chunksize } : {}) }, this.executor, (keys) => {
        keys.forEach((key, i) => {
          futures[i]!.key = key;
          (byKey.get(key) ?? byKey.set(key, []).get(key)!).push(futures[i]!);
        });
        return {
          onResult: (key, value) => byKey.get(key)?.forEach((f) => f.resolve(value as R)),
          onError: (key, error) => byKey.get(key)?.forEach((f) => f.reject(error)),
          isCancelled: (key) => byKey.get(key)?.every((f) => f.status === 'cancelled') ?? false,
        };
      });
    })().catch((error: Error) => futures.forEach((f) => f.reject(error)));
    return futures;
  }

  /** Waits for futures (one, an array, or nested arrays) and returns their results. */
  async gather<T>(futures: Future<T>): Promise<T>;
  async gather<T>(futures: readonly Future<T>[]): Promise<T[]>;
  async gather(futures: unknown): Promise<unknown> {
    return awaitFutures(futures);
  }

  /**
   * Puts data on every worker once; pass the returned handle to tasks as an argument. With
   * threads, typed arrays and Arrow tables go to shared memory: tasks read them without copies.
   */
  async scatter<T>(value: T): Promise<Shared<T>> {
    const shared = new Shared(value, 'client.scatter(value)');
    await this.executor.share(shared.key, shared.payload);
    return shared;
  }

  /** ddf.compute on this client's workers. */
  compute<T extends unknown[]>(...args: [...T, ComputeOptions]): Promise<Computed<T>>;
  compute<T extends unknown[]>(...args: T): Promise<Computed<T>>;
  compute(...args: unknown[]): Promise<unknown[]> {
    return computeStructure(args, this.executor, this.defaults, 'client.compute');
  }

  async close(): Promise<void> {
    if (this.isDefault) {
      this.isDefault = false;
      setDistributedExecutor(null);
      setDefaultScheduler(null);
    }
    await this.executor.close();
  }
}
