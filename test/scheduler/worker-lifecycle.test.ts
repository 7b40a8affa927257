import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { resourceLimitsOf } from '../../src/scheduler/thread-spawn.js';
import { tempDir } from '../helpers.js';

/** Real node processes running Dusk from its sources (through tsx), with the node options a user gives. */

const ROOT = join(import.meta.dirname, '..', '..');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const INDEX = JSON.stringify(pathToFileURL(join(ROOT, 'src', 'index.ts')).href);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `node <nodeOptions> --import tsx script` and collects its stdout. */
function start(script: string, nodeOptions: string[]): { child: ChildProcess; output: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, [...nodeOptions, '--import', TSX, script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, exited };
}

describe('node options of the script', () => {
  it('maps heap and stack sizes to a thread\'s resource limits', () => {
    expect(resourceLimitsOf(['--max-old-space-size=4096', '--stack-size=2048', '--max_semi_space_size=16', '--no-warnings'])).toEqual({ maxOldGenerationSizeMb: 4096, stackSizeMb: 2, maxYoungGenerationSizeMb: 48 });
  });

  it('a script run with --max-old-space-size and --stack-size computes on threads, and its threads get those limits', async () => {
    const { dir, remove } = tempDir();
    try {
      const script = join(dir, 'script.mts');
      writeFileSync(
        script,
        `import * as ddf from ${INDEX};
const limits = ddf.delayed((x: number) => ({ x: x + 1, limits: process.getBuiltinModule('node:worker_threads').resourceLimits }));
const threads = await limits(1).compute({ scheduler: 'threads', numWorkers: 2 });
const processes = await limits(2).compute({ scheduler: 'processes', numWorkers: 1 });
console.log(JSON.stringify({ threads, processes }));
await ddf.shutdown();
`,
      );
      const run = start(script, ['--max-old-space-size=4096', '--stack-size=2000']);
      const { code } = await run.exited;
      expect(code).toBe(0);
      const { threads, processes } = JSON.parse(run.output().trim()) as { threads: { x: number; limits: Record<string, number> }; processes: { x: number } };
      expect(threads.x).toBe(2);
      expect(threads.limits.maxOldGenerationSizeMb).toBe(4096);
      expect(threads.limits.stackSizeMb).toBeCloseTo(2000 / 1024, 6);
      expect(processes.x).toBe(3);
    } finally {
      remove();
    }
  });
});

describe('worker processes end with their parent', () => {
  /** A script whose one processes worker is busy in a synchronous loop for a minute. */
  function busyScript(dir: string): string {
    const script = join(dir, 'busy.mts');
    writeFileSync(
      script,
      `import * as ddf from ${INDEX};
const spin = ddf.delayed(function spin(ms: number) {
  console.log(JSON.stringify({ worker: process.pid }));
  const end = Date.now() + ms;
  while (Date.now() < end);
  return ms;
});
console.log(JSON.stringify({ parent: process.pid }));
await spin(60_000).compute({ scheduler: 'processes', numWorkers: 1 });
`,
    );
    return script;
  }

  async function workerPid(output: () => string): Promise<number> {
    let pid = 0;
    await vi.waitFor(
      () => {
        const line = output()
          .split('\n')
          .find((l) => l.includes('"worker"'));
        expect(line).toBeDefined();
        pid = (JSON.parse(line!) as { worker: number }).worker;
      },
      { timeout: 60_000, interval: 100 },
    );
    return pid;
  }

  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    it(`${signal} to the parent alone ends a worker busy in a long task within seconds`, async () => {
      const { dir, remove } = tempDir();
      const run = start(busyScript(dir), []);
      try {
        const worker = await workerPid(run.output);
        expect(alive(worker)).toBe(true);
        run.child.kill(signal);
        const { signal: endedBy } = await run.exited;
        expect(endedBy).toBe(signal); // the parent still ends as the signal says
        await vi.waitFor(() => expect(alive(worker)).toBe(false), { timeout: 5000, interval: 100 });
      } finally {
        run.child.kill('SIGKILL');
        remove();
      }
    });
  }
});
