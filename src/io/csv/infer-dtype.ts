import type { DType } from './dtypes.js';

const INT = /^\s*[+-]?\d+\s*$/;
const FLOAT = /^\s*[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity)\s*$/i;
const BOOL = /^(?:True|TRUE|true|False|FALSE|false)$/;

/**
 * The dtype pandas would give a column from its sampled non-missing values, except that
 * integer columns stay integer when values are missing (Arrow has validity bitmaps, so
 * missing values need no float NaN): int32 when every value fits, else int64; float64;
 * bool; otherwise string. A column with no values in the sample is float64, as in pandas.
 */
export function inferDType(values: readonly string[]): DType {
  if (values.length === 0) return 'float64';
  if (values.every((v) => INT.test(v))) {
    // Leave headroom: a sample that only just fits int32 likely has larger values later.
    const fits = values.every((v) => Math.abs(Number(v)) < 2 ** 30);
    return fits ? 'int32' : 'int64';
  }
  if (values.every((v) => FLOAT.test(v))) return 'float64';
  if (values.every((v) => BOOL.test(v))) return 'bool';
  return 'string';
}
