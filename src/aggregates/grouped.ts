/**
 * Grouped aggregation over column batches, as pure functions on plain data:
 *   newGroupedAccumulator → accumulateBatch (per batch of a partition) → partialOf
 *   mergeGrouped(partials in partition order) → finalizeGrouped({ sort, dropna }).
 * A GroupedPartial is { keys: the unique keys as a ColumnBatch (one row per group, first-seen
 * order), states: one per aggregate } — typed arrays and plain objects, so it moves between
 * worker threads by structured clone. With no key columns there is one group of all rows.
 */
import type { ColumnBatch, ColumnData } from '../core/column-data.js';
import type { DType } from '../core/dtypes.js';
import { DuskSchemaError } from '../core/errors.js';
import type { Schema } from '../core/schema.js';
import { unknownColumnError } from '../core/unknown-column.js';
import { assignGroupIds, type GroupTable, groupKeys, newGroupTable } from '../kernels/group-ids.js';
import { rowComparator } from '../kernels/compare-rows.js';
import { radixOrder, rowRange } from '../kernels/radix-order.js';
import { takeRows } from '../kernels/take.js';
import type { Aggregate, AggregateOptions } from './aggregate.js';
import { getAggregate } from './index.js';

/** One output column: aggregate `aggregate` of input `column` (null for len). */
export interface AggregateSpec {
  name: string;
  aggregate: string;
  column: string | null;
  q?: number;
  ddof?: number;
}

export interface GroupedPartial {
  keyNames: string[];
  keys: ColumnBatch;
  specs: AggregateSpec[];
  /** Each spec's input dtype (null for len). */
  inputDTypes: (DType | null)[];
  states: object[];
}

export interface GroupedAccumulator {
  keyNames: string[];
  specs: AggregateSpec[];
  inputDTypes: (DType | null)[];
  table: GroupTable;
  aggregates: Aggregate[];
  states: object[];
  ids: Int32Array;
}

export function optionsOf(spec: AggregateSpec): AggregateOptions {
  const options: AggregateOptions = { column: spec.column };
  if (spec.q !== undefined) options.q = spec.q;
  if (spec.ddof !== undefined) options.ddof = spec.ddof;
  return options;
}

function dtypeOf(schema: Schema, column: string, context: string): DType {
  const dtype = schema.dtypes[column];
  if (dtype === undefined) throw unknownColumnError(column, schema.columns, context);
  return dtype;
}

/**
 * The output schema (keys, then one column per spec); throws a DuskSchemaError for an unknown
 * column, an unknown aggregate, an aggregate that does not apply to a dtype or a repeated name.
 */
export function groupedSchema(keyNames: readonly string[], specs: readonly AggregateSpec[], input: Schema): Schema {
  const columns: string[] = [];
  const dtypes: Record<string, DType> = {};
  const add = (name: string, dtype: DType): void => {
    if (name in dtypes) throw new DuskSchemaError(`groupBy().agg(): output column '${name}' appears twice; give each aggregate its own name`);
    columns.push(name);
    dtypes[name] = dtype;
  };
  for (const key of keyNames) add(key, dtypeOf(input, key, ' in groupBy()'));
  for (const spec of specs) {
    const aggregate = getAggregate(spec.aggregate);
    const inputDType = aggregate.needsColumn ? dtypeOf(input, requireColumn(spec), ` in ${spec.aggregate}()`) : null;
    add(spec.name, aggregate.outputDType(inputDType, optionsOf(spec)));
  }
  return { columns, dtypes };
}

function requireColumn(spec: AggregateSpec): string {
  if (spec.column === null) throw new DuskSchemaError(`${spec.aggregate}() needs a column (output '${spec.name}')`);
  return spec.column;
}

export function newGroupedAccumulator(keyNames: readonly string[], specs: readonly AggregateSpec[], input: Schema): GroupedAccumulator {
  groupedSchema(keyNames, specs, input);
  const aggregates = specs.map((spec) => getAggregate(spec.aggregate));
  const inputDTypes = specs.map((spec, k) => (aggregates[k]!.needsColumn ? input.dtypes[spec.column!]! : null));
  const table = newGroupTable(keyNames.map((k) => input.dtypes[k]!));
  const states = specs.map((spec, k) => aggregates[k]!.create(inputDTypes[k]!, optionsOf(spec)));
  states.forEach((state, k) => aggregates[k]!.resize(state, table.groups));
  return { keyNames: [...keyNames], specs: [...specs], inputDTypes, table, aggregates, states, ids: new Int32Array(0) };
}

