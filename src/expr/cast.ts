import type { DType } from '../core/dtypes.js';
import type { ExprType, Scalar } from './ir.js';
import { INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN } from './types.js';

/**
 * cast(dtype) between any two dtypes. What cannot be represented becomes null rather than an
 * error or a wrapped value: NaN, ±Infinity or out-of-range numbers cast to an integer type,
 * and text that does not parse. Floats cast to integers truncate toward zero (pandas' astype).
 * Numbers format as Python's str() does ('1.0', '1e+16', 'nan'); bools as 'true'/'false', and
 * text parses back from 'true'/'false'/'1'/'0' (any case).
 */

const INT_TEXT = /^\s*[+-]?\d+\s*$/;
const FLOAT_TEXT = /^\s*[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?|inf|infinity|nan)\s*$/i;
const TWO_63 = 2 ** 63;

export function parseFloatText(s: string): number | null {
  if (!FLOAT_TEXT.test(s)) return null;
  const t = s.trim().toLowerCase();
  const body = t.replace(/^[+-]/, '');
  if (body === 'nan') return Number.NaN;
  if (body === 'inf' || body === 'infinity') return t.startsWith('-') ? -Infinity : Infinity;
  return Number(t);
}

function floatToInt32(x: number): number | null {
  const t = Math.trunc(x);
  return t >= INT32_MIN && t <= INT32_MAX ? t : null; // NaN fails both tests
}

function floatToInt64(x: number): bigint | null {
  const t = Math.trunc(x);
  return t >= -TWO_63 && t < TWO_63 ? BigInt(t) : null;
}

function textToInt64(s: string): bigint | null {
  if (!INT_TEXT.test(s)) return null;
  const v = BigInt(s.trim());
  return v >= INT64_MIN && v <= INT64_MAX ? v : null;
}

function textToBool(s: string): boolean | null {
  const t = s.trim().toLowerCase();
  return t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : null;
}

/** Python's repr of a float: shortest round-trip digits, '.0' on integers, exponent outside [1e-4, 1e16). */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e') as [string, string];
  const e = Number(expText);
  const sign = x < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const whole = digits.slice(0, e + 1).padEnd(e + 1, '0');
  return `${sign}${whole}.${digits.slice(e + 1) || '0'}`;
}

type Converter = (v: never) => Scalar;

/** The conversion of a non-null value, or undefined when it is the identity. */
function converter(from: ExprType, to: DType): Converter | undefined {
  const textual = from === 'string' || from === 'category';
  if (from === to || from === 'null' || (textual && (to === 'string' || to === 'category'))) return undefined;
  switch (to) {
    case 'float64':
      if (from === 'int32') return undefined;
      if (from === 'int64') return (v: bigint) => Number(v);
      if (from === 'bool') return (v: boolean) => (v ? 1 : 0);
      return (v: string) => parseFloatText(v);
    case 'int32':
      if (from === 'float64') return floatToInt32;
      if (from === 'int64') return (v: bigint) => (v >= BigInt(INT32_MIN) && v <= BigInt(INT32_MAX) ? Number(v) : null);
      if (from === 'bool') return (v: boolean) => (v ? 1 : 0);
      return (v: string) => (INT_TEXT.test(v) ? floatToInt32(Number(v)) : null);
    case 'int64':
      if (from === 'float64') return floatToInt64;
      if (from === 'int32') return (v: number) => BigInt(v);
      if (from === 'bool') return (v: boolean) => (v ? 1n : 0n);
      return textToInt64;
    case 'bool':
      if (from === 'int64') return (v: bigint) => v !== 0n;
      if (from === 'float64' || from === 'int32') return (v: number) => v !== 0;
      return textToBool;
    case 'string':
    case 'category':
      if (from === 'float64') return formatFloat;
      return (v: number | bigint | boolean) => String(v);
  }
}

export function castScalar(value: Scalar, from: ExprType, to: DType): Scalar {
  if (value === null) return null;
  const f = converter(from, to);
  return f ? f(value as never) : value;
}

/** JS code for the cast of a non-null operand; nullable when the result can be null. */
export function castCode(expr: string, from: ExprType, to: DType, constant: (value: unknown) => string): { code: string; nullable: boolean } {
  const f = converter(from, to);
  if (!f) return { code: expr, nullable: false };
  if (from === 'int32' && to === 'int64') return { code: `BigInt(${expr})`, nullable: false };
  if (from === 'int64' && to === 'float64') return { code: `Number(${expr})`, nullable: false };
  if (from === 'bool' && (to === 'float64' || to === 'int32')) return { code: `(${expr} ? 1 : 0)`, nullable: false };
  if ((from === 'float64' || from === 'int32') && to === 'bool') return { code: `(${expr} !== 0)`, nullable: false };
  const nullable = to === 'int32' || to === 'int64' || to === 'bool' || to === 'float64';
  return { code: `${constant(f)}(${expr})`, nullable };
}
