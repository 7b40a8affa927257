import { DuskTaskError } from '../core/errors.js';

export type FutureStatus = 'pending' | 'finished' | 'error' | 'cancelled';

/**
 * A task already sent to run (eager, non-blocking). Awaiting it, or client.gather, blocks
 * until its result is in; a failed task rejects with its key and the worker's stack.
 */
export class Future<T> implements PromiseLike<T> {
  status: FutureStatus = 'pending';
  private readonly promise: Promise<T>;
  private settle!: { resolve: (value: T) => void; reject: (error: Error) => void };

  constructor(
    /** The task key (set when the task is planned). */
    public key: string,
  ) {
    this.promise = new Promise<T>((resolve, reject) => (this.settle = { resolve, reject }));
    this.promise.catch(() => {}); // a failure is reported when awaited, not as an unhandled rejection
  }

  /** Whether the task has finished (successfully or not). */
  done(): boolean {
    return this.status !== 'pending';
  }

  /** Stops the task if it has not started; awaiting it then rejects. */
  cancel(): void {
    if (this.status !== 'pending') return;
    this.reject(new DuskTaskError(`${this.key} was cancelled`, this.key));
    this.status = 'cancelled';
  }

  /** @internal */
  resolve(value: T): void {
    if (this.status !== 'pending') return;
    this.status = 'finished';
    this.settle.resolve(value);
  }

  /** @internal */
  reject(error: Error): void {
    if (this.status !== 'pending') return;
    this.status = 'error';
    this.settle.reject(error);
  }

  then<R1 = T, R2 = never>(onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    return this.promise.then(onFulfilled, onRejected);
  }
}

/**
 * Futures in the order they finish, fastest first: for await (const f of asCompleted(futures)).
 * A hand-written iterator, not an async generator: a generator would await each yielded future
 * (they are PromiseLike) and hand out results instead of futures.
 */
export function asCompleted<T>(futures: Iterable<Future<T>>): AsyncIterableIterator<Future<T>> {
  const all = [...futures];
  const finished: Future<T>[] = [];
  const waiters: ((result: IteratorResult<Future<T>>) => void)[] = [];
  let handedOut = 0;
  for (const f of all) {
    const mark = () => {
      const waiter = waiters.shift();
      if (waiter) {
        handedOut++;
        waiter({ value: f, done: false });
      } else finished.push(f);
    };
    f.then(mark, mark);
  }
  const iterator: AsyncIterableIterator<Future<T>> = {
    next() {
      if (finished.length > 0) {
        handedOut++;
        return Promise.resolve({ value: finished.shift()!, done: false });
      }
      if (handedOut + waiters.length >= all.length) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => waiters.push(resolve));
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
