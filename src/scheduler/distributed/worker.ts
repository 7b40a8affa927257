import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { deserialize, serialize } from 'node:v8';
import { type ConnectionOptions, type Job, Worker } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { DuskError } from '../../core/errors.js';
import { TASK_POLICY_ENV, type TaskPolicy } from '../../kernels/function-ref.js';
import type { SharedPayload } from '../../kernels/shared-store.js';
import { ThreadsExecutor } from '../threads-executor.js';
import type { TaskInvocation } from '../task-outcome.js';
import type { TablePatch } from '../wire.js';
import { checkNoEviction, connectOrFail, displayAddress, openRedis, redisOptions } from './connection.js';
import { bucketKey, decodeForTask, fromBase64, INLINE_BYTES, type JobData, type JobReturn, keyPrefix, PROTOCOL, SHUFFLE_MAP_OPS, storedOf, toBase64, type WireOutcome, type WireTask, type WorkerInfo } from './protocol.js';

export interface WorkerOptions {
  /** redis://host:port or rediss:// (TLS). */
  address: string;
  redis?: RedisOptions;
  queue?: string;
  /** Tasks run at once, each in a worker thread. */
  concurrency: number;
  /** file: URLs of the modules (or folders, ending in '/') whose ddf.task functions may run. */
  tasks: string[];
  /** Run functions shipped as source text (they are compiled in the worker threads). */
  allowSource: boolean;
  /** A job's lock: if the worker does not renew it for this long (it died), the job is failed as stalled. Default 30,000 ms. */
  lockMs?: number;
  /** How often this worker looks for stalled jobs (of any worker). Default lockMs / 2. */
  stalledIntervalMs?: number;
  log?: (line: string) => void;
}

export interface RunningWorker {
  readonly id: string;
  /** Takes no new job, waits for the running ones, then disconnects. */
  close(): Promise<void>;
}

/** How often a worker says it is alive; its registration lasts three times that. */
const HEARTBEAT_MS = 3000;

