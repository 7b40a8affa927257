/**
 * A throwaway cluster on this machine for the distributed scheduler: a Redis server on a free
 * port (no persistence, maxmemory-policy noeviction) and `dusk worker` processes talking to it.
 * On real machines, start Redis once and a worker per node (README, Distributed).
 *
 *   npm run build && npx tsx examples/local-cluster.ts [--workers 2] [--concurrency 1]
 *     prints the Redis address; run examples/scenario-5b-distributed.ts against it; Ctrl-C stops all
 *
 * startLocalCluster() is exported for the example, the benchmark and the tests.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const DUSK_CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

export interface WorkerSpec {
  concurrency?: number;
  queue?: string;
  /** Modules or folders whose ddf.task functions the worker may run. */
  tasks?: string[];
  allowSource?: boolean;
  /** A job whose worker is silent this long fails as stalled (dusk worker --lock-ms). */
  lockMs?: number;
}

export interface LocalCluster {
  url: string;
  port: number;
  redis: ChildProcess;
  workers: ChildProcess[];
  /** Starts one more worker; resolves once it has registered (its start-up line is out). */
  startWorker(spec?: WorkerSpec): Promise<ChildProcess>;
  /** Starts a Redis server again on the same port (after killing it): an empty one. */
  restartRedis(): Promise<void>;
  /** SIGKILLs every worker and Redis, and waits until they are gone. */
  stop(): Promise<void>;
}

/** Whether redis-server can be run here. */
export function redisAvailable(): boolean {
  return spawnSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' }).status === 0;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function startRedis(port: number, policy: string): Promise<ChildProcess> {
  const redis = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', policy], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        redis.stdout!.off('data', onData);
        redis.stdout!.resume();
        resolve(redis);
      }
    };
    redis.stdout!.on('data', onData);
    redis.once('exit', (code) => reject(new Error(`redis-server exited with code ${code}: ${out.slice(-500)}`)));
    redis.once('error', reject);
  });
}

/** Starts `dusk worker` (from dist/: run npm run build first) and waits until it has registered. */
export function startDuskWorker(url: string, spec: WorkerSpec = {}): Promise<ChildProcess> {
  const args = [DUSK_CLI, 'worker', '--redis', url, '--concurrency', String(spec.concurrency ?? 1)];
  if (spec.queue) args.push('--queue', spec.queue);
  if (spec.allowSource) args.push('--allow-source');
  if (spec.lockMs) args.push('--lock-ms', String(spec.lockMs));
  for (const t of spec.tasks ?? []) args.push('--tasks', t);
  const worker = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    const onData = (chunk: Buffer) => {
      err += chunk.toString();
      if (/dusk worker \S+: queue/.test(err)) {
        worker.stderr!.off('data', onData);
        worker.stderr!.pipe(process.stderr);
        resolve(worker);
      }
    };
    worker.stderr!.on('data', onData);
    worker.once('exit', (code, signal) => reject(new Error(`dusk worker exited (${signal ?? code}) before it registered: ${err.slice(-1000)}`)));
  });
}

function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function startLocalCluster(options: { workers?: number; evictionPolicy?: string } & WorkerSpec = {}): Promise<LocalCluster> {
  const port = await freePort();
  const policy = options.evictionPolicy ?? 'noeviction';
  const url = `redis://127.0.0.1:${port}`;
  const cluster: LocalCluster = {
    url,
    port,
    redis: await startRedis(port, policy),
    workers: [],
    async startWorker(spec = options) {
      const worker = await startDuskWorker(url, spec);
      cluster.workers.push(worker);
      return worker;
    },
    async restartRedis() {
      await killAndWait(cluster.redis);
      cluster.redis = await startRedis(port, policy);
    },
    async stop() {
      // Workers first: a worker that outlives Redis only logs its reconnection attempts.
      await Promise.all(cluster.workers.map(killAndWait));
      await killAndWait(cluster.redis);
    },
  };
  try {
    for (let i = 0; i < (options.workers ?? 0); i++) await cluster.startWorker();
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { workers: { type: 'string', default: '2' }, concurrency: { type: 'string', default: '1' } } });
  const tasks = fileURLToPath(new URL('./tasks/', import.meta.url));
  const cluster = await startLocalCluster({ workers: Number(values.workers), concurrency: Number(values.concurrency), tasks: [tasks] });
  process.stdout.write(`${cluster.url}\n`);
  process.stderr.write(`Redis at ${cluster.url} and ${cluster.workers.length} dusk worker(s) running; Ctrl-C stops them\n`);
  const stop = () => void cluster.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
