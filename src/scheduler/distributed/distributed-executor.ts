import { randomBytes } from 'node:crypto';
import { serialize } from 'node:v8';
import { type ConnectionOptions, Job, Queue, QueueEvents } from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';
import { DuskError, DuskTaskError } from '../../core/errors.js';
import { emptyMetrics } from '../../io/io-metrics.js';
import type { SharedPayload } from '../../kernels/shared-store.js';
import type { Executor } from '../executor.js';
import { keyList } from '../pool-worker.js';
import type { TaskInvocation, TaskOutcome } from '../task-outcome.js';
import { checkNoEviction, connectOrFail, displayAddress, openRedis, redisOptions } from './connection.js';
import { decodeValue, digest, encodeValue, fromBase64, type JobData, type JobReturn, bucketKey, keyPrefix, PROTOCOL, SHUFFLE_MAP_OPS, type Stored, toBase64, unshareMemory, type WireOutcome, type WireTask, type WorkerInfo } from './protocol.js';

export interface DistributedOptions {
  /** The BullMQ queue (and Redis key namespace) the workers listen on: `dusk worker --queue`. Default 'dusk'. */
  queue?: string;
  /** ioredis options passed through as given (password, username, tls: { ca, cert, key }, …). */
  redis?: RedisOptions;
  /** Refuse a Redis whose maxmemory-policy may evict keys. Default true. */
  checkEviction?: boolean;
  /** How long results stay in Redis at most (ms); they are removed when their compute ends. Default one day. */
  resultTtlMs?: number;
  /** How long to wait for Redis when connecting (ms). Default 10,000. */
  connectTimeoutMs?: number;
  /** A compute fails once Redis has been unreachable this long (ms). Default 10,000. */
  lostAfterMs?: number;
  /** Wait at connect until this many worker processes are registered (within connectTimeoutMs). Default 0. */
  waitForWorkers?: number;
}

/**
 * A task's result left in Redis where its worker put it (only its key is on the client), until
 * a task here needs it (a combine, a target): then the executor fetches it (materialize).
 */
export class RemoteResult {
  /** The value, once fetched. */
  fetched: Promise<unknown> | null = null;
  constructor(
    readonly task: string,
    /** The op of the task that made it (for the fetch counters). */
    readonly op: string,
    /** Where it is in Redis; null for a small result that came with its outcome (stored by the client when a task elsewhere needs it). */
    public key: string | null,
    readonly bytes: number,
    readonly inline: Stored | undefined,
    /** A shuffle map task's result, stored one key per bucket (bucketKey): the rows of each bucket; null otherwise. */
    readonly buckets: number[] | null = null,
  ) {}

  /** The Redis keys of a bucketed result's buckets. */
  bucketKeys(): string[] {
    return this.buckets!.map((_, b) => bucketKey(this.key!, b));
  }
}

/**
 * A shuffle's bucket gathered without fetching it (the value of a shuffle-gather task on
 * distributed): the keys of that bucket in every map task's result. The reduce task's worker
 * fetches them; the client only when a task here needs the pieces themselves.
 */
export class RemotePieces {
  fetched: Promise<unknown[]> | null = null;
  constructor(
    readonly task: string,
    readonly keys: string[],
  ) {}
}

/** A job sent and not yet finished: its tasks' futures are here before the job is added. */
interface PendingJob {
  id: string;
  batch: TaskInvocation[];
  compute: number;
  resolve(outcomes: TaskOutcome[]): void;
  reject(error: Error): void;
  /** When it was added, or last looked up by the watchdog. */
  checked: number;
  signal: AbortSignal;
}

/** What one compute left in Redis, removed when it ends. */
interface ComputeState {
  keys: Set<string>;
  jobs: Set<string>;
  attempts: Map<string, number>;
  uploads: WeakMap<object, string>;
  /** Writes of uploaded values, by key. */
  writes: Map<string, Promise<void>>;
}

