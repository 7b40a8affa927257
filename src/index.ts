/**
 * Dusk: lazy, partitioned Apache Arrow dataframes and parallel task graphs for Node.js.
 *   import * as ddf from 'dusk';
 *   const air = ddf.readCsv('data/demo/*.csv.bz2');
 *   const [mx, mn] = await ddf.compute(air.col('DepDelay').max(), air.col('DepDelay').min());
 *   console.log(await air.head());   // prints as a table
 */
export { readCsv } from './frame/read-csv.js';
export { readParquet } from './frame/read-parquet.js';
export { fromArrow, fromColumns, type FromMemoryOptions, type ColumnInput } from './frame/from-memory.js';
export { compute, explain, lastComputeReport, type Computed } from './frame/compute.js';
export { DataFrame, type SortOptions } from './frame/data-frame.js';
export { concat } from './frame/verbs/concat.js';
export type { ShuffleOptions } from './frame/verbs/shuffle.js';
export type { LazyPersisted } from './frame/verbs/persist.js';
export type { MapPartitionsOptions, PartitionFunction, PartitionResult } from './frame/verbs/map-partitions.js';
export type { GroupApplyOptions, GroupFunction, GroupKey, GroupResult } from './frame/verbs/group-apply.js';
export type { DropDuplicatesOptions } from './frame/verbs/drop-duplicates.js';
export type { SampleOptions } from './frame/verbs/sample.js';
export type { JoinOptions } from './frame/verbs/join.js';
export { LazyWrite, type ToCsvOptions, type ToParquetOptions, type WriteResult } from './frame/verbs/write.js';
export { GroupBy, type GroupByOptions } from './frame/group-by.js';
export { col, lit, when, len, Expr, type ExprLike } from './expr/index.js';
export { Series } from './frame/series.js';
export { Scalar } from './frame/scalar.js';
export { LazyTable, LazyRecords, LazyColumns } from './frame/lazy-table.js';
export type { ResultTable, FormatOptions } from './frame/format-table.js';
export type { Cell, Row, Columns } from './frame/table-view.js';
export { Lazy } from './frame/lazy.js';
export { delayed, Delayed, DelayedPartition, type Arg, type DelayedFunction, type DelayedOptions, type LazyArgs } from './frame/delayed.js';
export { task } from './frame/task.js';
export { Client, type ClientOptions, type ConnectOptions, type MapOptions } from './frame/client.js';
export { Future, asCompleted, type FutureStatus } from './frame/future.js';
export { Shared, shared } from './frame/shared.js';
export { config, type ComputeOptions, type DashboardOptions, type SchedulerName } from './config.js';
export { gpu, LazyArray } from './frame/gpu.js';
export type { GpuReport } from './scheduler/run-graph.js';
export * as ml from './ml/index.js';
import { insideWorker } from './config.js';
/** True inside Dusk's workers: guard a script's top-level work when its module also defines tasks. */
export const isWorker: boolean = insideWorker();
export { shutdown } from './scheduler/executors.js';
export type { ComputeReport } from './scheduler/run-graph.js';
export { dashboard, type Dashboard } from './diagnostics/dashboard.js';
export { performanceReport, type PerformanceReportOptions } from './diagnostics/performance-report.js';
export type { VisualizeOptions } from './diagnostics/visualize.js';
export type { DiagnosticsState, ComputeView, WorkerView, TaskView } from './diagnostics/observer.js';
export { schedulerEvents, type SchedulerEvent, type ComputeStarted, type TaskEnded, type ComputeProgress, type WorkerSample, type ComputeFinished } from './scheduler/events.js';
export type { ReadCsvOptions } from './sources/csv/csv-options.js';
export type { ReadParquetOptions } from './sources/parquet/parquet-source.js';
export type { DType, Encoding } from './core/dtypes.js';
export { DuskError, DuskIoError, DuskParseError, DuskSchemaError, DuskTaskError } from './core/errors.js';
