import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as ddf from '../../src/index.js';
import { type ComputeOptions, resolveOptions } from '../../src/config.js';
import type { Lazy } from '../../src/frame/lazy.js';
import { optimize } from '../../src/plan/optimize/index.js';
import { lowerToGraph } from '../../src/plan/physical/lower.js';

const lower = (roots: Parameters<typeof lowerToGraph>[0]) => lowerToGraph(roots).graph;
import type { Executor } from '../../src/scheduler/executor.js';
import { ProcessesExecutor } from '../../src/scheduler/processes-executor.js';
import { runGraph } from '../../src/scheduler/run-graph.js';
import { SyncExecutor } from '../../src/scheduler/sync-executor.js';
import type { TaskInvocation } from '../../src/scheduler/task-outcome.js';
import type { ArgRef } from '../../src/kernels/call-task.js';
import { FIXTURES, tempDir } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');

function air() {
  return ddf.readCsv(join(FIXTURES, 'airline/none/*.csv'), { encoding: 'latin1' });
}

/** Runs lazies the way compute() does, on a given executor. */
async function run(executor: Executor, lazies: Lazy<unknown>[], options: ComputeOptions = {}) {
  const graph = lower(optimize(lazies.map((l) => l.plan)));
  const { values, report } = await runGraph(graph, executor, resolveOptions({ scheduler: executor.name, numWorkers: executor.workers, progress: false, ...options }));
  return { values: values.map((v, i) => lazies[i]!.finish(v)), raw: values, report, graph };
}

/** A task running a self-contained function shipped as source (`refs`: where shared values go). */
function call(source: string, args: unknown[] = [], key = 'call-test', refs: ArgRef[] = []): TaskInvocation {
  return { key, spec: { op: 'call', args: { fn: { kind: 'source', name: 'f', source, globalsKey: null, globalNames: [] }, args, refs } }, deps: [], compute: 0 };
}
const SPIN = 'function spin(ms) { const end = Date.now() + ms; while (Date.now() < end); return ms; }';
const never = new AbortController().signal;

