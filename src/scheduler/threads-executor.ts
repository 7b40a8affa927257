import { PoolExecutor } from './pool-executor.js';

/** A pool of worker threads: tasks share the process's memory (typed arrays in shared memory are not copied). */
export class ThreadsExecutor extends PoolExecutor {
  constructor(workers: number) {
    super('threads', workers);
  }
}
