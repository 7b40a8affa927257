/**
 * The distributed scheduler when things go wrong, against real Redis servers and real `dusk
 * worker` processes (dist/: npm run build first): a Redis that may evict keys is refused; a
 * worker refuses functions it was not started with; a worker SIGKILLed mid-task has its job run
 * again on another worker and every result arrives exactly once; Redis killed or restarted
 * mid-compute gives a clear error, never a hang. Skipped, saying so, without redis-server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as ddf from '../../src/index.js';
import { type LocalCluster, redisAvailable, startDuskWorker, startLocalCluster } from '../../examples/local-cluster.js';
import { fun } from '../../examples/tasks/slow-fast.js';
import { FIXTURES, tempDir } from '../helpers.js';
import { slowSquare } from './distributed-tasks.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TASK_MODULE = join(ROOT, 'test', 'scheduler', 'distributed-tasks.ts');
const HAVE_REDIS = redisAvailable();
if (!HAVE_REDIS) console.warn('distributed-failures.test.ts: skipped: redis-server is not installed (apt-get install redis-server)');

const tmp = tempDir('dusk-distributed-failures-');
let cluster: LocalCluster | null = null;
let client: ddf.Client | null = null;

afterEach(async () => {
  await client?.close();
  client = null;
  await cluster?.stop();
  cluster = null;
});
afterAll(() => tmp.remove());

/** Lines of a task log: [what, n, pid]. */
function logLines(log: string): [string, number, number][] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '))
    .map(([what, n, pid]) => [what!, Number(n), Number(pid)]);
}

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** How long a promise took to settle, and how: never more than `ms` (a hang fails the test). */
async function settle<T>(promise: Promise<T>, ms: number): Promise<{ ok: boolean; value?: T; error?: Error; ms: number }> {
  const t0 = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms (a hang)`)), ms)));
  try {
    const value = await Promise.race([promise, timeout]);
    return { ok: true, value, ms: Date.now() - t0 };
  } catch (error) {
    if ((error as Error).message.includes('(a hang)')) throw error;
    return { ok: false, error: error as Error, ms: Date.now() - t0 };
  } finally {
    clearTimeout(timer);
  }
}

describe.skipIf(!HAVE_REDIS)('distributed scheduler: failures', () => {
  it('refuses a Redis whose maxmemory-policy may evict keys (client and worker)', async () => {
    cluster = await startLocalCluster({ evictionPolicy: 'allkeys-lru' });
    await expect(ddf.Client.connect(cluster.url)).rejects.toThrow(/maxmemory-policy 'allkeys-lru'.*Set it to noeviction/);
    await expect(startDuskWorker(cluster.url)).rejects.toThrow(/maxmemory-policy 'allkeys-lru'/);
  });

  it('a worker started without --allow-source refuses a shipped function, and tasks of modules outside --tasks; Dusk\'s own tasks and allowed modules run', async () => {
    cluster = await startLocalCluster({ workers: 1, tasks: [join(ROOT, 'examples', 'tasks')] });
    client = await ddf.Client.connect(cluster.url, { waitForWorkers: 1, setAsDefault: false, progress: false });
    await expect(client.submit((x: number) => x + 1, 1)).rejects.toThrow(/refuses 'anonymous'|refuses '.*', a function shipped as source text: it was started without --allow-source/);
    await expect(client.submit(slowSquare, 2, 0, join(tmp.dir, 'never.log'))).rejects.toThrow(/refuses task 'slowSquare' of .*distributed-tasks\.ts: that module is not among those it was started with/);
    expect(existsSync(join(tmp.dir, 'never.log'))).toBe(false);
    // Dusk's own ops always run; so do tasks of the modules it was given.
    const df = ddf.readCsv(join(FIXTURES, 'airline/none/*.csv'), { encoding: 'latin1' });
    const [sum] = await client.compute(df.col('DepDelay').sum());
    expect(sum).toBe(await df.col('DepDelay').sum().compute({ scheduler: 'sync' }));
    const item = { i: 3, n: 1000, seed: 1 };
    expect((await client.submit(fun, item)).value).toBe(fun(item).value);
  });

  it('a worker SIGKILLed mid-task: its job is run again on the other worker (retries), every result arrives exactly once', async () => {
    cluster = await startLocalCluster({ workers: 2, concurrency: 1, tasks: [TASK_MODULE], lockMs: 1000 });
    client = await ddf.Client.connect(cluster.url, { waitForWorkers: 2, setAsDefault: false, progress: false, retries: 2 });
    const log = join(tmp.dir, 'kill.log');
    // Both workers load the task module first (a cold thread takes seconds on a busy machine).
    await client.gather([0, 1].map((i) => client!.submit(slowSquare, i, 400, join(tmp.dir, 'warm.log'))));
    const items = [10, 11, 12, 13, 14, 15];
    const futures = items.map((n) => client!.submit(slowSquare, n, 1500, log));
    await until(() => logLines(log).filter(([w]) => w === 'start').length >= 2, 'two tasks to start');
    const victimPid = logLines(log)[0]![2];
    const victim = cluster.workers.find((w) => w.pid === victimPid)!;
    expect(victim).toBeDefined();
    victim.kill('SIGKILL');

    let delivered = 0;
    for await (const f of ddf.asCompleted(futures)) {
      delivered++;
      await f;
    }
    const results = await client.gather(futures);
    expect(delivered).toBe(items.length);
    expect(results.map((r) => r.square)).toEqual(items.map((n) => n * n));
    expect(results.every((r) => r.pid !== victimPid)).toBe(true); // a result of the killed worker never arrived
    // At least once: the task the victim was running started again on the survivor and finished there.
    const lines = logLines(log);
    const cut = lines.filter(([w, , pid]) => w === 'start' && pid === victimPid).map(([, n]) => n).filter((n) => !lines.some(([w, m, pid]) => w === 'end' && m === n && pid === victimPid));
    expect(cut.length).toBeGreaterThan(0);
    for (const n of cut) expect(lines.some(([w, m, pid]) => w === 'end' && m === n && pid !== victimPid)).toBe(true);
    expect(lines.filter(([w]) => w === 'start').length).toBeGreaterThan(items.length);
  });

  it('without retries, a job whose worker was killed fails naming its task', async () => {
    cluster = await startLocalCluster({ workers: 1, concurrency: 1, tasks: [TASK_MODULE], lockMs: 1000 });
    client = await ddf.Client.connect(cluster.url, { waitForWorkers: 1, setAsDefault: false, progress: false });
    const log = join(tmp.dir, 'kill-once.log');
    const future = client.submit(slowSquare, 7, 60_000, log);
    await until(() => logLines(log).length >= 1, 'the task to start');
    cluster.workers[0]!.kill('SIGKILL');
    await cluster.startWorker({ concurrency: 1, tasks: [TASK_MODULE], lockMs: 1000 }); // detects the stalled job
    const outcome = await settle(Promise.resolve(future), 20_000);
    expect(outcome.ok).toBe(false);
    expect(outcome.error!.message).toMatch(/the dusk worker running task\(s\) slowSquare-\S+ stopped before finishing \(.*stalled.*\).*retries/);
  });

  it('SIGTERM drains a worker: its running task finishes and is delivered, it takes no new job and exits 0', async () => {
    cluster = await startLocalCluster({ workers: 1, concurrency: 1, tasks: [TASK_MODULE], lockMs: 1000 });
    client = await ddf.Client.connect(cluster.url, { waitForWorkers: 1, setAsDefault: false, progress: false });
    const log = join(tmp.dir, 'drain.log');
    const running = client.submit(slowSquare, 5, 1500, log);
    await until(() => logLines(log).length >= 1, 'the task to start');
    const worker = cluster.workers[0]!;
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    const later = client.submit(slowSquare, 6, 10, log);
    expect((await running).square).toBe(25);
    expect(await exited).toBe(0);
    expect(logLines(log).some(([, n]) => n === 6)).toBe(false); // not taken by the draining worker
    await cluster.startWorker({ concurrency: 1, tasks: [TASK_MODULE], lockMs: 1000 });
    expect((await later).square).toBe(36);
  });

  it('Redis killed mid-compute: a clear error naming Redis within lostAfterMs, not a hang; Redis restarted mid-compute: a clear error; afterwards the client works again', async () => {
    cluster = await startLocalCluster({ workers: 1, concurrency: 1, tasks: [TASK_MODULE], lockMs: 1000 });
    client = await ddf.Client.connect(cluster.url, { waitForWorkers: 1, setAsDefault: false, progress: false, lostAfterMs: 1500 });
    const log = join(tmp.dir, 'redis.log');
    const killed = client.gather([1, 2, 3].map((n) => client!.submit(slowSquare, n, 3000, log)));
    killed.catch(() => {}); // settled below
    await until(() => logLines(log).length >= 1, 'a task to start');
    cluster.redis.kill('SIGKILL');
    const lost = await settle(killed, 20_000);
    expect(lost.ok).toBe(false);
    expect(lost.error!.message).toMatch(/lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+ .*the compute is stopped/);

    // Redis comes back empty (no persistence): jobs in flight are gone.
    await cluster.restartRedis();
    const restarted = client.gather([4, 5].map((n) => client!.submit(slowSquare, n, 3000, log)));
    restarted.catch(() => {}); // settled below
    await until(() => logLines(log).some(([w, n]) => w === 'start' && n >= 4), 'a task after the restart to start', 30_000);
    await cluster.restartRedis();
    const gone = await settle(restarted, 30_000);
    expect(gone.ok).toBe(false);
    // Gone from the empty Redis; or, if the restart took longer than lostAfterMs on a busy machine, lost.
    expect(gone.error!.message).toMatch(/is gone from Redis at redis:\/\/127\.0\.0\.1:\d+ \(Redis restarted without its data|no longer in Redis|lost the connection to Redis/);

    // The same client, with Redis and the worker back, computes again.
    const again = await settle(Promise.resolve(client.submit(slowSquare, 9, 10, log)), 30_000);
    expect(again.value?.square).toBe(81);
  });
});
