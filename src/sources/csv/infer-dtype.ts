import type { DType } from '../../core/dtypes.js';

const PLUS = 43;
const MINUS = 45;
/** Integer digits up to which a number is always below float64's maximum (1.8e308 has 309). */
const MAX_FINITE_DIGITS = 308;
const INT64_MAX_DIGITS = '9223372036854775807';
const INT64_MIN_DIGITS = '9223372036854775808';
/** At most this many distinct non-numbers, each at most this long, still count as markers of missing values in a numeric column. */
const MAX_MARKERS = 3;
const MAX_MARKER_LENGTH = 16;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const lower = (c: number): number => c | 32;

/**
 * ASCII whitespace (space, \t \n \v \f \r): what pandas' number parsers skip around a number,
 * and what number-parse.ts trims. Not U+00A0: pandas reads '1\u00a0' as text, and so do we.
 */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

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

function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

/** Whether the digits buf[start, end) (no sign) are a magnitude beyond int64's (negative: beyond 2^63). */
function beyondInt64(buf: Uint8Array, start: number, end: number, negative: boolean): boolean {
  while (start < end - 1 && buf[start] === 48) start++; // leading zeros
  const digits = end - start;
  if (digits !== 19) return digits > 19;
  return latin1(buf, start, end) > (negative ? INT64_MIN_DIGITS : INT64_MAX_DIGITS);
}

/**
 * Infers a column's dtype from the UTF-8 bytes of its sampled non-missing values, without making
 * strings. The dtype is the one pandas would give, except that integer columns stay integer when
 * values are missing (Arrow has validity bitmaps, so missing values need no float NaN): int32
 * when every value fits, else int64; float64; bool; otherwise string. A column with no values in
 * the sample is float64, as in pandas. Integers and floats may have surrounding ASCII whitespace;
 * bools are True/TRUE/true/False/FALSE/false exactly.
 *
 * It never picks a dtype that would change or refuse a sampled value: integers beyond int64, and
 * float text beyond the float64 range (which would read as an infinity; only inf/infinity are
 * infinities), make the column 'string', as pandas keeps such a column as text (object). (pandas
 * reads 2^63..2^64-1 as uint64, which Dusk does not have: such a column is 'string' too.)
 */
export class DTypeSniffer {
  private values = 0;
  private allInt = true;
  private allFloat = true;
  private allBool = true;
  private smallInts = true;
  /** Some integer does not fit int64. */
  private intOverflow = false;
  /** Some value (not an inf literal) is beyond the float64 range. */
  private floatOverflow = false;
  /** Values that read as numbers, whether all of those are integers, and the distinct other values (null: too many or too long to be markers). */
  private numbers = 0;
  private numbersAllInt = true;
  private others: string[] | null = [];
  private readonly dot: number;

  /** `decimal`: the decimal separator of floats (readCsv's `decimal`). */
  constructor(decimal = '.') {
    this.dot = decimal.charCodeAt(0);
  }

  /**
   * True once more values cannot change what the sniffer says: text that is not numbers with a
   * few markers (dtype 'string', numericLook null). Later values may be skipped.
   */
  get settled(): boolean {
    return !this.allFloat && !this.allBool && this.others === null;
  }

  /** Adds the valid values of a string column (UTF-8 `data` cut by `offsets`), until settled. */
  addColumn(data: Uint8Array, offsets: Int32Array, validity: Uint8Array | null, length: number): void {
    for (let r = 0; r < length; r++) {
      if (validity !== null && (validity[r >> 3]! & (1 << (r & 7))) === 0) continue;
      this.add(data, offsets[r]!, offsets[r + 1]!);
      // Checked every 64 values: text settles early, and the check costs a few loads.
      if ((r & 63) === 63 && this.settled) return;
    }
  }

  add(buf: Uint8Array, start: number, end: number): void {
    this.values++;
    if (this.allBool && !BOOLS.some((w) => w.length === end - start && w.every((b, k) => buf[start + k] === b))) this.allBool = false;
    // Text, and not numbers with a few markers among them: nothing more to learn.
    if (!this.allFloat && this.others === null) return;
    const kind = this.numberKind(buf, start, end);
    if (kind !== null) {
      this.numbers++;
      if (kind === 'float') this.allInt = this.numbersAllInt = false;
      return;
    }
    this.allInt = false;
    this.allFloat = false;
    this.noteOther(buf, start, end);
  }

