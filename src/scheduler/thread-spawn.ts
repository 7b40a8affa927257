import { type ResourceLimits, Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { workerProgram } from './process-spawn.js';

/**
 * Node options a worker thread accepts. A thread shares its process: options of the process
 * (V8 heap and stack sizes, --expose-gc, --title…) make `new Worker` throw "Initiated Worker
 * with invalid execArgv flags", so a script run with `node --max-old-space-size=4096` could not
 * use threads at all. Node names the refused options in that error; they are left out, once
 * learnt, and the heap and stack sizes become the thread's resource limits instead.
 */
const refused = new Set<string>();

function withoutRefused(execArgv: readonly string[]): string[] {
  return execArgv.filter((a) => !refused.has(a));
}

/** --max-old-space-size=4096 → maxOldGenerationSizeMb 4096; --stack-size (KiB) → stackSizeMb. */
export function resourceLimitsOf(execArgv: readonly string[]): ResourceLimits {
  const limits: ResourceLimits = {};
  for (const a of execArgv) {
    const m = /^--(max-old-space-size|max-semi-space-size|stack-size)=(\d+(?:\.\d+)?)$/.exec(a.replace(/_/g, '-'));
    if (!m) continue;
    const n = Number(m[2]);
    if (m[1] === 'max-old-space-size') limits.maxOldGenerationSizeMb = n;
    else if (m[1] === 'max-semi-space-size') limits.maxYoungGenerationSizeMb = 3 * n; // two semi-spaces and the large-object space
    else limits.stackSizeMb = n / 1024;
  }
  return limits;
}

/** The flags an ERR_WORKER_INVALID_EXEC_ARGV error names. */
function namedFlags(err: Error): string[] {
  const list = /invalid execArgv flags: (.*)$/s.exec(err.message)?.[1];
  return list ? list.split(', ').map((f) => f.trim()).filter(Boolean) : [];
}

/** Starts one worker thread of the 'threads' scheduler. Throws if the thread cannot be made. */
export function spawnWorkerThread(): Worker {
  const { path, execArgv: wanted } = workerProgram('worker-entry');
  const url = pathToFileURL(path);
  // A TypeScript entry (tests run Dusk from its sources) is imported once tsx's hooks are
  // registered in the thread: on Node 20 a thread does not get them from --import.
  const tsxApi = () => import.meta.resolve('tsx/esm/api');
  const entry = path.endsWith('.ts')
    ? `import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); globalThis[Symbol.for('dusk.tsx-registered')] = true; return import(${JSON.stringify(url.href)}); });`
    : url;
  for (;;) {
    const execArgv = withoutRefused(wanted);
    try {
      return new Worker(entry, { eval: typeof entry === 'string', execArgv, resourceLimits: resourceLimitsOf(wanted), stdout: false, stderr: false });
    } catch (err) {
      const flags = (err as NodeJS.ErrnoException).code === 'ERR_WORKER_INVALID_EXEC_ARGV' ? namedFlags(err as Error).filter((f) => !refused.has(f)) : [];
      if (flags.length === 0) throw err;
      flags.forEach((f) => refused.add(f));
    }
  }
}
