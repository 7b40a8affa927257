/**
 * Number parsing straight from bytes: no string is allocated on the fast path.
 * Decimal text with at most 15 significant digits and a small exponent is converted exactly
 * (Clinger's fast path: both operands are exact doubles, so one IEEE multiply or divide rounds
 * correctly); anything else falls back to the JS number parser, which also rounds correctly.
 */

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const SLOW_FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity)$/i;

function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/**
 * The text of buf[start, end) without surrounding ASCII whitespace, as pandas' number parsers
 * skip it. (String#trim would also drop U+00A0 and others, which pandas keeps as text.)
 */
function trimmedAscii(buf: Uint8Array, start: number, end: number): string {
  while (start < end && isSpace(buf[start]!)) start++;
  while (end > start && isSpace(buf[end - 1]!)) end--;
  return latin1(buf, start, end);
}

const INFINITY_LITERAL = /^[+-]?(?:inf|infinity)$/i;

/**
 * Whether buf[start, end) spells an infinity (inf or infinity, any case, optional sign and
 * surrounding spaces) — the only text read as ±Infinity, as in pandas. Other text that
 * parseFloatBytes turns into ±Infinity overflowed the float64 range.
 */
export function isInfinityLiteral(buf: Uint8Array, start: number, end: number): boolean {
  return INFINITY_LITERAL.test(trimmedAscii(buf, start, end));
}

/**
 * Parses a float64; returns NaN when the text is not a number. Surrounding ASCII spaces are
 * allowed. Text beyond the float64 range gives ±Infinity, like an inf literal: a caller that
 * gets an infinity tells the two apart with isInfinityLiteral.
 */
export function parseFloatBytes(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  let c = buf[i]!;
  if (c === 45 /* - */) {
    negative = true;
    i++;
  } else if (c === 43 /* + */) {
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  while (i < end) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) break;
    mantissa = mantissa * 10 + d;
    digits++;
    i++;
  }
  if (i < end && buf[i] === 46 /* . */) {
    i++;
    while (i < end) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
      digits++;
      scale++;
      i++;
    }
  }
  if (i === end && digits > 0 && digits <= 15) {
    const v = scale === 0 ? mantissa : mantissa / POW10[scale]!;
    return negative ? -v : v;
  }
  if (i < end && (buf[i]! | 32) === 101 /* e */ && digits > 0 && digits <= 15) {
    let j = i + 1;
    let expNegative = false;
    if (buf[j] === 45) {
      expNegative = true;
      j++;
    } else if (buf[j] === 43) j++;
    let exp = 0;
    const expStart = j;
    while (j < end) {
      const d = buf[j]! - 48;
      if (d < 0 || d > 9) break;
      exp = exp * 10 + d;
      j++;
    }
    if (j === end && j > expStart) {
      const e10 = (expNegative ? -exp : exp) - scale;
      if (e10 >= -22 && e10 <= 22) {
        const v = e10 < 0 ? mantissa / POW10[-e10]! : mantissa * POW10[e10]!;
        return negative ? -v : v;
      }
    }
  }
  return parseFloatSlow(trimmedAscii(buf, start, end));
}

function parseFloatSlow(text: string): number {
  if (!SLOW_FLOAT.test(text)) return Number.NaN;
  const lower = text.toLowerCase();
  if (lower.endsWith('inf') || lower.endsWith('infinity')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}

/**
 * Parses an integer; returns NaN when the text is not an integer, and ±Infinity when it has
 * more digits than a double holds exactly (the caller reports it as out of range).
 */
export function parseIntBytes(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  const c = buf[i];
  if (c === 45) {
    negative = true;
    i++;
  } else if (c === 43) i++;
  if (i === end) return Number.NaN;
  let value = 0;
  const digitsStart = i;
  while (i < end) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
    i++;
  }
  if (i !== end) {
    const text = trimmedAscii(buf, start, end);
    return /^[+-]?\d+$/.test(text) ? parseIntBytes(new TextEncoder().encode(text), 0, text.length) : Number.NaN;
  }
  if (i - digitsStart > 15 && !Number.isSafeInteger(value)) return negative ? -Infinity : Infinity;
  return negative ? -value : value;
}

/** Exact parse of a long integer string (int64 values beyond 2^53). */
export function parseBigIntBytes(buf: Uint8Array, start: number, end: number): bigint | null {
  const text = trimmedAscii(buf, start, end);
  return /^[+-]?\d+$/.test(text) ? BigInt(text) : null;
}