/**
 * A `dusk worker` process: a BullMQ Worker takes jobs (batches of tasks) from Redis and hands
 * them to a pool of worker threads, the threads scheduler's own pool. No task runs on the main
 * thread, so BullMQ renews job locks on time however long a task computes. Inputs and shared
 * values are fetched by key (shared ones once per process); results go back to Redis, and the
 * job's return value says where.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const queueName = options.queue ?? 'dusk';
  const prefix = keyPrefix(queueName);
  const shown = displayAddress(options.address);
  const policy: TaskPolicy = { allowSource: options.allowSource, modules: options.tasks };
  // Before the first thread starts: threads get a copy of the environment.
  process.env[TASK_POLICY_ENV] = JSON.stringify(policy);

  const connection = redisOptions(options.address, options.redis);
  const redis = openRedis(connection, 'dusk-worker');
  let lastError = '';
  redis.on('error', (err: Error) => {
    if (err.message !== lastError) log(`dusk worker: Redis at ${shown}: ${err.message}`);
    lastError = err.message;
  });
  await connectOrFail(redis, shown, 10_000);
  await checkNoEviction(redis, shown);

  const pool = new ThreadsExecutor(options.concurrency);
  const sharedFetched = new Map<string, Promise<void>>();
  const id = `${hostname()}.${process.pid}.${randomBytes(3).toString('hex')}`;
  const info: WorkerInfo = { id, host: hostname(), pid: process.pid, concurrency: options.concurrency, allowSource: options.allowSource, tasks: options.tasks, started: Date.now() };

  const ensureShared = (shared: [string, string][]): Promise<unknown> =>
    Promise.all(
      shared.map(([key, redisKey]) => {
        let fetched = sharedFetched.get(key);
        if (!fetched) {
          fetched = (async () => {
            const bytes = await redis.getBuffer(redisKey);
            if (bytes === null) throw new DuskError(`shared value ${key} is not in Redis (its client closed, or Redis restarted)`);
            await pool.share(key, deserialize(bytes) as SharedPayload);
          })();
          fetched.catch(() => sharedFetched.delete(key));
          sharedFetched.set(key, fetched);
        }
        return fetched;
      }),
    );

  const processor = async (job: Job): Promise<JobReturn> => {
    const data = job.data as JobData;
    if (data.protocol !== PROTOCOL) throw new DuskError(`job ${job.id} was written by a client speaking protocol ${data.protocol}; this worker speaks ${PROTOCOL} (run the same Dusk version on the client and the workers)`);
    const tasks = fromBase64<WireTask[]>(data.tasks);
    await ensureShared(data.shared);
    const depKeys = [...new Set(tasks.flatMap((t) => t.deps.flat()))];
    const buffers = depKeys.length > 0 ? await redis.mgetBuffer(...depKeys) : [];
    const inputs = new Map<string, ReturnType<typeof decodeForTask>>();
    depKeys.forEach((key, i) => {
      const bytes = buffers[i];
      if (!bytes) {
        const task = tasks.find((t) => t.deps.flat().includes(key))!;
        throw new DuskError(`an input of task ${task.key} is no longer in Redis (key ${key}: Redis restarted, or the compute ended)`);
      }
      inputs.set(key, decodeForTask(bytes));
    });
    // An input given as a list of keys (a shuffle's bucket from every map task) is the list of their values.
    const tablesOf = (key: string, at: (string | number)[]): TablePatch[] => (inputs.get(key)!.tables ?? []).map(([path, ipc]): TablePatch => [[...at, ...path], ipc]);
    const batch: TaskInvocation[] = tasks.map((t) => {
      const depTables: TablePatch[] = t.deps.flatMap((dep, i) => (typeof dep === 'string' ? tablesOf(dep, [i]) : dep.flatMap((key, j) => tablesOf(key, [i, j]))));
      return {
        key: t.key,
        spec: t.spec,
        deps: t.deps.map((dep) => (typeof dep === 'string' ? inputs.get(dep)!.value : dep.map((key) => inputs.get(key)!.value))),
        compute: 0,
        ...(t.label ? { label: t.label } : {}),
        ...(t.spilled ? { spilled: t.spilled } : {}),
        ...(depTables.length > 0 ? { depTables } : {}),
      };
    });
    const outcomes = await pool.runBatch(batch, new AbortController().signal);
    const write = redis.pipeline();
    const wire = outcomes.map((o, i): WireOutcome => {
      if (!o.ok) return { ok: false, error: o.error, metrics: o.metrics, ...(o.ran ? { ran: o.ran } : {}) };
      const ran = o.ran ? { ran: o.ran } : {};
      const key = tasks[i]!.resultKey;
      if (SHUFFLE_MAP_OPS.has(tasks[i]!.spec.op) && Array.isArray(o.value)) {
        // One key per bucket: each reduce task fetches its own bucket from Redis, the client none.
        const buckets = o.value as { length: number }[];
        let total = 0;
        buckets.forEach((bucket, b) => {
          const bytes = serialize(storedOf(bucket));
          total += bytes.length;
          write.set(bucketKey(key, b), bytes, 'PX', data.ttlMs);
        });
        return { ok: true, key, bytes: total, buckets: buckets.map((b) => b.length), metrics: o.metrics, ...ran };
      }
      const stored = storedOf(o.value);
      const bytes = serialize(stored);
      // A small result travels with the outcomes only; the client stores it if a task elsewhere needs it.
      if (bytes.length <= INLINE_BYTES) return { ok: true, key: null, bytes: bytes.length, inline: stored, metrics: o.metrics, ...ran };
      write.set(key, bytes, 'PX', data.ttlMs);
      return { ok: true, key, bytes: bytes.length, metrics: o.metrics, ...ran };
    });
    const written = write.length > 0 ? await write.exec() : [];
    const failedWrite = written?.find(([err]) => err);
    if (failedWrite) throw new DuskError(`could not store results in Redis: ${(failedWrite[0] as Error).message}`);
    return { b: toBase64(wire) };
  };

  const lockMs = options.lockMs ?? 30_000;
  const worker = new Worker(queueName, processor, {
    connection: connection as ConnectionOptions, // ioredis's options; BullMQ's interface for them is narrower
    concurrency: options.concurrency,
    lockDuration: lockMs,
    stalledInterval: options.stalledIntervalMs ?? Math.max(500, Math.floor(lockMs / 2)),
    // A job whose worker died fails at once; the client decides whether to run it again (retries).
    maxStalledCount: 0,
    autorun: false,
  });
  worker.on('error', (err) => {
    if (err.message !== lastError) log(`dusk worker: ${err.message}`);
    lastError = err.message;
  });
  worker.on('failed', (job, err) => log(`dusk worker: job ${job?.id ?? '?'} failed: ${err.message}`));

  const register = async () => {
    try {
      await redis.zadd(`${prefix}workers`, Date.now() + 3 * HEARTBEAT_MS, JSON.stringify(info));
    } catch {
      // Redis is away: the next beat registers again.
    }
  };
  await register();
  const heartbeat = setInterval(() => void register(), HEARTBEAT_MS);
  void worker.run();
  log(
    `dusk worker ${id}: queue '${queueName}' at ${shown}, ${options.concurrency} thread(s); tasks from: ${options.tasks.length > 0 ? options.tasks.join(' ') : "Dusk's own only"}; functions shipped as source: ${options.allowSource ? 'allowed (--allow-source)' : 'refused'}`,
  );

  let closing: Promise<void> | null = null;
  return {
    id,
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        await redis.zrem(`${prefix}workers`, JSON.stringify(info)).catch(() => {});
        await worker.close(); // waits for the running jobs
        await pool.close();
        redis.disconnect();
      })();
      return closing;
    },
  };
}
