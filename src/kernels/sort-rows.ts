/**
 * Ordering rows by key columns, for sort, top-k and the range split of a partitioned sort.
 * One order everywhere: each key ascending or descending, NaN after every number (so first
 * when descending, as DuckDB), nulls last (or first) whatever the direction, strings and
 * categories by their text; ties keep their input order (every order here is stable).
 */
import type { ColumnBatch, ColumnData } from '../core/column-data.js';
import { DuskError } from '../core/errors.js';
import { rowComparator } from './compare-rows.js';
import { concatColumns } from './concat.js';
import { radixOrder, rowRange } from './radix-order.js';
import { takeRows } from './take.js';

/** How rows are ordered: key columns by name, each with its direction, and where nulls go. */
export interface RowOrder {
  keys: readonly { column: string; descending: boolean }[];
  nullsFirst: boolean;
}

export type Compare = (a: number, b: number) => number;

/** The rows of several batches as one batch (categories share one dictionary). */
export function concatBatches(batches: readonly ColumnBatch[]): ColumnBatch {
  const filled = batches.filter((b) => b.length > 0);
  if (filled.length === 1) return filled[0]!;
  const first = filled[0] ?? batches[0];
  if (first === undefined) throw new DuskError('internal: no batch to concatenate (not even an empty one)');
  if (filled.length === 0) return first;
  return { length: filled.reduce((n, b) => n + b.length, 0), names: first.names, columns: first.names.map((_, j) => concatColumns(filled.map((b) => b.columns[j]!))) };
}

/** A batch's rows `rows`, in that order. */
export function takeBatch(batch: ColumnBatch, rows: Int32Array): ColumnBatch {
  return { length: rows.length, names: batch.names, columns: batch.columns.map((c) => takeRows(c, rows)) };
}

/** The key columns of a batch, in key order. */
export function keyColumns(batch: ColumnBatch, order: RowOrder): ColumnData[] {
  return order.keys.map(({ column }) => {
    const j = batch.names.indexOf(column);
    if (j < 0) throw new DuskError(`internal: sort key '${column}' is not among the rows' columns [${batch.names.join(', ')}]`);
    return batch.columns[j]!;
  });
}

/** Compares two rows by every key in turn (0 when all keys are equal: no tie-break). */
export function keysComparator(columns: readonly ColumnData[], order: RowOrder): Compare {
  const comparators = columns.map((c, k) => rowComparator(c, order.keys[k]!.descending, order.nullsFirst));
  if (comparators.length === 1) return comparators[0]!;
  return (a, b) => {
    for (const compare of comparators) {
      const d = compare(a, b);
      if (d !== 0) return d;
    }
    return 0;
  };
}

/** Rows 0 … length − 1 stably ordered: a radix sort when no key is text, else a comparison sort. */
export function sortedRows(columns: readonly ColumnData[], order: RowOrder, length: number): Int32Array {
  const rows = rowRange(length);
  const radix = radixOrder(columns, rows, { descending: order.keys.map((k) => k.descending), nullsFirst: order.nullsFirst });
  if (radix !== null) return radix;
  const compare = keysComparator(columns, order);
  return rows.sort((a, b) => compare(a, b) || a - b);
}

/**
 * The first `n` of rows 0 … length − 1 in the stable order, without sorting them all: a heap
 * of the n best so far (worst on top) that a row enters only when strictly better than the
 * worst (a tie loses: it came later). Few comparisons per row when n is small.
 */
export function topRows(columns: readonly ColumnData[], order: RowOrder, length: number, n: number): Int32Array {
  if (n <= 0) return new Int32Array(0);
  if (n * 4 >= length) return sortedRows(columns, order, length).slice(0, Math.min(n, length));
  const compare = keysComparator(columns, order);
  // Worse = later in the order (a tie: the later row).
  const worse = (a: number, b: number) => compare(a, b) > 0 || (compare(a, b) === 0 && a > b);
  const heap = new Int32Array(n);
  let size = 0;
  const siftDown = (from: number): void => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) return;
      const r = l + 1;
      const c = r < size && worse(heap[r]!, heap[l]!) ? r : l;
      if (!worse(heap[c]!, heap[i]!)) return;
      [heap[i], heap[c]] = [heap[c]!, heap[i]!];
      i = c;
    }
  };
  for (let row = 0; row < length; row++) {
    if (size < n) {
      let i = size++;
      heap[i] = row;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[p]!)) break;
        [heap[i], heap[p]] = [heap[p]!, heap[i]!];
        i = p;
      }
    } else if (compare(row, heap[0]!) < 0) {
      heap[0] = row;
      siftDown(0);
    }
  }
  return heap.subarray(0, size).sort((a, b) => compare(a, b) || a - b);
}

/** Rows of the batches (in order) stably sorted, as one batch of fresh columns (safe to move between threads). */
export function sortBatches(batches: readonly ColumnBatch[], order: RowOrder): ColumnBatch[] {
  if (batches.length === 0) return [];
  const all = concatBatches(batches);
  if (all.length === 0) return [takeBatch(all, new Int32Array(0))];
  return [takeBatch(all, sortedRows(keyColumns(all, order), order, all.length))];
}

/** The first n rows of the batches (in order) in the stable order, as one batch of fresh columns. */
export function topBatches(batches: readonly ColumnBatch[], order: RowOrder, n: number): ColumnBatch[] {
  if (batches.length === 0) return [];
  const all = concatBatches(batches);
  if (all.length === 0) return [takeBatch(all, new Int32Array(0))];
  return [takeBatch(all, topRows(keyColumns(all, order), order, all.length, n))];
}
