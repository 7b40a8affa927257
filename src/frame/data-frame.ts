import { inspect } from 'node:util';
import type { DType } from '../core/dtypes.js';
import { DuskSchemaError } from '../core/errors.js';
import { unknownColumnError } from '../core/unknown-column.js';
import { col, type Expr, type ExprLike, isAggregate } from '../expr/index.js';
import { toNode } from '../expr/expr.js';
import { Aggregate, Describe, Filter, Limit, type LogicalPlan, Scan, Select, Sort, WithColumns } from '../plan/logical/index.js';
import type { NamedExpr } from '../plan/logical/named-expr.js';
import type { Source } from '../sources/source.js';
import { checkOptions, type ListsEveryKey } from '../core/options.js';
import { GROUP_BY_OPTION_KEYS, GroupBy, type GroupByOptions } from './group-by.js';
import { describeLazy } from './format-table.js';
import { LazyColumns, LazyRecords, LazyTable } from './lazy-table.js';
import { Series } from './series.js';
import { join, type JoinOptions } from './verbs/join.js';
import { shuffle, type ShuffleOptions } from './verbs/shuffle.js';
import { type LazyPersisted, persist, unpersist } from './verbs/persist.js';
import { mapPartitions, type MapPartitionsOptions, type PartitionFunction } from './verbs/map-partitions.js';
import { toDelayed } from './verbs/to-delayed.js';
import type { DelayedPartition } from './delayed.js';
import { topK } from './verbs/top-k.js';
import { dropDuplicates, type DropDuplicatesOptions } from './verbs/drop-duplicates.js';
import { sample, type SampleOptions } from './verbs/sample.js';
import { LazyWrite, toCsv, toParquet, type ToCsvOptions, type ToParquetOptions } from './verbs/write.js';

export interface SortOptions {
  /** Descending instead of ascending: one flag for every column, or one per column. Default false. */
  descending?: boolean | boolean[];
  /** Rows with a null key before the others instead of after them (whatever the direction). Default false. */
  nullsFirst?: boolean;
}

/** Every SortOptions key (checked against the interface both ways). */
const SORT_OPTION_KEYS = ['descending', 'nullsFirst'] as const satisfies readonly (keyof SortOptions)[];
true satisfies ListsEveryKey<SortOptions, typeof SORT_OPTION_KEYS>;

function named(exprs: Record<string, ExprLike>): NamedExpr[] {
  return Object.entries(exprs).map(([name, expr]) => ({ name, expr: toNode(expr) }));
}

/**
 * A lazy, partitioned table: a logical plan. Every method returns a new frame (or a lazy
 * result) and checks names and types at once; nothing is read until a result is awaited.
 */
export class DataFrame {
  constructor(
    /** The logical plan producing this frame (internal). */
    readonly plan: LogicalPlan,
  ) {}

  static fromSource(source: Source): DataFrame {
    return new DataFrame(new Scan(source));
  }

  get columns(): string[] {
    return [...this.plan.schema.columns];
  }

  get dtypes(): Record<string, DType> {
    return { ...this.plan.schema.dtypes };
  }

  /** How many partitions the frame has (tasks per step that works partition by partition). */
  get npartitions(): number {
    return this.plan.partitionCount();
  }

  private check(name: string): void {
    if (!this.plan.schema.columns.includes(name)) throw unknownColumnError(name, this.plan.schema.columns);
  }

  /** One column, lazily (reductions: min, max, mean, …). */
  col(name: string): Series {
    this.check(name);
    return new Series(name, this.plan.schema.dtypes[name]!, this.plan);
  }

  /**
   * Some columns, or expressions by output name:
   *   df.select('Origin', 'DepDelay');  df.select(['Origin']);  df.select({ dep: col('DepDelay').mul(60) })
   */
  select(...columns: (string | string[] | Record<string, ExprLike>)[]): DataFrame {
    const exprs: NamedExpr[] = [];
    for (const item of columns) {
      if (typeof item === 'string') exprs.push({ name: item, expr: col(item).node });
      else if (Array.isArray(item)) exprs.push(...item.map((c) => ({ name: c, expr: col(c).node })));
      else exprs.push(...named(item));
    }
    // Only aggregations: one row over every row (df.select({ m: col('x').mean(), q: col('x').quantile(0.9) })).
    const aggregated = exprs.filter((e) => isAggregate(e.expr)).length;
    if (aggregated === exprs.length && exprs.length > 0) return new DataFrame(new Aggregate(this.plan, [], exprs));
    if (aggregated > 0) throw new DuskSchemaError(`select: mix of aggregations and row-wise columns (${exprs.filter((e) => !isAggregate(e.expr)).map((e) => e.name).join(', ')}); use groupBy(keys).agg({...}) to aggregate per group`);
    return new DataFrame(new Select(this.plan, exprs));
  }

