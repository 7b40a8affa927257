import type { TaskInvocation, TaskOutcome } from './task-outcome.js';

/**
 * A batch handed to a worker pool (threads or processes). Several things race to end it (its outcomes, its
 * worker's death, an abort, close()); only the first counts, so no result is delivered twice.
 */
export class PoolJob {
  private ended = false;

  constructor(
    readonly id: number,
    readonly batch: TaskInvocation[],
    private readonly resolve: (outcomes: TaskOutcome[]) => void,
    private readonly reject: (err: Error) => void,
    /** Called once, when the job ends either way. */
    private readonly onEnd: () => void,
  ) {}

  finish(outcomes: TaskOutcome[]): void {
    if (this.end()) this.resolve(outcomes);
  }

  fail(err: Error): void {
    if (this.end()) this.reject(err);
  }

  private end(): boolean {
    if (this.ended) return false;
    this.ended = true;
    this.onEnd();
    return true;
  }
}