/** Starts every worker of a pool (as many batches at once as workers) and waits until they answer. */
async function warm(executor: ProcessesExecutor): Promise<void> {
  await Promise.all(Array.from({ length: executor.workers }, () => executor.runBatch([call('() => 0')], never)));
  expect(executor.pids()).toHaveLength(executor.workers);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sets env vars for worker processes forked while `body` runs (children copy env at fork). */
async function withEnv<T>(vars: Record<string, string>, body: () => Promise<T>): Promise<T> {
  Object.assign(process.env, vars);
  try {
    return await body();
  } finally {
    for (const k of Object.keys(vars)) delete process.env[k];
  }
}

const pool = new ProcessesExecutor(2);
afterAll(() => pool.close());

describe('processes scheduler: same answers as sync', () => {
  it('computes reductions like sync, opening each file once, with live bytes read', async () => {
    const df = air();
    const lazies = [df.col('DepDelay').max(), df.col('DepDelay').min(), df.col('Distance').mean(), df.col('ArrDelay').std(), df.col('DepDelay').count()];
    const sync = new SyncExecutor();
    const want = await run(sync, lazies);
    const bytesBefore = pool.bytesRead();
    const got = await run(pool, lazies);
    expect(got.values).toEqual(want.values);
    expect(got.report.scheduler).toBe('processes');
    expect(Object.values(got.report.opens)).toEqual([1, 1]);
    expect(got.report.bytesRead).toBe(want.report.bytesRead);
    // Children report bytes over IPC; the total matches what the sync scheduler counted.
    expect(pool.bytesRead() - bytesBefore).toBe(sync.bytesRead());
    expect(pool.bytesRead() - bytesBefore).toBeGreaterThan(0);
  });

  it('returns column batches (typed arrays) intact, and reuses its processes', async () => {
    await warm(pool);
    const pidsBefore = pool.pids();
    expect(pidsBefore).toHaveLength(2);
    const df = air();
    const lazies = [df.head(20), df.toArrow()];
    const want = await run(new SyncExecutor(), lazies);
    const got = await run(pool, lazies);
    expect(got.raw).toEqual(want.raw);
    expect(String(got.values[1])).toBe(String(want.values[1]));
    expect(pool.pids().sort()).toEqual(pidsBefore.sort());
  });

  it('carries Maps, BigInts and typed arrays; a result that cannot be sent fails only its task', async () => {
    const [value, bad] = await pool.runBatch([call('() => new Map([[1n, new Float64Array([1.5, 2])]])'), call('() => () => 1', [], 'call-bad')], never);
    expect(value).toEqual({ ok: true, value: new Map([[1n, new Float64Array([1.5, 2])]]), metrics: expect.anything(), ran: { worker: expect.stringMatching(/ pid \d+ thread \d+$/), start: expect.any(Number), end: expect.any(Number) } });
    expect(bad!.ok).toBe(false);
    if (!bad!.ok) expect(bad!.error).toMatchObject({ message: expect.stringMatching(/^task 'f' returned a value that cannot be sent back from a worker: result is a function/), retryable: false });
    expect((await pool.runBatch([call('() => 42')], never))[0]).toMatchObject({ ok: true, value: 42 });
  });

  it('puts shared values on running and later-started workers once', async () => {
    const refs: ArgRef[] = [{ path: [0], source: { kind: 'shared', key: 'test-shared-a' } }];
    const payload = { kind: 'value' as const, value: new Float64Array([1, 2, 3]) };
    await pool.share('test-shared-a', payload);
    const [out] = await pool.runBatch([call('(a) => a[1] + a.length', [null], 'call-test', refs)], never);
    expect(out).toMatchObject({ ok: true, value: 5 });
    const fresh = new ProcessesExecutor(1);
    try {
      await fresh.share('test-shared-a', payload); // before any process exists
      const [later] = await fresh.runBatch([call('(a) => a[1] + a.length', [null], 'call-test', refs)], never);
      expect(later).toMatchObject({ ok: true, value: 5 });
      await expect(fresh.share('test-shared-fn', { kind: 'value', value: () => 1 })).rejects.toThrow(/cannot be sent to a worker process/);
    } finally {
      await fresh.close();
    }
  });
});

describe('processes scheduler: a worker that dies', () => {
  /** The key of the second partition's scan: the task the test hook kills a worker on. */
  function victim(graph: ReturnType<typeof lower>): string {
    const key = [...graph.tasks.keys()].find((k) => k.startsWith('scan-') && k.endsWith('-1'));
    expect(key).toBeDefined();
    return key!;
  }

  it('is replaced and its task retried (retries: 1): right answer, one retry, no orphan', async () => {
    const df = air();
    const lazies = [df.col('DepDelay').max(), df.col('DepDelay').min()];
    const want = await run(new SyncExecutor(), lazies);
    const { dir, remove } = tempDir();
    const executor = new ProcessesExecutor(2);
    try {
      const marker = join(dir, 'died');
      const key = victim(lower(optimize(lazies.map((l) => l.plan))));
      const got = await withEnv({ DUSK_TEST_EXIT_ON_TASK: key, DUSK_TEST_EXIT_MARKER: marker }, () => run(executor, lazies, { retries: 1 }));
      expect(got.values).toEqual(want.values);
      expect(got.report.retries).toBe(1);
      expect(Object.values(got.report.opens)).toEqual([1, 1]);
      const dead = Number(readFileSync(marker, 'utf8'));
      expect(alive(dead)).toBe(false);
      expect(executor.pids()).not.toContain(dead);
    } finally {
      const pids = executor.pids();
      await executor.close();
      expect(pids.filter(alive)).toEqual([]);
      remove();
    }
  });

  it('fails with a clear error when out of retries (retries: 0), and the pool goes on working', async () => {
    const df = air();
    const lazies = [df.col('DepDelay').max()];
    const { dir, remove } = tempDir();
    const executor = new ProcessesExecutor(2);
    const seen = new Set<number>();
    try {
      const marker = join(dir, 'died');
      const key = victim(lower(optimize(lazies.map((l) => l.plan))));
      const failed = await withEnv({ DUSK_TEST_EXIT_ON_TASK: key, DUSK_TEST_EXIT_MARKER: marker }, () => {
        const running = run(executor, lazies, { retries: 0 });
        executor.pids().forEach((p) => seen.add(p));
        return running.then(
          () => null,
          (err: unknown) => err,
        );
      });
      expect(failed).toBeInstanceOf(ddf.DuskTaskError);
      const dead = Number(readFileSync(marker, 'utf8'));
      expect((failed as Error).message).toContain(`worker process ${dead} exited with code 13 while running task ${key}`);
      expect((failed as ddf.DuskTaskError).taskKey).toBe(key);
      expect(alive(dead)).toBe(false);

      // The replacement (and the marker) let the same compute succeed now.
      const again = await run(executor, lazies);
      executor.pids().forEach((p) => seen.add(p));
      expect(again.values).toEqual((await run(new SyncExecutor(), lazies)).values);
      expect(existsSync(marker)).toBe(true);
    } finally {
      await executor.close();
      expect([...seen].filter(alive)).toEqual([]);
      remove();
    }
  });

  it('names the signal when killed from outside, and the uncaught error when it crashes', async () => {
    const executor = new ProcessesExecutor(1);
    try {
      await executor.runBatch([call('() => 0')], never); // started and ready
      const [victimPid] = executor.pids();
      const running = executor.runBatch([call(SPIN, [10_000], 'call-spin')], never);
      setTimeout(() => process.kill(victimPid!, 'SIGKILL'), 100);
      const [killed] = await running;
      expect(killed!.ok).toBe(false);
      if (!killed!.ok) expect(killed!.error).toMatchObject({ name: 'DuskTaskError', message: expect.stringMatching(new RegExp(`^worker process ${victimPid} exited with signal SIGKILL .*while running task call-spin`)) });

      // An error thrown by the task's own callback fails the task (not the worker's next one), and the worker is replaced.
      const [beforeCrash] = executor.pids();
      const crashSource = "() => { setTimeout(() => { throw new Error('boom in a callback'); }, 0); return new Promise(() => {}); }";
      const [crashed] = await executor.runBatch([call(crashSource, [], 'call-crash')], never);
      expect(crashed!.ok).toBe(false);
      if (!crashed!.ok) expect(crashed!.error.message).toMatch(/^task call-crash threw Error: boom in a callback in a callback it started .*while it ran/);


      expect((await executor.runBatch([call('() => 7')], never))[0]).toMatchObject({ ok: true, value: 7 });
      expect(executor.pids()).not.toContain(victimPid);
      expect(executor.pids()).not.toContain(beforeCrash);
    } finally {
      await executor.close();
    }
  });

  it('survives a worker running out of memory', async () => {
    const executor = new ProcessesExecutor(1);
    try {
      // A small heap for the worker only (children read NODE_OPTIONS when they start).
      const [oom] = await withEnv({ NODE_OPTIONS: '--max-old-space-size=48' }, () =>
        executor.runBatch([call('() => { const a = []; for (;;) a.push({ x: Math.random(), y: [1, 2, 3] }); }', [], 'call-hog')], never),
      );
      expect(oom!.ok).toBe(false);
      if (!oom!.ok) expect(oom!.error.message).toMatch(/^worker process \d+ exited with signal SIGABRT \(.*out of memory.*\) while running task call-hog/);
      expect((await executor.runBatch([call('() => 8')], never))[0]).toMatchObject({ ok: true, value: 8 });
    } finally {
      await executor.close();
    }
  });
});

describe('processes scheduler: abort, queueing, exit', () => {
  it('an aborted batch settles at once, queued or running; its worker is replaced', async () => {
    const executor = new ProcessesExecutor(1);
    try {
      await executor.runBatch([call('() => 0')], never);
      const [first] = executor.pids();
      // One worker: the first batch runs, the second waits in the queue.
      const runningAbort = new AbortController();
      const queuedAbort = new AbortController();
      const running = executor.runBatch([call(SPIN, [10_000], 'call-long')], runningAbort.signal);
      const queued = executor.runBatch([call('() => 1', [], 'call-queued')], queuedAbort.signal);
      const after = executor.runBatch([call('() => 2', [], 'call-after')], never);
      queuedAbort.abort();
      await expect(queued).rejects.toThrow('cancelled');
      await new Promise((r) => setTimeout(r, 100));
      const t0 = performance.now();
      runningAbort.abort();
      await expect(running).rejects.toThrow('cancelled');
      expect(performance.now() - t0).toBeLessThan(500);
      // The batch behind them runs on a fresh process.
      expect((await after)[0]).toMatchObject({ ok: true, value: 2 });
      await vi.waitFor(() => expect(alive(first!)).toBe(false));
      expect(executor.pids()).toHaveLength(1);
      expect(executor.pids()).not.toContain(first);
      await expect(executor.runBatch([call('() => 3')], AbortSignal.abort())).rejects.toThrow('cancelled');
    } finally {
      await executor.close();
    }
  });

  it('hands batches to whichever worker is free (dynamic, FIFO)', async () => {
    // One slow batch and four quick ones on two workers: the quick ones all go to the other worker.
    await warm(pool);
    const slow = pool.runBatch([call(`(ms) => { ${SPIN}; spin(ms); return process.pid; }`, [600])], never);
    const quick = await Promise.all([1, 2, 3, 4].map(() => pool.runBatch([call('() => process.pid')], never)));
    const slowPid = ((await slow)[0] as { value: number }).value;
    const quickPids = new Set(quick.map((o) => (o[0] as { value: number }).value));
    expect(quickPids.size).toBe(1);
    expect(quickPids.has(slowPid)).toBe(false);
  });

  it('does not keep a script alive: it exits by itself without close()', async () => {
    const { dir, remove } = tempDir();
    try {
      const src = (p: string) => JSON.stringify(pathToFileURL(join(ROOT, 'src', p)).href);
      const script = join(dir, 'script.mts');
      writeFileSync(
        script,
        `import * as ddf from ${src('index.js')};
import { resolveOptions } from ${src('config.js')};
import { optimize } from ${src('plan/optimize/index.js')};
import { lowerToGraph } from ${src('plan/physical/lower.js')};
import { runGraph } from ${src('scheduler/run-graph.js')};
import { ProcessesExecutor } from ${src('scheduler/processes-executor.js')};
const df = ddf.readCsv(${JSON.stringify(join(FIXTURES, 'airline/none/*.csv'))}, { encoding: 'latin1' });
const lazy = df.col('DepDelay').max();
const executor = new ProcessesExecutor(2);
const { values } = await runGraph(lowerToGraph(optimize([lazy.plan])).graph, executor, resolveOptions({ scheduler: 'processes', numWorkers: 2, progress: false }));
console.log(JSON.stringify({ max: lazy.finish(values[0]), pids: executor.pids() }));
`,
      );
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
      const child = spawn(process.execPath, ['--import', tsx, script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`the script did not exit by itself in 20 s; output: ${out}`));
        }, 20_000);
        child.on('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      expect(code).toBe(0);
      const result = JSON.parse(out.trim()) as { max: number; pids: number[] };
      expect(result.max).toBe((await run(new SyncExecutor(), [air().col('DepDelay').max()])).values[0]);
      // Its workers go with it (their IPC channel closes and they exit).
      await vi.waitFor(() => expect(result.pids.filter(alive)).toEqual([]), { timeout: 5000 });
    } finally {
      remove();
    }
  });
});