  /** Rows where the predicate is true (null counts as false). */
  filter(predicate: Expr): DataFrame {
    return new DataFrame(new Filter(this.plan, predicate.node));
  }

  /** Adds (or replaces, in place) columns computed from expressions. */
  withColumns(exprs: Record<string, ExprLike>): DataFrame {
    return new DataFrame(new WithColumns(this.plan, named(exprs)));
  }

  /** Every column but these. */
  drop(...columns: (string | string[])[]): DataFrame {
    const names = columns.flat();
    names.forEach((c) => this.check(c));
    return this.select(this.columns.filter((c) => !names.includes(c)));
  }

  /** Renames columns ({ old: 'new' }); the order stays. */
  rename(mapping: Record<string, string>): DataFrame {
    Object.keys(mapping).forEach((c) => this.check(c));
    return new DataFrame(new Select(this.plan, this.columns.map((c) => ({ name: mapping[c] ?? c, expr: col(c).node }))));
  }

  /** Rows with no null in the given columns (default: any column). */
  dropNulls(columns?: string | string[]): DataFrame {
    const names = columns === undefined ? this.columns : [columns].flat();
    names.forEach((c) => this.check(c));
    if (names.length === 0) return this;
    const predicate = names.map((c) => col(c).isNotNull()).reduce((a, b) => a.and(b));
    return this.filter(predicate);
  }

  /** Groups rows by key columns; `.agg({...})` computes per group. Sorted by key unless `sort: false`. */
  groupBy(keys: string | string[], options: GroupByOptions = {}): GroupBy {
    checkOptions('groupBy', options, GROUP_BY_OPTION_KEYS, { aliases: { sorted: 'sort', dropNulls: 'dropna' } });
    const list = [keys].flat();
    if (list.length === 0) throw new DuskSchemaError('groupBy needs at least one key column');
    list.forEach((c) => this.check(c));
    return new GroupBy(this.plan, list, options);
  }

  /**
   * The rows of this frame and `other` joined on key columns (pandas' merge):
   *   air.join(carriers, { leftOn: 'UniqueCarrier', rightOn: 'code', how: 'left' })
   * how: inner (default), left, right, outer, semi, anti; null keys never match. See JoinOptions.
   */
  join(other: DataFrame, options: JoinOptions): DataFrame {
    return new DataFrame(join(this, other, options));
  }

  /**
   * Rows ordered by columns, a partitioned sort (Dask's sort_values): the keys are sampled,
   * each partition is cut into ranges of keys and each range is sorted on a worker, so the
   * result has as many partitions as the input, partition r holding the r-th range. Stable
   * (equal keys keep their input order, on every schedule); nulls last (`nullsFirst: true` for
   * first) whatever the direction; NaN after every number (first when descending, as DuckDB);
   * strings and categories by their text. `sort(...).head(n)` runs as a top-k (no full sort).
   */
  sort(by: string | string[], options: SortOptions = {}): DataFrame {
    checkOptions('sort', options, SORT_OPTION_KEYS, { aliases: { ascending: 'descending', reverse: 'descending', na_position: 'nullsFirst', nullsLast: 'nullsFirst', nulls_last: 'nullsFirst' } });
    const columns = [by].flat();
    columns.forEach((c) => this.check(c));
    const descending = options.descending ?? false;
    return new DataFrame(new Sort(this.plan, columns.map((column, i) => ({ column, descending: Array.isArray(descending) ? (descending[i] ?? false) : descending })), options.nullsFirst ?? false));
  }

  /**
   * The n rows with the largest values of `columns` (compared in turn), largest first: pandas'
   * nlargest with keep='first' (among equal values the earlier rows win and come first). Rows
   * with a null or NaN in those columns are left out. Top n per partition, then merged: no full sort.
   */
  nlargest(n: number, columns: string | string[]): DataFrame {
    return new DataFrame(topK(this, 'nlargest', n, columns));
  }

  /** The n rows with the smallest values of `columns`, smallest first; as nlargest. */
  nsmallest(n: number, columns: string | string[]): DataFrame {
    return new DataFrame(topK(this, 'nsmallest', n, columns));
  }

  /**
   * One row per distinct value of `subset` (default: every column), the first (keep: 'first',
   * the default) or last occurrence in input order; nulls equal nulls and NaN equals NaN (pandas).
   * Exact: each partition drops its duplicates, the rest are shuffled by the subset, then each
   * bucket drops the duplicates across partitions. Row order: the result's partitions are hash
   * buckets of the subset, each in input order (not the input order overall: sort for that).
   */
  dropDuplicates(subset?: string | string[], options: DropDuplicatesOptions = {}): DataFrame {
    return new DataFrame(dropDuplicates(this, subset, options));
  }

