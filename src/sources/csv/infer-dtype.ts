import type { DType } from '../../core/dtypes.js';

const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const lower = (c: number): number => c | 32;

/** Length of the whitespace at buf[i] (what JS's \s matches in text read as latin1), or 0. */
function spaceAt(buf: Uint8Array, i: number, end: number): number {
  const c = buf[i]!;
  if (c === 32 || (c >= 9 && c <= 13)) return 1;
  return c === 0xc2 && i + 1 < end && buf[i + 1] === 0xa0 ? 2 : 0; // U+00A0 in UTF-8
}

function spaceBefore(buf: Uint8Array, start: number, end: number): number {
  const c = buf[end - 1]!;
  if (c === 32 || (c >= 9 && c <= 13)) return 1;
  return c === 0xa0 && end - 2 >= start && buf[end - 2] === 0xc2 ? 2 : 0;
}

/** Position after the digits starting at i. */
function digitsEnd(buf: Uint8Array, i: number, end: number): number {
  while (i < end && isDigit(buf[i]!)) i++;
  return i;
}

function matchesWord(buf: Uint8Array, i: number, end: number, word: string): boolean {
  if (end - i !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (lower(buf[i + k]!) !== word.charCodeAt(k)) return false;
  return true;
}

const BOOLS = ['True', 'TRUE', 'true', 'False', 'FALSE', 'false'].map((w) => Uint8Array.from(w, (ch) => ch.charCodeAt(0)));

/**
 * Infers a column's dtype from the UTF-8 bytes of its sampled non-missing values, without making
 * strings. The dtype is the one pandas would give, except that integer columns stay integer when
 * values are missing (Arrow has validity bitmaps, so missing values need no float NaN): int32
 * when every value fits, else int64; float64; bool; otherwise string. A column with no values in
 * the sample is float64, as in pandas. Integers and floats may have surrounding whitespace; bools
 * are True/TRUE/true/False/FALSE/false exactly.
 */
export class DTypeSniffer {
  private values = 0;
  private allInt = true;
  private allFloat = true;
  private allBool = true;
  private smallInts = true;

  add(buf: Uint8Array, start: number, end: number): void {
    this.values++;
    if (this.allBool && !BOOLS.some((w) => w.length === end - start && w.every((b, k) => buf[start + k] === b))) this.allBool = false;
    if (!this.allFloat) return; // every int is a float: nothing more to learn
    let s = start;
    let e = end;
    for (let n; s < e && (n = spaceAt(buf, s, e)) > 0; ) s += n;
    for (let n; e > s && (n = spaceBefore(buf, s, e)) > 0; ) e -= n;
    let i = s;
    if (i < e && (buf[i] === PLUS || buf[i] === MINUS)) i++;
    const digitsStart = i;
    i = digitsEnd(buf, i, e);
    const intDigits = i - digitsStart;
    if (intDigits > 0 && i === e) {
      // Leave headroom: a sample that only just fits int32 likely has larger values later.
      let magnitude = 0;
      for (let k = digitsStart; k < e && magnitude < 2 ** 30; k++) magnitude = magnitude * 10 + buf[k]! - 48;
      if (magnitude >= 2 ** 30) this.smallInts = false;
      return;
    }
    this.allInt = false;
    this.allFloat = this.isFloatTail(buf, i, e, intDigits);
  }

  /** The rest of a float after its sign and integer digits: .digits, exponent, or inf/infinity. */
  private isFloatTail(buf: Uint8Array, i: number, e: number, intDigits: number): boolean {
    if (intDigits === 0 && (matchesWord(buf, i, e, 'inf') || matchesWord(buf, i, e, 'infinity'))) return true;
    let fracDigits = 0;
    if (i < e && buf[i] === DOT) {
      const from = i + 1;
      i = digitsEnd(buf, from, e);
      fracDigits = i - from;
    }
    if (intDigits === 0 && fracDigits === 0) return false;
    if (i < e && lower(buf[i]!) === 101 /* e */) {
      i++;
      if (i < e && (buf[i] === PLUS || buf[i] === MINUS)) i++;
      const expStart = i;
      i = digitsEnd(buf, i, e);
      if (i === expStart) return false;
    }
    return i === e;
  }

  get dtype(): DType {
    if (this.values === 0) return 'float64';
    if (this.allInt) return this.smallInts ? 'int32' : 'int64';
    if (this.allFloat) return 'float64';
    if (this.allBool) return 'bool';
    return 'string';
  }
}
