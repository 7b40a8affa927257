import type { ColumnBatch, ColumnData } from '../core/column-data.js';
import { columnFromValues, emptyColumn } from '../core/column-from-values.js';
import type { DType } from '../core/dtypes.js';
import { DuskTaskError } from '../core/errors.js';
import { columnFromArrow, dtypeOfArrowType } from '../core/from-arrow.js';
import { isPlainObject } from '../core/plain-object.js';
import { batchesToTable, isArrowTable, loadArrow } from '../core/to-arrow.js';
import { concatColumns } from '../kernels/concat.js';
import { type FunctionRef, resolveFunction } from '../kernels/function-ref.js';
import { registerOp } from './registry.js';

/** Column names in order with their dtypes (plain data, for task args). */
export interface Columns {
  names: string[];
  dtypes: Record<string, DType>;
}

export interface MapPartitionsArgs {
  fn: FunctionRef;
  /** The function's name, for errors. */
  name: string;
  index: number;
  count: number;
  input: Columns;
  /** The schema the function promised (mapPartitions' `schema`). */
  output: Columns;
}

/**
 * One partition through a user function (DataFrame.mapPartitions): its rows as an Arrow table
 * in, an Arrow table or { column: typed array | array } out, checked against the promised
 * schema. Errors name the function and the partition.
 */
export const mapPartitionsOp = registerOp<MapPartitionsArgs, ColumnBatch[]>({
  name: 'map-partitions',
  local: false,
  async run(args, deps) {
    await loadArrow();
    const where = `mapPartitions '${args.name}', partition ${args.index} (${args.index + 1} of ${args.count})`;
    const table = batchesToTable(deps[0] as ColumnBatch[], args.input.names, args.input.dtypes);
    const fn = await resolveFunction(args.fn);
    let result: unknown;
    try {
      result = await fn(table, args.index);
    } catch (err) {
      throw failedIn(err, where, args.name);
    }
    return [batchOf(result, args.output, where, args.name)];
  },
});

/** The user's error with the partition named in front of its message; its stack (the user's frames) kept. */
export function failedIn(err: unknown, where: string, name: string): DuskTaskError {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const error = new DuskTaskError(`${where} threw: ${message}`, name, undefined, { cause: err });
  if (err instanceof Error && typeof err.stack === 'string') error.stack = `${error.name}: ${error.message}\n${err.stack.split('\n').filter((line) => /^\s+at /.test(line)).join('\n')}`;
  return Object.assign(error, { retryable: false });
}

export function mismatch(where: string, name: string, problem: string): DuskTaskError {
  return Object.assign(new DuskTaskError(`${where}: ${problem}`, name), { retryable: false });
}

/** The function's result as one batch of the promised columns, or an error saying what differs (`where` names the partition or group). */
export function batchOf(result: unknown, output: Columns, where: string, name: string): ColumnBatch {
  const found: Record<string, ColumnData> = {};
  let given: string[];
  if (isArrowTable(result)) {
    given = result.schema.fields.map((f) => f.name);
    for (const field of result.schema.fields) {
      const want = output.dtypes[field.name];
      if (want === undefined) continue;
      const dtype = dtypeOfArrowType(field.type as never);
      if (dtype !== want) throw mismatch(where, name, `column '${field.name}' is ${dtype ?? `Arrow ${String(field.type)}`}, but the schema says ${want}`);
      const chunks = result.getChild(field.name)!.data.map((chunk) => columnFromArrow(chunk, want, `${where}, column '${field.name}'`));
      found[field.name] = chunks.length === 0 ? emptyColumn(want) : concatColumns(chunks);
    }
  } else if (isPlainObject(result)) {
    given = Object.keys(result);
    for (const column of given) {
      const want = output.dtypes[column];
      if (want === undefined) continue;
      const data = columnFromValues(result[column], `${where}, column '${column}'`);
      if (data.dtype !== want) throw mismatch(where, name, `column '${column}' is ${data.dtype}, but the schema says ${want}`);
      found[column] = data;
    }
  } else {
    const what = result === null ? 'null' : Array.isArray(result) ? 'an array' : typeof result === 'object' ? `a ${(result as object).constructor?.name ?? 'object'}` : typeof result;
    throw mismatch(where, name, `the function returned ${what}; return an Arrow table or an object of columns ({ name: Float64Array | array, … })`);
  }
  checkColumnNames(given, output, where, name);
  const columns = output.names.map((c) => found[c]!);
  const length = columns[0]?.length ?? 0;
  const uneven = output.names.find((c) => found[c]!.length !== length);
  if (uneven !== undefined) throw mismatch(where, name, `column '${uneven}' has ${found[uneven]!.length} rows, but '${output.names[0]}' has ${length}`);
  return { length, names: [...output.names], columns };
}

/** Throws unless the result's column names are exactly the schema's (in any order). */
export function checkColumnNames(given: readonly string[], output: Columns, where: string, name: string): void {
  const missing = output.names.filter((c) => !given.includes(c));
  const extra = given.filter((c) => output.dtypes[c] === undefined);
  if (missing.length > 0 || extra.length > 0) {
    const parts = [missing.length > 0 ? `lacks ${missing.map((c) => `'${c}'`).join(', ')}` : '', extra.length > 0 ? `has ${extra.map((c) => `'${c}'`).join(', ')} that the schema lacks` : ''].filter(Boolean);
    throw mismatch(where, name, `the result ${parts.join(' and ')} (schema: ${output.names.join(', ')})`);
  }
}
