import { describe, expect, it } from 'vitest';
import type { DType } from '../../../src/core/dtypes.js';
import { DTypeSniffer } from '../../../src/sources/csv/infer-dtype.js';
import { rng } from '../../helpers.js';

// The rule as regular expressions over the text (what the byte-level sniffer must agree with).
// Whitespace around numbers is ASCII only (what pandas skips): '1\u00a0' is text.
const INT = /^[ \t\n\v\f\r]*[+-]?\d+[ \t\n\v\f\r]*$/;
const FLOAT = /^[ \t\n\v\f\r]*[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity)[ \t\n\v\f\r]*$/i;
const INFINITY = /^[+-]?(?:inf|infinity)$/i;
const BOOL = /^(?:True|TRUE|true|False|FALSE|false)$/;
const trimAscii = (v: string): string => v.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
const fitsInt64 = (v: string): boolean => {
  const n = BigInt(trimAscii(v));
  return n >= -(2n ** 63n) && n < 2n ** 63n;
};
/** Float text beyond the float64 range: it would read as an infinity without spelling one. */
const overflows = (v: string): boolean => !INFINITY.test(trimAscii(v)) && !Number.isFinite(Number(trimAscii(v)));

function byRegex(values: string[]): DType {
  if (values.length === 0) return 'float64';
  // A dtype that would change or refuse a sampled value is not chosen: such columns stay text.
  if (values.every((v) => INT.test(v))) return !values.every(fitsInt64) ? 'string' : values.every((v) => Math.abs(Number(v)) < 2 ** 30) ? 'int32' : 'int64';
  if (values.every((v) => FLOAT.test(v))) return values.some(overflows) ? 'string' : 'float64';
  if (values.every((v) => BOOL.test(v))) return 'bool';
  return 'string';
}

function sniffed(values: string[]): DTypeSniffer {
  const sniffer = new DTypeSniffer();
  const encoder = new TextEncoder();
  for (const v of values) {
    const bytes = encoder.encode(v);
    sniffer.add(bytes, 0, bytes.length);
  }
  return sniffer;
}

function bySniffer(values: string[]): DType {
  return sniffed(values).dtype;
}

describe('dtype inference from bytes', () => {
  it('gives what the regular-expression rule gives, on hand-picked values', () => {
    const cases: string[][] = [
      [],
      ['1', '-2', '+3', ' 4 ', '\t5\u00a0'],
      ['0000000001', '1073741823'],
      ['1073741824'],
      ['-1073741824', '5'],
      ['99999999999999999999'],
      ['9223372036854775807', '-9223372036854775808', '00009223372036854775807'],
      ['9223372036854775808'],
      ['-9223372036854775809'],
      ['1e308', '2', '-1.7976931348623157e308'],
      ['1.7976931348623157e309'],
      ['1', '1.8e308'],
      ['-inf', '-1e400'],
      ['1.5', '99999999999999999999'],
      ['1e-400'],
      ['1'.repeat(400)],
      ['1.5', '1'.repeat(400)],
      ['1.5', '0'.repeat(400) + '1'],
      ['1.5', '2'],
      ['.5', '5.', '1e5', '1E-5', '-.5e+3', ' inf', '-Infinity', 'INF '],
      ['e5'],
      ['.'],
      ['1e'],
      ['1.2.3'],
      ['in', 'infinit'],
      ['True', 'false', 'TRUE'],
      ['True', '1'],
      [' True'],
      ['tRUE'],
      ['a', '1'],
      ['\u00a0'],
      ['１'],
    ];
    for (const values of cases) expect(bySniffer(values), JSON.stringify(values)).toBe(byRegex(values));
  });

  it('gives what the regular-expression rule gives, on 20,000 random columns', () => {
    const random = rng(5);
    const pieces = ['1', '0', '9', '-', '+', '.', 'e', 'E', ' ', '\t', '\u00a0', 'inf', 'inity', 'True', 'false', 'x', '12345', '678901234'];
    const kinds = new Map<DType, number>();
    for (let c = 0; c < 20_000; c++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
        let v = '';
        const n = Math.floor(random() * 5);
        for (let k = 0; k < n; k++) v += pieces[Math.floor(random() * pieces.length)]!;
        return v;
      });
      const want = byRegex(values);
      expect(bySniffer(values), JSON.stringify(values)).toBe(want);
      kinds.set(want, (kinds.get(want) ?? 0) + 1);
    }
    // The random columns reach every outcome.
    for (const kind of ['int32', 'int64', 'float64', 'bool', 'string'] as const) expect(kinds.get(kind) ?? 0, kind).toBeGreaterThan(20);
  });

  it('once settled, more values change nothing: readCsv stops feeding a settled column', () => {
    const random = rng(11);
    const pieces = ['1', '-', '.', 'x', 'NA', 'True', 'abc', '12', ' '];
    const encoder = new TextEncoder();
    let settledSeen = 0;
    for (let c = 0; c < 5_000; c++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 12) }, () => {
        let v = '';
        for (let k = Math.floor(random() * 3); k > 0; k--) v += pieces[Math.floor(random() * pieces.length)]!;
        return v;
      });
      const all = sniffed(values);
      const stopping = new DTypeSniffer();
      for (const v of values) {
        if (stopping.settled) break;
        const bytes = encoder.encode(v);
        stopping.add(bytes, 0, bytes.length);
      }
      if (stopping.settled) settledSeen++;
      expect([stopping.dtype, stopping.numericLook], JSON.stringify(values)).toEqual([all.dtype, all.numericLook]);
    }
    expect(settledSeen).toBeGreaterThan(500);
    expect(sniffed(['a', 'b', 'c', 'd']).settled).toBe(true);
    expect(sniffed(['1', 'n/a', '-', '?']).settled).toBe(false); // a few markers among numbers: still learning
    expect(sniffed(['1', '2']).settled).toBe(false);
  });

  it('tells which text columns look like numbers (all, or but a few short markers), for error hints', () => {
    expect(sniffed(['1', '2', 'x', '3', '-', 'x']).numericLook).toEqual({ dtype: 'int64', others: ['x', '-'] });
    expect(sniffed(['1.5', 'n/a', '2']).numericLook).toEqual({ dtype: 'float64', others: ['n/a'] });
    expect(sniffed(['99999999999999999999', '1']).numericLook).toEqual({ dtype: 'float64', others: [] });
    // Codes, words, bools, mostly text, many distinct or long markers, floats beyond float64: no.
    for (const values of [['SFO', 'LAX'], ['True', 'False'], ['1', 'a', 'b'], ['1', '2', '3', '4', 'a', 'b', 'c', 'd'], ['1', '2', 'not available at all'], ['1e999', 'x', '2']]) {
      expect(sniffed(values).numericLook, values.join(',')).toBeNull();
    }
  });
});