function columnOf(batch: ColumnBatch, name: string): ColumnData {
  const k = batch.names.indexOf(name);
  if (k < 0) throw unknownColumnError(name, batch.names, ' in a grouped batch');
  return batch.columns[k]!;
}

/** Adds one batch (it must hold the key columns and every aggregated column). */
export function accumulateBatch(acc: GroupedAccumulator, batch: ColumnBatch): void {
  const n = batch.length;
  if (acc.ids.length < n) acc.ids = new Int32Array(n);
  const ids = assignGroupIds(acc.table, acc.keyNames.map((k) => columnOf(batch, k)), n, acc.ids);
  acc.specs.forEach((spec, k) => {
    const aggregate = acc.aggregates[k]!;
    aggregate.resize(acc.states[k]!, acc.table.groups);
    aggregate.update(acc.states[k]!, ids, aggregate.needsColumn ? columnOf(batch, spec.column!) : null, n);
  });
}

/** The accumulator's groups and states as plain data. */
export function partialOf(acc: GroupedAccumulator): GroupedPartial {
  return { keyNames: acc.keyNames, keys: groupKeys(acc.table, acc.keyNames), specs: acc.specs, inputDTypes: acc.inputDTypes, states: acc.states };
}

/**
 * One partial from several, merged in the given order (partition order: first and last, and
 * first-seen group order, follow it). The inputs are not changed in value. `onMapped` sees each
 * input's mapping of its groups to merged groups, and how many merged groups there were before.
 */
export function mergeGrouped(
  partials: readonly GroupedPartial[],
  onMapped?: (input: number, mapping: Int32Array, groupsBefore: number) => void,
): GroupedPartial {
  if (partials.length === 0) throw new Error('mergeGrouped: no partials');
  const head = partials[0]!;
  const aggregates = head.specs.map((spec) => getAggregate(spec.aggregate));
  const table = newGroupTable(head.keys.columns.map((c) => c.dtype));
  const states = head.specs.map((spec, k) => aggregates[k]!.create(head.inputDTypes[k]!, optionsOf(spec)));
  partials.forEach((partial, input) => {
    const groupsBefore = table.groups;
    const mapping = assignGroupIds(table, partial.keys.columns, partial.keys.length);
    onMapped?.(input, mapping, groupsBefore);
    aggregates.forEach((aggregate, k) => {
      aggregate.resize(states[k]!, table.groups);
      aggregate.merge(states[k]!, partial.states[k]!, mapping);
    });
  });
  return { keyNames: head.keyNames, keys: groupKeys(table, head.keyNames), specs: head.specs, inputDTypes: head.inputDTypes, states };
}

export interface FinalizeOptions {
  /** Sort groups by their keys, ascending, nulls last (default true); false keeps first-seen order. */
  sort?: boolean;
  /** Drop groups with a null in any key (default true, as pandas). */
  dropna?: boolean;
}

/** The groups to output, in output order: null keys dropped (dropna), sorted by the keys (sort). */
export function groupOrder(partial: GroupedPartial, options: FinalizeOptions = {}): Int32Array {
  const { sort = true, dropna = true } = options;
  const keys = partial.keys.columns;
  const n = partial.keys.length;
  let kept = rowRange(n);
  const validities = dropna ? keys.map((c) => c.validity).filter((v) => v !== null) : [];
  if (validities.length > 0) {
    let at = 0;
    for (let g = 0; g < n; g++) if (validities.every((v) => (v[g >> 3]! & (1 << (g & 7))) !== 0)) kept[at++] = g;
    kept = kept.slice(0, at);
  }
  if (sort && keys.length > 0) {
    const fast = radixOrder(keys, kept);
    if (fast !== null) return fast;
    let order = [...kept];
    const comparators = keys.map((c) => rowComparator(c));
    order = order.sort((a, b) => {
      for (const compare of comparators) {
        const d = compare(a, b);
        if (d !== 0) return d;
      }
      return 0;
    });
    return Int32Array.from(order);
  }
  return kept;
}

/** Keys, then one column per aggregate, one row per group, in `rows` order (groupOrder's by default). */
export function finalizeGrouped(partial: GroupedPartial, options: FinalizeOptions = {}, rows = groupOrder(partial, options)): ColumnBatch {
  const outputs = partial.specs.map((spec, k) => getAggregate(spec.aggregate).finalize(partial.states[k]!));
  const all = rows.length === partial.keys.length && rows.every((r, i) => r === i);
  const pick = (c: ColumnData): ColumnData => (all ? c : takeRows(c, rows));
  return {
    length: rows.length,
    names: [...partial.keyNames, ...partial.specs.map((s) => s.name)],
    columns: [...partial.keys.columns.map(pick), ...outputs.map(pick)],
  };
}
