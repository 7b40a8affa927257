import { DuskSchemaError } from './errors.js';

/** Column types a CSV column can be read as (the readCsv `dtype` option). */
export type DType = 'float64' | 'int32' | 'int64' | 'bool' | 'string' | 'category';

export const DTYPES: readonly DType[] = ['float64', 'int32', 'int64', 'bool', 'string', 'category'];

export type Encoding = 'utf8' | 'latin1';

export function isNumericDType(dtype: DType): boolean {
  return dtype === 'float64' || dtype === 'int32' || dtype === 'int64';
}

export function checkDType(column: string, dtype: string): DType {
  if ((DTYPES as readonly string[]).includes(dtype)) return dtype as DType;
  throw new DuskSchemaError(`dtype for column '${column}' must be one of ${DTYPES.join(', ')}; got '${dtype}'`);
}
