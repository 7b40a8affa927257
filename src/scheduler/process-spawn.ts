import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Node options a worker process must not copy from its parent: a second debugger on the same port fails. */
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
 * The worker program next to this file. Workers get the parent's node options (a script run
 * with tsx can then ship TypeScript task modules; memory limits carry over); when Dusk itself
 * runs from TypeScript sources (tests), the worker is TypeScript and loads through tsx's loader.
 */
function workerProgram(): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  const path = here.replace(/process-spawn\.(ts|js)$/, `process-worker-entry.${ts ? 'ts' : 'js'}`);
  const execArgv = inheritedExecArgv(process.execArgv);
  if (ts) execArgv.push('--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href);
  return { path, execArgv };
}

/**
 * Starts one worker process. 'advanced' serialization carries typed arrays, Maps and BigInts
 * (the default JSON would flatten them); stdout/stderr are the parent's, so a crash's
 * message is seen where the script runs. DUSK_WORKER_PROCESS tells Dusk inside the worker
 * that it is one (a compute there runs inline instead of starting a pool of its own).
 */
export function spawnWorkerProcess(): ChildProcess {
  const { path, execArgv } = workerProgram();
  return fork(path, [], { execArgv, env: { ...process.env, DUSK_WORKER_PROCESS: '1' }, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}
