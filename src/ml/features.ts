/**
 * The features X as ddf.ml takes them: Float64Array columns, an Arrow Table of numeric columns, or
 * a Dusk DataFrame (computed to one table first). apache-arrow is not imported here (it is loaded
 * lazily elsewhere): a table is recognised by its shape.
 */
import type { Table, Vector } from 'apache-arrow';
import { DuskError } from '../core/errors.js';

/** X: one Float64Array per feature, or an Arrow Table whose columns are all numeric (no nulls). */
export type FeaturesInput = readonly Float64Array[] | Table;
/** X as the async entry points take it: also a Dusk DataFrame (anything with toArrow(), e.g. df.select([...])). */
export type FeaturesSource = FeaturesInput | { toArrow(): PromiseLike<Table> };

// apache-arrow's Type enum values (Type.Int, Type.Float), without importing it.
const ARROW_INT = 2, ARROW_FLOAT = 3;

function isArrowTable(value: unknown): value is Table {
  return value !== null && typeof value === 'object' && typeof (value as Table).getChildAt === 'function' && Array.isArray((value as Table).schema?.fields);
}

/** A numeric Arrow column as a Float64Array (no copy for a single-chunk float64 column without nulls). */
function columnValues(vector: Vector, name: string, where: string): Float64Array {
  const type = vector.type as { typeId: number; precision?: number; bitWidth?: number };
  if (!(type.typeId === ARROW_FLOAT && type.precision !== 0) && type.typeId !== ARROW_INT) {
    throw new DuskError(`${where}: X column '${name}' is ${String(vector.type)}; features must be numeric (int or float32/float64 columns)`);
  }
  if (vector.nullCount > 0) {
    let row = 0;
    while (vector.isValid(row)) row++;
    throw new DuskError(`${where}: X column '${name}' is null at row ${row}; fill or drop missing values first`);
  }
  if (vector.data.length === 1 && vector.data[0]!.values instanceof Float64Array) {
    const data = vector.data[0]!;
    return (data.values as Float64Array).subarray(data.offset, data.offset + data.length);
  }
  const out = new Float64Array(vector.length);
  let at = 0;
  for (const data of vector.data) {
    const values = data.values as ArrayLike<number | bigint>;
    for (let i = 0; i < data.length; i++) {
      const v = values[data.offset + i]!;
      if (typeof v === 'bigint' && (v > 9007199254740991n || v < -9007199254740991n)) {
        throw new DuskError(`${where}: X column '${name}' row ${at} is ${v}, beyond 2^53: not exact as a float64 feature`);
      }
      out[at++] = Number(v);
    }
  }
  return out;
}

/** X as Float64Array columns, checked: non-empty, all of one length (`rows` when given, naming `against`). */
export function featureColumns(X: FeaturesInput, where: string, rows?: number, against = rows === undefined ? 'X[0] has' : 'y has'): Float64Array[] {
  let columns: Float64Array[];
  if (isArrowTable(X)) {
    if (X.numCols === 0) throw new DuskError(`${where}: X is a table with no columns`);
    columns = X.schema.fields.map((field, j) => columnValues(X.getChildAt(j)!, field.name, where));
  } else {
    if (!Array.isArray(X) || X.length === 0) throw new DuskError(`${where}: X must be a non-empty array of Float64Array columns or an Arrow Table of numeric columns`);
    X.forEach((column, j) => {
      if (!(column instanceof Float64Array)) throw new DuskError(`${where}: X[${j}] must be a Float64Array`);
    });
    columns = X as Float64Array[];
  }
  const n = rows ?? columns[0]!.length;
  columns.forEach((column, j) => {
    if (column.length !== n) throw new DuskError(`${where}: X[${j}] has ${column.length} rows, ${against} ${n}`);
  });
  return columns;
}

/** featureColumns, after computing a DataFrame's rows (df.toArrow()) when X is one. */
export async function resolveFeatures(X: FeaturesSource, where: string, rows?: number, against?: string): Promise<Float64Array[]> {
  const input = !Array.isArray(X) && !isArrowTable(X) && X !== null && typeof X === 'object' && typeof (X as { toArrow?: unknown }).toArrow === 'function'
    ? await (X as { toArrow(): PromiseLike<Table> }).toArrow()
    : (X as FeaturesInput);
  return featureColumns(input, where, rows, against);
}