/** Jobs looked up per watchdog tick when no event came for them. */
const LOOKUPS_PER_TICK = 50;
/** A job is looked up when nothing was heard of it for this long. */
const SILENT_MS = 3000;

/**
 * The distributed scheduler's client side: batches of tasks become BullMQ jobs that `dusk worker`
 * processes take from Redis. Results stay in Redis (RemoteResult) until a task here needs them.
 * Job ids are chosen here (client, compute, the batch's task keys, attempt): adding a job twice
 * adds it once, and a job's outcome settles its batch once, whatever BullMQ reports later.
 */
export class DistributedExecutor implements Executor {
  readonly name = 'distributed' as const;
  private readonly prefix: string;
  private readonly clientId = randomBytes(6).toString('hex');
  private readonly pending = new Map<string, PendingJob>();
  private readonly computes = new Map<number, ComputeState>();
  /** Shared keys → Redis keys. */
  private readonly shared = new Map<string, string>();
  private registered: WorkerInfo[] = [];
  private bytes = 0;
  private downSince: number | null = null;
  private lastError = '';
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  private lastWorkerRefresh = 0;
  private warnedNoWorker = false;
  /**
   * What materialize brought to the client so far: bytes of results, and among them bytes of
   * shuffle map outputs (their buckets), which should stay between workers.
   */
  readonly fetched = { results: 0, bytes: 0, shuffleBytes: 0 };

  private constructor(
    readonly address: string,
    private readonly options: Required<Omit<DistributedOptions, 'redis'>>,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
  ) {
    this.prefix = keyPrefix(options.queue);
    const shown = displayAddress(address);
    const down = (err?: Error) => {
      this.downSince ??= Date.now();
      if (err) this.lastError = err.message;
    };
    redis.on('error', down);
    redis.on('close', () => down());
    redis.on('ready', () => (this.downSince = null));
    queue.on('error', (err) => (this.lastError = err.message));
    events.on('error', (err) => (this.lastError = err.message));
    events.on('completed', ({ jobId, returnvalue }) => this.completed(jobId, returnvalue as unknown as JobReturn));
    events.on('failed', ({ jobId, failedReason }) => this.failed(jobId, failedReason));
    this.timer = setInterval(() => void this.tick(shown), 500);
    this.timer.unref();
  }

