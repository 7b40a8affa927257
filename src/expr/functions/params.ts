import { DuskSchemaError } from '../../core/errors.js';
import { decodeScalar, type JsonValue, type LitDType, type Params, type Scalar } from '../ir.js';
import { checkLiteral } from '../literal.js';

/** Reading a call's params, with an error naming the function when they are malformed. */

export function paramError(fn: string, message: string): DuskSchemaError {
  return new DuskSchemaError(`${fn}: ${message}`);
}

export function numberParam(fn: string, params: Params, key: string, fallback?: number): number {
  const value: JsonValue | undefined = params[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw paramError(fn, `'${key}' must be a finite number; got ${JSON.stringify(value)}`);
  return value;
}

export function integerParam(fn: string, params: Params, key: string, fallback?: number): number {
  const value = numberParam(fn, params, key, fallback);
  if (!Number.isInteger(value)) throw paramError(fn, `'${key}' must be an integer; got ${value}`);
  return value;
}

export function stringParam(fn: string, params: Params, key: string): string {
  const value = params[key];
  if (typeof value !== 'string') throw paramError(fn, `'${key}' must be a string; got ${JSON.stringify(value)}`);
  return value;
}

export function booleanParam(fn: string, params: Params, key: string, fallback: boolean): boolean {
  const value = params[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw paramError(fn, `'${key}' must be true or false; got ${JSON.stringify(value)}`);
  return value;
}

/** A list of literal values of one dtype (isIn's values), decoded. */
export function scalarListParam(fn: string, params: Params, key: string): { dtype: LitDType; values: Scalar[] } {
  const dtype = params.dtype;
  const values = params[key];
  if (typeof dtype !== 'string' || !Array.isArray(values)) throw paramError(fn, `needs params '${key}' (an array) and 'dtype'`);
  return {
    dtype: dtype as LitDType,
    values: values.map((v) => {
      if (v === null || typeof v === 'object') throw paramError(fn, `'${key}' must hold non-null scalars; got ${JSON.stringify(v)}`);
      checkLiteral(v, dtype, `${fn} value`);
      return decodeScalar(v, dtype as LitDType);
    }),
  };
}
