import type { ColumnBatch } from '../../core/column-data.js';

/**
 * Where a consumer's rows go. Per partition, an accumulator is updated batch by batch and
 * sealed into a partial: plain data (typed arrays, plain objects) that moves between threads.
 * Partials are merged in partition order (the order fixes the bits of the result) and the
 * merged partial is finished into the result.
 */
export interface Sink<S, A, P, R> {
  readonly kind: string;
  init(spec: S): A;
  update(spec: S, acc: A, batch: ColumnBatch): A;
  seal(spec: S, acc: A): P;
  merge(spec: S, partials: P[]): P;
  finish(spec: S, partial: P): R;
}
