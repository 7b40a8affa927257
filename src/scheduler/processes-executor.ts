import { PoolExecutor } from './pool-executor.js';

/** A pool of child processes: each worker has its own heap; a crash or out-of-memory ends one worker, not the script. */
export class ProcessesExecutor extends PoolExecutor {
  constructor(workers: number) {
    super('processes', workers);
  }
  /** Process ids of the pool's workers (starting, idle or busy), for diagnostics and tests. */
  pids(): number[] {
    return this.ids();
  }
}
