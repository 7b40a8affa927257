import { randomUUID } from 'node:crypto';
import type { ColumnData } from '../../core/column-data.js';
import type { DType } from '../../core/dtypes.js';
import { DuskSchemaError } from '../../core/errors.js';
import { schemaOf, type Schema } from '../../core/schema.js';
import type { PushdownCapabilities, Source } from '../source.js';

/** What every partition task of an in-memory frame needs: where its columns are on the worker. */
export interface MemoryFormat {
  /** The key of the columns in each worker's shared store (Source.shared). */
  key: string;
  columns: string[];
  dtypes: Record<string, DType>;
}

/**
 * Rows [start, end) of the columns. Ranges made from a partition count start at multiples of 8
 * (validity bitmaps are then views); explicit ranges (a persisted frame's) may start anywhere.
 */
export interface MemoryPartition {
  index: number;
  start: number;
  end: number;
}

/**
 * In-memory columns as a Source (ddf.fromColumns, ddf.fromArrow): partitions are row ranges.
 * The columns themselves are not in the tasks: they are the source's shared data, put on each
 * worker once per worker (with threads: typed arrays in SharedArrayBuffers, so every worker
 * reads the very same memory), and a task carries only its row range.
 */
export class MemoryTable implements Source {
  readonly kind = 'memory';
  readonly schema: Schema;
  readonly format: MemoryFormat;
  readonly partitions: MemoryPartition[];
  readonly fingerprint: string;
  readonly pushdown: PushdownCapabilities = { projection: true, limit: true };
  readonly badLines = 'error' as const;
  readonly rows: number;
  private readonly bytes: number;
  private data: ReadonlyMap<string, unknown> | null;

  /**
   * `columns`: whole columns of equal length (their buffers preferably in shared memory);
   * `partitioning`: how many row ranges to cut them into, or the rows of each partition in
   * order (they must add up to the columns' length; a partition may be empty);
   * `origin` says what they came from, for explain() and errors.
   */
  constructor(
    columns: Readonly<Record<string, ColumnData>>,
    partitioning: number | readonly number[],
    private readonly origin: string,
  ) {
    const names = Object.keys(columns);
    if (names.length === 0) throw new DuskSchemaError(`${origin}: no columns`);
    const rows = columns[names[0]!]!.length;
    for (const name of names) {
      if (columns[name]!.length !== rows) throw new DuskSchemaError(`${origin}: column '${name}' has ${columns[name]!.length} rows, but '${names[0]}' has ${rows}`);
    }
    this.rows = rows;
    this.partitions = typeof partitioning === 'number' ? evenRanges(rows, partitioning, origin) : explicitRanges(rows, partitioning, origin);
    const dtypes = Object.fromEntries(names.map((n) => [n, columns[n]!.dtype]));
    // The data cannot change after it was copied in (or, if the caller's arrays were already in
    // shared memory, the caller promised not to): one id per frame keys its tasks.
    const key = `memory-${randomUUID()}`;
    this.fingerprint = key;
    this.format = { key, columns: names, dtypes };
    this.schema = schemaOf(names, dtypes);
    this.data = new Map([[key, columns]]);
    this.bytes = Object.values(columns).reduce(
      (n, c) => n + (c.dtype === 'string' ? c.data.byteLength + c.offsets.byteLength : c.dtype === 'category' ? c.indices.byteLength : c.values.byteLength),
      0,
    );
  }

  /**
   * The columns, put on each worker once per worker (Source.shared). After release(), planning
   * a compute over this source fails, naming what released it.
   */
  get shared(): ReadonlyMap<string, unknown> {
    if (this.data === null) throw new DuskSchemaError(`${this.origin} was unpersisted: its data is gone; compute the frame it came from again, or persist it again`);
    return this.data;
  }

  /** Whether release() was called. */
  get released(): boolean {
    return this.data === null;
  }

  /**
   * Drops this source's reference to its columns (DataFrame.unpersist); the caller drops the
   * workers' copies (scheduler unshare). Computes over it fail from now on.
   */
  release(): void {
    this.data = null;
  }

  /** The columns' bytes: nothing is parsed, but the consumers' work grows with them. */
  workBytes(): number {
    return this.bytes;
  }

  describe(): string {
    return `memory ${this.origin}, ${this.rows} rows in ${this.partitions.length} partitions, shared with workers`;
  }

  partitionLabel(i: number): string {
    const p = this.partitions[i]!;
    return `rows ${p.start}–${p.end}`;
  }
}

/** Row ranges of about rows/npartitions rows, each starting at a multiple of 8. */
function evenRanges(rows: number, npartitions: number, origin: string): MemoryPartition[] {
  if (!Number.isInteger(npartitions) || npartitions < 1) throw new DuskSchemaError(`${origin}: npartitions must be a positive integer, not ${String(npartitions)}`);
  const step = Math.max(8, Math.ceil(rows / npartitions / 8) * 8);
  const partitions: MemoryPartition[] = [];
  for (let start = 0; start < rows || partitions.length === 0; start += step) partitions.push({ index: partitions.length, start, end: Math.min(rows, start + step) });
  return partitions;
}

/** One range per given partition length, one after another. */
function explicitRanges(rows: number, lengths: readonly number[], origin: string): MemoryPartition[] {
  if (lengths.length === 0) throw new DuskSchemaError(`${origin}: at least one partition is needed`);
  const partitions: MemoryPartition[] = [];
  let start = 0;
  for (const length of lengths) {
    if (!Number.isInteger(length) || length < 0) throw new DuskSchemaError(`${origin}: partition ${partitions.length} has ${String(length)} rows; a partition's rows are a whole number ≥ 0`);
    partitions.push({ index: partitions.length, start, end: start + length });
    start += length;
  }
  if (start !== rows) throw new DuskSchemaError(`${origin}: the partitions hold ${start} rows, but the columns have ${rows}`);
  return partitions;
}
