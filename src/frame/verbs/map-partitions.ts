import { randomUUID } from 'node:crypto';
import type { Table } from 'apache-arrow';
import type { ColumnInput } from '../../core/column-from-values.js';
import { checkDType, type DType } from '../../core/dtypes.js';
import { DuskSchemaError } from '../../core/errors.js';
import { checkOptions, type ListsEveryKey } from '../../core/options.js';
import { isPlainObject } from '../../core/plain-object.js';
import { type Schema, schemaOf } from '../../core/schema.js';
import type { FunctionRef } from '../../kernels/function-ref.js';
import type { SharedPayload } from '../../kernels/shared-store.js';
import { MapPartitions } from '../../plan/logical/index.js';
import type { DataFrame } from '../data-frame.js';
import { type DelayedOptions, mergeOptions, unwrapDelayed } from '../delayed.js';
import { shipFunction } from '../ship-function.js';

/** What a mapPartitions function returns for a partition: an Arrow table, or columns as fromColumns takes them. */
export type PartitionResult = Table | Readonly<Record<string, ColumnInput>>;

/** A function run on each partition: its rows as an Arrow table, and its index (0-based). */
export type PartitionFunction = (table: Table, partitionIndex: number) => PartitionResult | Promise<PartitionResult>;

export interface MapPartitionsOptions extends DelayedOptions {
  /**
   * The columns the function returns, in order, with their dtypes (Dask's meta): required, as
   * the plan cannot look inside the function. Each partition's result is checked against it.
   */
  schema: Record<string, DType>;
}

const MAP_PARTITIONS_OPTION_KEYS = ['schema', 'pure', 'globals', 'name'] as const satisfies readonly (keyof MapPartitionsOptions)[];
true satisfies ListsEveryKey<MapPartitionsOptions, typeof MAP_PARTITIONS_OPTION_KEYS>;

/**
 * The plan of frame.mapPartitions(fn, options): fn ships to the workers as delayed functions
 * do (a ddf.task by its module, any other function by its source, with `globals`). Pure by
 * default, as Dask's map_partitions: the same function on the same frame runs once per compute.
 */
export function mapPartitions(frame: DataFrame, fn: PartitionFunction, options: MapPartitionsOptions): MapPartitions {
  const shipped = shipUserFunction('mapPartitions', fn, options);
  return new MapPartitions(frame.plan, shipped.name, shipped.ref, shipped.schema, shipped.nonce, shipped.shared);
}

/** A user function ready for the workers, with the schema it promises (what MapPartitions and GroupApply hold). */
export interface ShippedUserFunction {
  name: string;
  ref: FunctionRef;
  schema: Schema;
  nonce: string | null;
  shared: [string, SharedPayload][];
}

/**
 * Checks `{ schema, pure, globals, name }` and ships fn as delayed functions are shipped (a
 * ddf.task by its module, any other function by its source, with `globals`); `verb` names the
 * caller in errors. Shared by mapPartitions and groupBy().apply.
 */
export function shipUserFunction(verb: string, fn: unknown, options: MapPartitionsOptions): ShippedUserFunction {
  checkOptions(verb, options, MAP_PARTITIONS_OPTION_KEYS, { aliases: { meta: 'schema', dtypes: 'schema' } });
  if (options === undefined || !isPlainObject(options.schema)) {
    throw new DuskSchemaError(`${verb}(fn, { schema }) needs the columns fn returns with their dtypes, e.g. { schema: { Origin: 'string', delay: 'float64' } }: the plan cannot look inside fn`);
  }
  const columns = Object.keys(options.schema);
  if (columns.length === 0) throw new DuskSchemaError(`${verb}: the schema names no column; fn must return at least one`);
  const dtypes = Object.fromEntries(columns.map((c) => [c, checkDType(c, options.schema[c] as string)]));
  const inner = unwrapDelayed(fn);
  const target = inner ? inner.fn : fn;
  const { schema: _schema, ...given } = options;
  const merged = inner ? mergeOptions(inner.options, given) : given;
  const shipped = shipFunction(target, merged.globals, `${verb}()`);
  const name = merged.name ?? shipped.ref.name;
  const nonce = merged.pure === false ? randomUUID() : null;
  return { name, ref: shipped.ref, schema: schemaOf(columns, dtypes), nonce, shared: shipped.shared };
}
