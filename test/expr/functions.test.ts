import { describe, expect, it } from 'vitest';
import { castScalar, formatFloat, parseFloatText } from '../../src/expr/cast.js';
import { roundFloat, roundInt64 } from '../../src/expr/functions/rounding.js';
import { sliceCodePoints } from '../../src/expr/functions/string-slice.js';
import { codePointLength } from '../../src/expr/functions/string-case.js';

/** Function semantics with fixed expectations (the DuckDB differential test covers the rest). */

describe('round is half to even, as numpy (values from numpy 2.4)', () => {
  it.each([
    [2.675, 2, 2.68],
    [0.285, 2, 0.28],
    [1.005, 2, 1.0],
    [-2.5, 0, -2],
    [0.5, 0, 0],
    [1.5, 0, 2],
    [1234.5678, -2, 1200],
    [-0.4, 0, -0],
  ])('round(%d, %d) = %d', (x, d, expected) => {
    expect(Object.is(roundFloat(x, d), expected)).toBe(true);
  });

  it('int64 with negative decimals rounds half to even exactly, beyond 2^53', () => {
    expect(roundInt64(25n, -1)).toBe(20n);
    expect(roundInt64(35n, -1)).toBe(40n);
    expect(roundInt64(-25n, -1)).toBe(-20n);
    expect(roundInt64(9007199254740993n, -1)).toBe(9007199254740990n);
    expect(roundInt64(9007199254740995n, -1)).toBe(9007199254741000n);
  });
});

describe('cast', () => {
  it.each([
    [1.0, '1.0'],
    [1e16, '1e+16'],
    [1.5e-5, '1.5e-05'],
    [0.0001, '0.0001'],
    [123456789.123, '123456789.123'],
    [-0, '-0.0'],
    [Number.NaN, 'nan'],
    [Infinity, 'inf'],
    [1e22, '1e+22'],
    [2 ** 53, '9007199254740992.0'],
    [0.1 + 0.2, '0.30000000000000004'],
    [-2.5e-7, '-2.5e-07'],
    [9999999999999998.0, '9999999999999998.0'],
    [1234567890123456.7, '1234567890123456.8'],
  ])('float64 %d formats as Python repr: %s', (x, text) => {
    expect(formatFloat(x)).toBe(text);
  });

  it('parses text as Python float() does, else null', () => {
    expect(parseFloatText(' 1.5 ')).toBe(1.5);
    expect(parseFloatText('-inf')).toBe(-Infinity);
    expect(parseFloatText('NaN')).toBeNaN();
    expect(parseFloatText('1e3')).toBe(1000);
    expect(parseFloatText('.5')).toBe(0.5);
    expect(parseFloatText('')).toBeNull();
    expect(parseFloatText('0x10')).toBeNull();
    expect(parseFloatText('1,5')).toBeNull();
  });

  it('what cannot be represented becomes null', () => {
    expect(castScalar(Number.NaN, 'float64', 'int32')).toBeNull();
    expect(castScalar(2 ** 31, 'float64', 'int32')).toBeNull();
    expect(castScalar(-2.9, 'float64', 'int32')).toBe(-2);
    expect(castScalar(2 ** 63, 'float64', 'int64')).toBeNull();
    expect(castScalar(-(2 ** 63), 'float64', 'int64')).toBe(-(2n ** 63n));
    expect(castScalar(2n ** 40n, 'int64', 'int32')).toBeNull();
    expect(castScalar('99999999999', 'string', 'int32')).toBeNull();
    expect(castScalar('9223372036854775808', 'string', 'int64')).toBeNull();
    expect(castScalar('9223372036854775807', 'string', 'int64')).toBe(9223372036854775807n);
    expect(castScalar('maybe', 'string', 'bool')).toBeNull();
    expect(castScalar('TRUE', 'string', 'bool')).toBe(true);
    expect(castScalar(true, 'bool', 'string')).toBe('true');
    expect(castScalar(Number.NaN, 'float64', 'bool')).toBe(true);
  });
});

describe('strings count and slice code points', () => {
  it('len counts a surrogate pair once', () => {
    expect(codePointLength('emoji😀')).toBe(6);
    expect(codePointLength('héllo')).toBe(5);
  });

  it("slice is Python's s[start:][:length]", () => {
    expect(sliceCodePoints('hello', 1, 2)).toBe('el');
    expect(sliceCodePoints('hello', -3, null)).toBe('llo');
    expect(sliceCodePoints('hello', -10, 2)).toBe('he');
    expect(sliceCodePoints('hello', 10, 2)).toBe('');
    expect(sliceCodePoints('a😀b', 1, 1)).toBe('😀');
    expect(sliceCodePoints('a😀b', -2, null)).toBe('😀b');
  });
});
