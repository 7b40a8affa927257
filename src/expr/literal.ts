import { DuskSchemaError } from '../core/errors.js';
import { encodeScalar, type JsonScalar, type LitDType, type LitNode } from './ir.js';
import { INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN } from './types.js';

const LIT_DTYPES: readonly string[] = ['float64', 'int32', 'int64', 'bool', 'string', 'null'];
const INT64_TEXT = /^-?(0|[1-9][0-9]{0,18})$/;
const FLOAT_TEXT = new Set(['NaN', 'Infinity', '-Infinity', '-0']);

/**
 * Checks a literal's JSON value against its dtype (IR may come from another process, and the
 * kernel generator writes literal values into code, so a malformed one must stop here).
 */
export function checkLiteral(value: JsonScalar, dtype: unknown, what = 'literal'): asserts dtype is LitDType {
  if (typeof dtype !== 'string' || !LIT_DTYPES.includes(dtype)) throw new DuskSchemaError(`${what}: dtype must be one of ${LIT_DTYPES.join(', ')}; got ${JSON.stringify(dtype)}`);
  if (value === null) return;
  const ok = (() => {
    switch (dtype) {
      case 'float64':
        return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && FLOAT_TEXT.has(value));
      case 'int32':
        return typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX;
      case 'int64':
        return typeof value === 'string' && INT64_TEXT.test(value) && BigInt(value) >= INT64_MIN && BigInt(value) <= INT64_MAX;
      case 'bool':
        return typeof value === 'boolean';
      case 'string':
        return typeof value === 'string';
      default:
        return false;
    }
  })();
  if (!ok) throw new DuskSchemaError(`${what}: ${JSON.stringify(value)} is not a valid ${dtype} value`);
}

/** The name of a JS value's kind, for errors about values that cannot be literals. */
export function describeValue(value: unknown): string {
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (typeof value === 'symbol') return `a Symbol (${value.toString()})`;
  if (value === undefined) return 'undefined';
  if (typeof value === 'object' && value !== null) {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return Array.isArray(value) ? 'an array' : name && name !== 'Object' ? `an instance of ${name}` : 'an object';
  }
  return typeof value;
}

/**
 * The literal for a plain JS value: an integer number is int32 when it fits, else int64 when
 * it is a safe integer; other numbers are float64; a bigint is int64. `dtype` forces one.
 */
export function literalOf(value: unknown, dtype?: LitDType): LitNode {
  const inferred = inferDType(value);
  const target = dtype ?? inferred;
  if (value !== null && dtype !== undefined && !convertible(inferred, dtype)) {
    throw new DuskSchemaError(`lit(${String(value)}): a ${inferred} value cannot be a ${dtype} literal`);
  }
  if (value === null) return { kind: 'lit', dtype: target, value: null };
  if (target === 'int32' && (typeof value !== 'number' || !Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX)) {
    throw new DuskSchemaError(`lit(${String(value)}): not an int32 value (an integer from ${INT32_MIN} to ${INT32_MAX})`);
  }
  if (target === 'int64') {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new DuskSchemaError(`lit(${value}): not an exact integer; pass a bigint for int64 values beyond 2^53`);
    const big = BigInt(value as number | bigint);
    if (big < INT64_MIN || big > INT64_MAX) throw new DuskSchemaError(`lit(${big}n): outside the int64 range`);
  }
  const encoded = encodeScalar(target === 'float64' ? Number(value) : (value as number | bigint | string | boolean), target);
  return { kind: 'lit', dtype: target, value: encoded };
}

function inferDType(value: unknown): LitDType {
  switch (typeof value) {
    case 'number':
      if (Number.isInteger(value) && !Object.is(value, -0)) {
        if (value >= INT32_MIN && value <= INT32_MAX) return 'int32';
        if (Number.isSafeInteger(value)) return 'int64';
      }
      return 'float64';
    case 'bigint':
      return 'int64';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      if (value === null) return 'null';
      throw new DuskSchemaError(`cannot use ${describeValue(value)} as an expression literal; literals are numbers, bigints, strings, booleans or null`);
  }
}

function convertible(from: LitDType, to: LitDType): boolean {
  if (from === to) return true;
  const numeric = (t: LitDType) => t === 'int32' || t === 'int64' || t === 'float64';
  return numeric(from) && numeric(to);
}