  static async open(address: string, options: DistributedOptions = {}): Promise<DistributedExecutor> {
    const resolved = {
      queue: options.queue ?? 'dusk',
      checkEviction: options.checkEviction ?? true,
      resultTtlMs: options.resultTtlMs ?? 24 * 3600_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      lostAfterMs: options.lostAfterMs ?? 10_000,
      waitForWorkers: options.waitForWorkers ?? 0,
    };
    if (resolved.queue.includes(':')) throw new DuskError(`queue name '${resolved.queue}' cannot contain ':'`);
    const connection = redisOptions(address, options.redis);
    const shown = displayAddress(address);
    const redis = openRedis(connection, 'dusk-client');
    redis.on('error', () => {}); // reported by the calls that fail, and by the watchdog
    await connectOrFail(redis, shown, resolved.connectTimeoutMs);
    try {
      if (resolved.checkEviction) await checkNoEviction(redis, shown);
      // Events are read from the stream's current end: every job of this client is added after it.
      const tip = (await redis.xrevrange(`bull:${resolved.queue}:events`, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
      // ioredis's options, which BullMQ's own (narrower) interface describes as ConnectionOptions.
      const bull = connection as ConnectionOptions;
      const queue = new Queue(resolved.queue, { connection: bull });
      const events = new QueueEvents(resolved.queue, { connection: bull, lastEventId: tip });
      queue.on('error', () => {});
      events.on('error', () => {});
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
      const executor = new DistributedExecutor(address, resolved, redis, queue, events);
      await executor.refreshWorkers(true);
      const deadline = Date.now() + resolved.connectTimeoutMs;
      while (executor.registered.length < resolved.waitForWorkers) {
        if (Date.now() > deadline) {
          await executor.close();
          throw new DuskError(`${executor.registered.length} dusk worker(s) registered on queue '${resolved.queue}' at ${shown} after ${resolved.connectTimeoutMs} ms; waited for ${resolved.waitForWorkers} (start them with: npx dusk worker --redis ${shown} --queue ${resolved.queue})`);
        }
        await new Promise((r) => setTimeout(r, 100));
        await executor.refreshWorkers(true);
      }
      return executor;
    } catch (err) {
      redis.disconnect();
      throw err;
    }
  }

  /** Tasks that can run at once: the concurrency of every registered worker (at least 1, so jobs wait for a worker that starts later). */
  get workers(): number {
    return Math.max(1, this.registered.reduce((n, w) => n + w.concurrency, 0));
  }

  /** Two batches per worker thread: one running, one waiting in Redis for the moment it is free (a round trip costs milliseconds). */
  get inFlight(): number {
    return 2 * this.workers;
  }

  /** The worker processes registered now (host, pid, concurrency…). */
  get workerInfo(): readonly WorkerInfo[] {
    return this.registered;
  }

  private async refreshWorkers(force = false): Promise<void> {
    if (!force && Date.now() - this.lastWorkerRefresh < 2000) return;
    this.lastWorkerRefresh = Date.now();
    const key = `${this.prefix}workers`;
    await this.redis.zremrangebyscore(key, '-inf', Date.now());
    this.registered = (await this.redis.zrange(key, 0, -1)).map((m) => JSON.parse(m) as WorkerInfo);
  }

  private state(compute: number): ComputeState {
    let state = this.computes.get(compute);
    if (!state) this.computes.set(compute, (state = { keys: new Set(), jobs: new Set(), attempts: new Map(), uploads: new WeakMap(), writes: new Map() }));
    return state;
  }

  runBatch(batch: TaskInvocation[], signal: AbortSignal): Promise<TaskOutcome[]> {
    if (this.closed) return Promise.reject(new DuskError('the distributed client is closed'));
    if (signal.aborted) return Promise.reject(new DuskTaskError('cancelled', batch[0]?.key ?? ''));
    return this.send(batch, signal);
  }

  private async send(batch: TaskInvocation[], signal: AbortSignal): Promise<TaskOutcome[]> {
    const compute = batch[0]!.compute;
    const state = this.state(compute);
    let attempt = 0;
    for (const task of batch) {
      const n = (state.attempts.get(task.key) ?? 0) + 1;
      state.attempts.set(task.key, n);
      attempt = Math.max(attempt, n);
    }
    const wire: WireTask[] = [];
    for (const task of batch) {
      const resultKey = `${this.prefix}r:${this.clientId}:${compute}:${digest(task.key)}`;
      state.keys.add(resultKey);
      wire.push({ key: task.key, spec: task.spec, deps: await Promise.all(task.deps.map((d) => this.depKey(d, state, compute))), resultKey, ...(task.label ? { label: task.label } : {}), ...(task.spilled ? { spilled: task.spilled } : {}) });
    }
    const id = `${this.clientId}.${compute}.${digest(batch.map((t) => t.key).join('\n'))}.${attempt}`;
    const data: JobData = { protocol: PROTOCOL, tasks: toBase64(wire), shared: [...this.shared], ttlMs: this.options.resultTtlMs };
    if (signal.aborted) throw new DuskTaskError('cancelled', batch[0]!.key); // while its inputs were being stored
    const settled = new Promise<TaskOutcome[]>((resolve, reject) => {
      this.pending.set(id, { id, batch, compute, resolve, reject, checked: Date.now(), signal });
    });
    settled.catch(() => {}); // awaited below; the watchdog may reject it while the add still waits for Redis
    state.jobs.add(id);
    this.timer.ref(); // jobs are out: the script waits for them
    const onAbort = () => {
      const job = this.pending.get(id);
      if (!job) return;
      this.pending.delete(id);
      void this.queue.remove(id).catch(() => {}); // a job not yet taken goes; a running one finishes unheard
      job.reject(new DuskTaskError('cancelled', batch[0]!.key));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const added = this.queue.add('tasks', data, { jobId: id, removeOnComplete: { age: 600 }, removeOnFail: { age: 3600 } }).then(
      () => undefined,
      (err: Error) => {
        this.pending.delete(id);
        throw new DuskError(`cannot send task(s) ${keyList(batch)} to Redis at ${displayAddress(this.address)}: ${err.message}`);
      },
    );
    added.catch(() => {}); // raced below
    try {
      await Promise.race([added, settled]);
      return await settled;
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (this.pending.size === 0) this.timer.unref();
    }
  }

  /** The Redis key of a task's input: a result already there, or a value of the client uploaded once per compute. */
  private async depKey(value: unknown, state: ComputeState, compute: number): Promise<string | string[]> {
    if (value instanceof RemotePieces) return value.keys;
    if (value instanceof RemoteResult && value.buckets) return value.bucketKeys();
    if (value instanceof RemoteResult) {
      if (value.key !== null) return value.key;
      // A small result that came inline: stored now, once, for the task that needs it.
      const key = await this.upload(serialize(value.inline!), state, compute);
      value.key = key;
      return key;
    }
    if (typeof value === 'object' && value !== null) {
      const known = state.uploads.get(value);
      if (known) return known;
    }
    const key = await this.upload(encodeValue(value), state, compute);
    if (typeof value === 'object' && value !== null) state.uploads.set(value, key);
    return key;
  }

  /** Puts bytes in Redis under their digest (once per compute: concurrent callers wait for the same write). */
  private async upload(bytes: Buffer, state: ComputeState, compute: number): Promise<string> {
    const key = `${this.prefix}v:${this.clientId}:${compute}:${digest(bytes)}`;
    let written = state.writes.get(key);
    if (!written) {
      state.keys.add(key);
      written = this.redis.set(key, bytes, 'PX', this.options.resultTtlMs).then(() => {});
      state.writes.set(key, written);
    }
    await written;
    return key;
  }

  private completed(jobId: string, returned: JobReturn): void {
    const job = this.pending.get(jobId);
    if (!job) return; // another client's, or already settled (exactly once)
    this.pending.delete(jobId);
    let outcomes: WireOutcome[];
    try {
      outcomes = fromBase64<WireOutcome[]>(returned.b);
    } catch (err) {
      job.reject(new DuskError(`the outcome of task(s) ${keyList(job.batch)} could not be read (${(err as Error).message})`));
      return;
    }
    job.resolve(
      outcomes.map((o, i): TaskOutcome => {
        if (!o.ok) return o;
        this.bytes += o.metrics.bytesRead;
        const result = new RemoteResult(job.batch[i]!.key, job.batch[i]!.spec.op, o.key, o.bytes, o.inline, o.buckets ?? null);
        // Bucket keys go when the compute ends, as result keys (or earlier: release of the gathered pieces).
        if (result.buckets) for (const key of result.bucketKeys()) this.computes.get(job.compute)?.keys.add(key);
        return { ok: true, value: result, metrics: o.metrics, ...(o.ran ? { ran: o.ran } : {}) };
      }),
    );
  }

  private failed(jobId: string, reason: string): void {
    const job = this.pending.get(jobId);
    if (!job) return;
    this.pending.delete(jobId);
    const stalled = /stalled/i.test(reason);
    const tasks = keyList(job.batch);
    const message = stalled
      ? `the dusk worker running task(s) ${tasks} stopped before finishing (${reason}: it was killed or lost Redis); the option retries: n runs such a task again on another worker`
      : `the dusk worker could not run task(s) ${tasks}: ${reason}`;
    job.resolve(job.batch.map(() => ({ ok: false, error: { name: 'DuskTaskError', message, retryable: stalled }, metrics: emptyMetrics() })));
  }

  /** Looks after jobs no event was heard of (a lost event, a restarted Redis) and the connection. */
  private async tick(shown: string): Promise<void> {
    if (this.closed) return;
    const now = Date.now();
    if (this.pending.size > 0 && this.downSince !== null && now - this.downSince > this.options.lostAfterMs) {
      const error = new DuskError(
        `lost the connection to Redis at ${shown} ${((now - this.downSince) / 1000).toFixed(0)} s ago${this.lastError ? ` (${this.lastError})` : ''}; ${this.pending.size} job(s) not finished; the compute is stopped`,
      );
      for (const job of [...this.pending.values()]) {
        this.pending.delete(job.id);
        job.reject(error);
      }
      return;
    }
    if (this.downSince !== null) return;
    try {
      if (this.pending.size > 0) await this.refreshWorkers();
      if (this.pending.size > 0 && this.registered.length === 0 && !this.warnedNoWorker) {
        this.warnedNoWorker = true;
        process.emitWarning(`dusk: no dusk worker is registered on queue '${this.options.queue}' at ${shown}: ${this.pending.size} job(s) wait for one (npx dusk worker --redis ${shown} --queue ${this.options.queue})`, 'DuskDistributedWarning');
      }
      const silent = [...this.pending.values()].filter((j) => now - j.checked > SILENT_MS).slice(0, LOOKUPS_PER_TICK);
      for (const job of silent) {
        job.checked = now;
        const found = await Job.fromId(this.queue, job.id);
        if (!this.pending.has(job.id)) continue;
        if (!found) {
          this.pending.delete(job.id);
          job.reject(new DuskError(`the job of task(s) ${keyList(job.batch)} is gone from Redis at ${shown} (Redis restarted without its data, or the job was removed): the compute is stopped`));
        } else if (found.finishedOn) {
          if (found.failedReason) this.failed(job.id, found.failedReason);
          else this.completed(job.id, found.returnvalue as JobReturn);
        }
      }
    } catch (err) {
      this.lastError = (err as Error).message;
    }
  }

  async share(key: string, payload: SharedPayload): Promise<void> {
    if (this.shared.has(key)) return;
    const redisKey = `${this.prefix}s:${this.clientId}:${digest(key)}`;
    let bytes: Buffer;
    try {
      bytes = serialize(unshareMemory(payload));
    } catch (err) {
      throw new DuskTaskError(`shared value ${key} cannot be sent to dusk workers (${(err as Error).message}); share plain data, typed arrays or Arrow tables`, key);
    }
    await this.redis.set(redisKey, bytes, 'PX', this.options.resultTtlMs);
    this.shared.set(key, redisKey);
  }

  /** Forgets a shared value in Redis; workers that fetched it keep their copy until they stop. */
  unshare(key: string): void {
    const redisKey = this.shared.get(key);
    if (redisKey === undefined) return;
    this.shared.delete(key);
    void this.redis.del(redisKey).catch(() => {});
  }

  /** A result left in Redis, fetched (once); any other value as it is. */
  materialize(value: unknown): Promise<unknown> {
    if (value instanceof RemotePieces) {
      value.fetched ??= this.fetchAll(value.task, value.keys, true);
      return value.fetched;
    }
    if (!(value instanceof RemoteResult)) return Promise.resolve(value);
    if (value.buckets) {
      value.fetched ??= this.fetchAll(value.task, value.bucketKeys(), SHUFFLE_MAP_OPS.has(value.op));
      return value.fetched;
    }
    value.fetched ??= (async () => {
      const bytes = value.inline ?? (value.key === null ? null : await this.redis.getBuffer(value.key));
      this.countFetched(value.bytes, SHUFFLE_MAP_OPS.has(value.op));
      if (bytes === null) throw new DuskTaskError(`the result of task ${value.task} is no longer in Redis at ${displayAddress(this.address)} (Redis restarted, or it outlived resultTtlMs)`, value.task);
      return decodeValue(bytes);
    })();
    return value.fetched;
  }

  /** Values stored under several keys (buckets), fetched here as a list. */
  private async fetchAll(task: string, keys: string[], shuffle: boolean): Promise<unknown[]> {
    const buffers = keys.length > 0 ? await this.redis.mgetBuffer(...keys) : [];
    this.countFetched(buffers.reduce((n, b) => n + (b?.length ?? 0), 0), shuffle);
    return Promise.all(
      buffers.map((bytes, i) => {
        if (bytes === null) throw new DuskTaskError(`shuffle data of task ${task} is no longer in Redis at ${displayAddress(this.address)} (key ${keys[i]}: Redis restarted, or it outlived resultTtlMs)`, task);
        return decodeValue(bytes);
      }),
    );
  }

  /**
   * Bucket `bucket` of each shuffle map result (shuffle-gather's work) as references to their
   * keys, nothing fetched; undefined when a result is not bucketed in Redis (run-graph then
   * gathers here). Empty pieces are left out as shuffle-gather leaves them out (one is kept
   * when all are empty: it names the columns).
   */
  gatherBucket(task: string, deps: readonly unknown[], bucket: number): RemotePieces | undefined {
    if (!deps.every((d) => d instanceof RemoteResult && d.buckets !== null && bucket < d.buckets.length)) return undefined;
    const pieces = (deps as RemoteResult[]).map((d) => ({ key: bucketKey(d.key!, bucket), rows: d.buckets![bucket]! }));
    const withRows = pieces.filter((p) => p.rows > 0);
    return new RemotePieces(task, (withRows.length > 0 ? withRows : pieces.slice(0, 1)).map((p) => p.key));
  }

  private countFetched(bytes: number, shuffle: boolean): void {
    this.fetched.results++;
    this.fetched.bytes += bytes;
    if (shuffle) this.fetched.shuffleBytes += bytes;
  }

  /** A result no task needs any more leaves Redis now, not when its compute ends: Redis holds only the partitions still to be used. */
  release(value: unknown): void {
    // A bucket is released with the pieces gathered from it, once its reduce task has run: the
    // map result itself is released when the (instant) gathers ran, before the reduce tasks.
    if (value instanceof RemotePieces) {
      if (value.keys.length > 0) void this.redis.del(...value.keys).catch(() => {});
      return;
    }
    if (value instanceof RemoteResult && value.buckets) return;
    // Only a task's own result key: uploaded values (v:) are shared by equal contents.
    if (!(value instanceof RemoteResult) || value.key === null || !value.key.startsWith(`${this.prefix}r:`)) return;
    void this.redis.del(value.key).catch(() => {}); // else the compute's end (or the TTL) removes it
  }

  /** Removes what a compute left in Redis (results, uploaded inputs) and its unfinished jobs. */
  async endCompute(compute: number): Promise<void> {
    const state = this.computes.get(compute);
    if (!state) return;
    this.computes.delete(compute);
    const keys = [...state.keys];
    try {
      for (let i = 0; i < keys.length; i += 500) await this.redis.del(...keys.slice(i, i + 500));
      for (const id of state.jobs) {
        const job = this.pending.get(id);
        if (job) {
          this.pending.delete(id);
          job.reject(new DuskTaskError('cancelled', job.batch[0]!.key));
          await this.queue.remove(id).catch(() => {});
        }
      }
    } catch {
      // Redis is gone: the TTL removes the rest.
    }
  }

  bytesRead(): number {
    return this.bytes;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const error = new DuskError('the distributed client was closed before its tasks finished');
    for (const job of this.pending.values()) job.reject(error);
    this.pending.clear();
    if (this.downSince === null) {
      await Promise.allSettled([...this.computes.keys()].map((c) => this.endCompute(c)));
      if (this.shared.size > 0) await this.redis.del(...this.shared.values()).catch(() => {});
    }
    // BullMQ's close waits for its connections; with Redis away, not for ever.
    await Promise.race([Promise.allSettled([this.events.close(), this.queue.close()]), new Promise((r) => setTimeout(r, 2000).unref())]);
    void this.events.disconnect().catch(() => {});
    void this.queue.disconnect().catch(() => {});
    this.redis.disconnect();
  }
}