  /** Remembers a distinct non-number, while there are few and short ones (markers such as '-' or 'n/a'). */
  private noteOther(buf: Uint8Array, start: number, end: number): void {
    if (this.others === null) return;
    const text = latin1(buf, start, end);
    if (this.others.includes(text)) return;
    this.others = this.others.length < MAX_MARKERS && text.length <= MAX_MARKER_LENGTH ? [...this.others, text] : null;
  }

  /** Whether the value is an integer or a float (recording how large), or null for anything else. */
  private numberKind(buf: Uint8Array, start: number, end: number): 'int' | 'float' | null {
    let s = start;
    let e = end;
    while (s < e && isSpace(buf[s]!)) s++;
    while (e > s && isSpace(buf[e - 1]!)) e--;
    let i = s;
    const negative = i < e && buf[i] === MINUS;
    if (i < e && (buf[i] === PLUS || buf[i] === MINUS)) i++;
    const digitsStart = i;
    i = digitsEnd(buf, i, e);
    const intDigits = i - digitsStart;
    if (intDigits > 0 && i === e) {
      // Leave headroom: a sample that only just fits int32 likely has larger values later.
      let magnitude = 0;
      for (let k = digitsStart; k < e && magnitude < 2 ** 30; k++) magnitude = magnitude * 10 + buf[k]! - 48;
      if (magnitude >= 2 ** 30) {
        this.smallInts = false;
        if (intDigits >= 19 && beyondInt64(buf, digitsStart, e, negative)) {
          this.intOverflow = true;
          if (intDigits > MAX_FINITE_DIGITS && !Number.isFinite(Number(latin1(buf, s, e)))) this.floatOverflow = true;
        }
      }
      return 'int';
    }
    return this.isFloatTail(buf, i, e, intDigits, s) ? 'float' : null;
  }

  /**
   * For a column that is text: whether its sampled values look like numbers — all of them, or
   * most, apart from a few distinct short markers — and the numeric dtype that would read them
   * (int64 for integers, else float64). Null when they do not, or when a number is beyond the
   * float64 range (no dtype reads it).
   */
  get numericLook(): { dtype: 'int64' | 'float64'; others: readonly string[] } | null {
    if (this.numbers === 0 || this.others === null || this.floatOverflow) return null;
    if (this.values - this.numbers > this.numbers) return null;
    return { dtype: this.numbersAllInt && !this.intOverflow ? 'int64' : 'float64', others: this.others };
  }

  /** The rest of a float after its sign and integer digits: decimal digits, exponent, or inf/infinity. */
  private isFloatTail(buf: Uint8Array, i: number, e: number, intDigits: number, s: number): boolean {
    if (intDigits === 0 && (matchesWord(buf, i, e, 'inf') || matchesWord(buf, i, e, 'infinity'))) return true;
    let fracDigits = 0;
    let dotAt = -1;
    if (i < e && buf[i] === this.dot) {
      dotAt = i;
      const from = i + 1;
      i = digitsEnd(buf, from, e);
      fracDigits = i - from;
    }
    if (intDigits === 0 && fracDigits === 0) return false;
    let exponent = false;
    if (i < e && lower(buf[i]!) === 101 /* e */) {
      i++;
      if (i < e && (buf[i] === PLUS || buf[i] === MINUS)) i++;
      const expStart = i;
      i = digitsEnd(buf, i, e);
      if (i === expStart) return false;
      exponent = true;
    }
    if (i !== e) return false;
    // Only an exponent or very many digits can go beyond the float64 range.
    if (exponent || intDigits > MAX_FINITE_DIGITS) {
      let text = latin1(buf, s, e);
      if (dotAt >= 0) text = text.slice(0, dotAt - s) + '.' + text.slice(dotAt - s + 1);
      if (!Number.isFinite(Number(text))) this.floatOverflow = true;
    }
    return true;
  }

  get dtype(): DType {
    if (this.values === 0) return 'float64';
    if (this.allInt) return this.intOverflow ? 'string' : this.smallInts ? 'int32' : 'int64';
    if (this.allFloat) return this.floatOverflow ? 'string' : 'float64';
    if (this.allBool) return 'bool';
    return 'string';
  }
}
