import type { ColumnBatch } from '../../core/column-data.js';

/**
 * Where a consumer's rows go, per partition: a partial result that is updated batch by batch,
 * merged with other partitions' partials in partition order, and finished into the result.
 * Partials are plain data (typed arrays, plain objects): they move between threads.
 */
export interface Sink<S, P, R> {
  readonly kind: string;
  init(spec: S): P;
  update(spec: S, partial: P, batch: ColumnBatch): P;
  /** Merges partials given in partition order (the order fixes the bits of the result). */
  merge(spec: S, partials: P[]): P;
  finish(spec: S, partial: P): R;
}
