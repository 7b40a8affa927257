import type { ColumnBatch } from '../core/column-data.js';
import type { Schema } from '../core/schema.js';
import type { ExprNode } from '../expr/ir.js';
import type { IoMetrics, ProgressSink } from '../io/io-metrics.js';

/**
 * What a worker-side read may use: counters for the compute report and the progress bar, and
 * the worker's copy of a source's shared data (Source.shared).
 */
export interface ReadContext {
  metrics: IoMetrics;
  progress: ProgressSink;
  sharedValue?: (key: string) => unknown;
}

/** What a source can do itself, so the optimizer knows what to push into its scan. */
export interface PushdownCapabilities {
  /** Reads only the columns asked for (the others are skipped, not parsed). */
  projection: boolean;
  /** Stops reading a partition once it has produced this many rows. */
  limit: boolean;
  /**
   * Skips parts of a partition no row of which can pass the scan's filter (Parquet row groups,
   * by their min/max statistics): the reader gets the filter as `predicate`. Only a shortcut:
   * the filter is still applied to the rows read.
   */
  predicate?: boolean;
}

/**
 * A table Dusk can scan, partition by partition (DataFusion's TableProvider). Lives on the
 * calling thread; the plan holds it. Tasks carry only `format` and one partition (plain data),
 * and a worker reads them with the reader registered under `kind` (readers.ts).
 */
export interface Source {
  readonly kind: string;
  readonly schema: Schema;
  /** Plain data every partition task of this source needs (e.g. the CSV dialect and dtypes). */
  readonly format: unknown;
  /** Plain data, one per unit of parallel work. */
  readonly partitions: readonly unknown[];
  /** Changes when the data changes (sizes, modification times): part of task keys. */
  readonly fingerprint: string;
  readonly pushdown: PushdownCapabilities;
  /** What a read does with malformed rows: 'warn' makes compute warn about the rows it skipped. */
  readonly badLines: 'error' | 'skip' | 'warn';
  /**
   * Data put on each worker once per compute, before the scan's tasks (in-memory sources: their
   * columns, in shared memory with threads); partitions and format name it by key, and the
   * reader gets it with ctx.sharedValue(key).
   */
  readonly shared?: ReadonlyMap<string, unknown>;
  /**
   * Estimated work of reading every partition, in bytes of plain text: a compressed byte counts
   * as much as the plain bytes that cost as much to read. Decides whether a compute is small
   * enough to run on the calling thread (ComputeOptions.inlineBelowBytes).
   */
  workBytes(): number;
  /** One line for explain(): what is read, how many partitions. */
  describe(): string;
  /** A short label of partition i for progress and task graphs. */
  partitionLabel(i: number): string;
}

/**
 * The worker side of a source: streams one partition as column batches of `columns` (in that
 * order), at most `limitRows` rows when given. `predicate` (sources with pushdown.predicate):
 * rows that fail it may be left out; the caller filters what comes back anyway.
 */
export type PartitionReader = (
  format: unknown,
  partition: unknown,
  columns: readonly string[],
  ctx: ReadContext,
  limitRows?: number,
  predicate?: ExprNode | null,
) => AsyncIterable<ColumnBatch>;
