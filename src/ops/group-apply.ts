import { cellValue } from '../core/cell.js';
import type { ColumnBatch, ColumnData } from '../core/column-data.js';
import { columnFromValues, emptyColumn } from '../core/column-from-values.js';
import type { DType } from '../core/dtypes.js';
import { isPlainObject } from '../core/plain-object.js';
import { batchesToTable, loadArrow } from '../core/to-arrow.js';
import { type FunctionRef, resolveFunction } from '../kernels/function-ref.js';
import { assignGroupIds, newGroupTable } from '../kernels/group-ids.js';
import { nullColumn } from '../kernels/hash-join.js';
import { concatBatches, sortedRows, takeBatch } from '../kernels/sort-rows.js';
import { takeRows } from '../kernels/take.js';
import { batchOf, checkColumnNames, type Columns, failedIn, mismatch } from './map-partitions.js';
import { registerOp } from './registry.js';

export interface GroupApplyArgs {
  fn: FunctionRef;
  /** The function's name, for errors. */
  name: string;
  keys: string[];
  sort: boolean;
  dropna: boolean;
  input: Columns;
  /** The schema the function promised, without the keys. */
  output: Columns;
}

/** A group's key as fn gets it: { keyColumn: value }, values as cellValue gives them. */
type GroupKey = Record<string, number | bigint | boolean | string | null>;

/**
 * The groups of one partition (a shuffle bucket, so each group is whole here) through a user
 * function (groupBy().apply): each group's rows, in input order, as an Arrow table with its
 * key; the result (a row, an Arrow table or columns) checked against the promised schema and
 * prefixed with the key columns. Groups in key order when sorted (as groupBy: nulls last), else
 * first-seen. Errors name the function and the group.
 */
export const groupApplyOp = registerOp<GroupApplyArgs, ColumnBatch[]>({
  name: 'group-apply',
  local: false,
  async run(args, deps) {
    await loadArrow();
    const batches = deps[0] as ColumnBatch[];
    const all = batches.length === 0 ? emptyBatch(args.input) : concatBatches(batches);
    const keyColumns = args.keys.map((k) => all.columns[all.names.indexOf(k)]!);
    const table = newGroupTable(keyColumns.map((c) => c.dtype));
    const ids = assignGroupIds(table, keyColumns, all.length);
    // Each group's rows, in input order (a counting sort of the ids), and its first row.
    const starts = new Int32Array(table.groups + 1);
    for (let row = 0; row < all.length; row++) starts[ids[row]! + 1]!++;
    for (let g = 0; g < table.groups; g++) starts[g + 1]! += starts[g]!;
    const fill = starts.slice(0, table.groups);
    const rows = new Int32Array(all.length);
    for (let row = 0; row < all.length; row++) rows[fill[ids[row]!]!++] = row;
    const firstRows = rows.length === 0 ? new Int32Array(0) : Int32Array.from({ length: table.groups }, (_, g) => rows[starts[g]!]!);
    const groupKeys = keyColumns.map((c) => takeRows(c, firstRows));
    const order: Int32Array = !args.sort ? Int32Array.from({ length: table.groups }, (_, g) => g) : sortedRows(groupKeys, { keys: args.keys.map((column) => ({ column, descending: false })), nullsFirst: false }, table.groups);
    const fn = await resolveFunction(args.fn);
    const pieces: ColumnBatch[] = [];
    for (const g of order) {
      const key: GroupKey = Object.fromEntries(args.keys.map((k, j) => [k, cellValue(groupKeys[j]!, g)]));
      if (args.dropna && Object.values(key).some((v) => v === null)) continue;
      const where = `groupBy([${args.keys.join(', ')}]).apply '${args.name}', group ${args.keys.map((k) => `${k}=${String(key[k])}`).join(', ')}`;
      const group = takeBatch(all, rows.subarray(starts[g]!, starts[g + 1]!));
      let result: unknown;
      try {
        result = await fn(batchesToTable([group], args.input.names, args.input.dtypes), key);
      } catch (err) {
        throw failedIn(err, where, args.name);
      }
      const out = isRow(result) ? rowBatch(result, args.output, where, args.name) : batchOf(result, args.output, where, args.name);
      const repeat = new Int32Array(out.length).fill(g);
      pieces.push({ length: out.length, names: [...args.keys, ...out.names], columns: [...groupKeys.map((c) => takeRows(c, repeat)), ...out.columns] });
    }
    if (pieces.length > 0) return [concatBatches(pieces)];
    const none = new Int32Array(0);
    return [{ length: 0, names: [...args.keys, ...args.output.names], columns: [...keyColumns.map((c) => takeRows(c, none)), ...args.output.names.map((c) => emptyColumn(args.output.dtypes[c]!))] }];
  },
});

function emptyBatch(input: Columns): ColumnBatch {
  return { length: 0, names: [...input.names], columns: input.names.map((c) => emptyColumn(input.dtypes[c]!)) };
}

/** A plain object of single values (no arrays): one result row, rather than columns. */
function isRow(result: unknown): result is Record<string, unknown> {
  return isPlainObject(result) && Object.values(result).every((v) => v === null || v === undefined || (typeof v !== 'object' && typeof v !== 'function'));
}

/** One row { column: value } as a batch of the promised columns, each value taken as the schema's dtype. */
function rowBatch(row: Record<string, unknown>, output: Columns, where: string, name: string): ColumnBatch {
  checkColumnNames(Object.keys(row), output, where, name);
  const columns = output.names.map((c) => cellColumn(row[c], output.dtypes[c]!, `${where}, column '${c}'`, name));
  return { length: 1, names: [...output.names], columns };
}

function cellColumn(value: unknown, dtype: DType, where: string, name: string): ColumnData {
  if (value === null || value === undefined) return nullColumn(dtype, 1);
  const wrong = () => mismatch(where, name, `${typeof value} ${String(value)} is not a ${dtype} value, as the schema says`);
  switch (dtype) {
    case 'float64':
      if (typeof value !== 'number') throw wrong();
      return columnFromValues(Float64Array.of(value), where);
    case 'int32':
      if (typeof value !== 'number' || !Number.isInteger(value) || value !== (value | 0)) throw wrong();
      return columnFromValues(Int32Array.of(value), where);
    case 'int64':
      if (typeof value === 'bigint') return columnFromValues(BigInt64Array.of(value), where);
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw wrong();
      return columnFromValues(BigInt64Array.of(BigInt(value)), where);
    case 'bool':
      if (typeof value !== 'boolean') throw wrong();
      return columnFromValues([value], where);
    case 'string':
      if (typeof value !== 'string') throw wrong();
      return columnFromValues([value], where);
    default:
      throw mismatch(where, name, `a row cannot give a ${dtype} column; return the group's result as an Arrow table for it`);
  }
}
