import type { Table } from 'apache-arrow';
import { GroupApply, type LogicalPlan } from '../../plan/logical/index.js';
import type { GroupByOptions } from '../group-by.js';
import { type MapPartitionsOptions, type PartitionResult, shipUserFunction } from './map-partitions.js';

/** A group's key as the function gets it: { keyColumn: value } (int64 as a number when exact, category as its text). */
export type GroupKey = Readonly<Record<string, number | bigint | boolean | string | null>>;

/** What a groupBy().apply function returns for a group: one row { column: value }, or rows as mapPartitions takes them. */
export type GroupResult = PartitionResult | Readonly<Record<string, number | bigint | boolean | string | null>>;

/** A function run on each group: its rows (every column, in input order) as an Arrow table, and its key. */
export type GroupFunction = (table: Table, key: GroupKey) => GroupResult | Promise<GroupResult>;

/** groupBy().apply's options: mapPartitions' (`schema`: the columns fn returns, without the keys; pure, globals, name). */
export type GroupApplyOptions = MapPartitionsOptions;

/**
 * The plan of frame.groupBy(keys, groupOptions).apply(fn, options): fn ships as mapPartitions'
 * does; the result has the keys first, then the schema's columns, groups in key order (nulls
 * last) unless `sort: false`, null keys dropped unless `dropna: false`.
 */
export function groupApply(plan: LogicalPlan, keys: readonly string[], groupOptions: GroupByOptions, fn: GroupFunction, options: GroupApplyOptions): GroupApply {
  const shipped = shipUserFunction('groupBy().apply', fn, options);
  return new GroupApply(plan, keys, shipped.name, shipped.ref, shipped.schema, groupOptions.sort ?? true, groupOptions.dropna ?? true, shipped.nonce, shipped.shared);
}
