import type { ProgressSink } from '../io/io-metrics.js';

/**
 * A byte counter that worker threads add to while a task runs, so the progress bar can show
 * bytes read before any task has finished. Backed by shared memory; adds are atomic.
 */
export class SharedCounter implements ProgressSink {
  readonly view: BigInt64Array;
  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    this.view = new BigInt64Array(buffer);
  }
  get buffer(): SharedArrayBuffer {
    return this.view.buffer as SharedArrayBuffer;
  }
  addBytesRead(n: number): void {
    Atomics.add(this.view, 0, BigInt(n));
  }
  read(): number {
    return Number(Atomics.load(this.view, 0));
  }
}