  /**
   * A random share of the rows (Dask's sample): round(frac × rows) of each partition, kept in
   * input order; with `replace`, drawn with replacement. Partition i draws from the stream of
   * (seed, i) (numpy's SeedSequence spawn, PCG64), so the same seed gives the same rows on
   * every schedule (for the same partitioning). A number of rows `n` is not supported (nor by Dask).
   */
  sample(options: SampleOptions): DataFrame {
    return new DataFrame(sample(this, options));
  }

  /**
   * The rows spread over partitions by the hash of `on` (Dask's shuffle): rows with equal keys
   * end in the same partition. Joins and dropDuplicates shuffle by themselves; a frame
   * shuffled by their keys is not shuffled again.
   */
  shuffle(on: string | string[], options: ShuffleOptions = {}): DataFrame {
    return new DataFrame(shuffle(this, on, options));
  }

  /** count, null_count, mean, std, min, 25%, 50%, 75%, max of each numeric column (exact percentiles). */
  describe(): DataFrame {
    return new DataFrame(new Describe(this.plan));
  }

  /** The first n rows as an Arrow table; reads only as far as it needs (also after a filter). */
  head(n = 5): LazyTable {
    if (!Number.isInteger(n) || n < 0) throw new DuskSchemaError(`head(n): n must be a non-negative integer, got ${n}`);
    return new LazyTable(new Limit(this.plan, n));
  }

  /**
   * Computes the frame and keeps its partitions in memory (Dask's persist): await it for a
   * frame over them, with the same partitions, whose computes open no file. With threads the
   * columns are in shared memory every worker reads; free them with unpersist().
   */
  persist(): LazyPersisted {
    return persist(this);
  }

  /**
   * Frees the persisted data this frame reads (a no-op for a frame that reads none): computes
   * over it fail from then on. The memory returns once each thread's garbage collector runs.
   */
  unpersist(): void {
    unpersist(this);
  }

  /**
   * fn(table, partitionIndex) on each partition, on the workers (Dask's map_partitions): it gets
   * the partition as an Arrow table and returns an Arrow table or { column: typed array | array }
   * with exactly the columns and dtypes of `schema` (required; checked per partition). Shipped
   * as delayed functions are (globals, ddf.task); the input keeps every column.
   */
  mapPartitions(fn: PartitionFunction, options: MapPartitionsOptions): DataFrame {
    return new DataFrame(mapPartitions(this, fn, options));
  }

  /** One Delayed per partition, each computing to that partition as an Arrow table (for delayed graphs). */
  toDelayed(): DelayedPartition[] {
    return toDelayed(this);
  }

  /** Every row as an Arrow table (printed as a table; see also its toRecords/toColumns). */
  toArrow(): LazyTable {
    return new LazyTable(this.plan);
  }

  /**
   * Every row as a plain object ({ column: value }), lazily: `await df.toRecords()`. Values are
   * plain JS: numbers (int64 too, while exact: |v| ≤ 2^53, else a bigint), strings, booleans,
   * null for missing.
   */
  toRecords(): LazyRecords {
    return new LazyRecords(this.plan);
  }

  /** Every column as an array of plain values ({ column: [values] }), lazily; as toRecords. */
  toColumns(): LazyColumns {
    return new LazyColumns(this.plan);
  }

  /**
   * Writes the rows to a directory of Parquet files, one per partition (part.<i>.parquet), from
   * the workers; lazy: `await df.toParquet('out/x')`, or in a compute with other results (one
   * read). The files appear only once all are complete; a failure leaves nothing behind. An
   * existing directory is an error unless `overwrite: true`.
   */
  toParquet(path: string, options: ToParquetOptions = {}): LazyWrite {
    return toParquet(this, path, options);
  }

  /** Writes the rows to a directory of CSV files, one per partition (part.<i>.csv), as pandas' to_csv writes them; as toParquet. */
  toCsv(path: string, options: ToCsvOptions = {}): LazyWrite {
    return toCsv(this, path, options);
  }

  /** What the frame is, without computing it: its partitions, columns and dtypes. */
  toString(): string {
    const n = this.npartitions;
    const title = `Dusk DataFrame (lazy: ${n} partition${n === 1 ? '' : 's'}, ${this.plan.schema.columns.length} columns; await df.head() to see rows)`;
    return describeLazy(title, this.plan.schema.columns, this.plan.schema.dtypes);
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
