import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Node options a worker must not copy from its parent: a second debugger on the same port fails. */
const NOT_INHERITED = /^--(inspect|debug)/;
/** Options that carry code to run (with it as the next argument, or after '='): a worker must not run the parent's script. */
const CODE_OPTIONS = /^(-e|-p|-pe|--eval|--print|--input-type)(=|$)/;

/** The parent's node options a worker gets: not debugger ports, not the parent's -e/-p code. */
export function inheritedExecArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (NOT_INHERITED.test(a)) continue;
    if (CODE_OPTIONS.test(a)) {
      if (!a.includes('=')) i++; // skip the code (or the type) that follows
      continue;
    }
    out.push(a);
  }
  return out;
}

/**
 * A worker program next to this file (`name`, without extension) and the node options it
 * starts with: the parent's (a script run with tsx can then ship TypeScript task modules; memory
 * limits carry over); when Dusk itself runs from TypeScript sources (tests), the worker is
 * TypeScript and loads through tsx's loader.
 */
export function workerProgram(name: string): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  // Bundled (scripts/bundle.mjs), this code is in dist/chunks/ and the programs in dist/scheduler/.
  const dir = basename(dirname(here)) === 'chunks' ? join(dirname(here), '..', 'scheduler') : dirname(here);
  const path = join(dir, `${name}.${ts ? 'ts' : 'js'}`);
  const execArgv = inheritedExecArgv(process.execArgv);
  if (ts) execArgv.push('--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href);
  return { path, execArgv };
}

/**
 * Worker processes alive now. They must not outlive this process: a child running a long
 * synchronous task sees neither its IPC channel close nor any event. So when this process
 * ends on a signal or exits, it ends them (the child also watches its parent: see
 * process-worker-entry.ts, for a parent killed with SIGKILL).
 */
const living = new Set<ChildProcess>();
const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function endWorkers(): void {
  for (const child of living) child.kill('SIGTERM');
}

function onExitSignal(signal: NodeJS.Signals): void {
  // The script handles the signal itself and may go on: its exit ends the workers.
  if (process.listenerCount(signal) > 1) return;
  endWorkers();
  // Only ours listened: the signal's default action (ending the process) must still happen.
  stopWatching();
  process.kill(process.pid, signal);
}

function startWatching(): void {
  process.on('exit', endWorkers);
  for (const signal of EXIT_SIGNALS) process.on(signal, onExitSignal);
}

function stopWatching(): void {
  process.off('exit', endWorkers);
  for (const signal of EXIT_SIGNALS) process.off(signal, onExitSignal);
}

/**
 * Starts one worker process. 'advanced' serialization carries typed arrays, Maps and BigInts
 * (the default JSON would flatten them); stdout/stderr are the parent's, so a crash's
 * message is seen where the script runs. DUSK_WORKER_PROCESS tells Dusk inside the worker
 * that it is one (a compute there runs inline instead of starting a pool of its own).
 */
export function spawnWorkerProcess(): ChildProcess {
  const { path, execArgv } = workerProgram('process-worker-entry');
  // Loaded here, not at import: only the processes scheduler forks.
  const child = process.getBuiltinModule('node:child_process').fork(path, [], { execArgv, env: { ...process.env, DUSK_WORKER_PROCESS: '1' }, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (child.pid !== undefined) {
    if (living.size === 0) startWatching();
    living.add(child);
    child.once('exit', () => {
      living.delete(child);
      if (living.size === 0) stopWatching();
    });
  }
  return child;
}
