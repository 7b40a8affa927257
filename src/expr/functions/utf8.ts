/**
 * Byte-level helpers on UTF-8 (a string column's data between two offsets), so predicates on
 * string columns need not decode each row into a JS string.
 */

export function utf8Equals(data: Uint8Array, start: number, end: number, literal: Uint8Array): boolean {
  const n = literal.length;
  if (end - start !== n) return false;
  for (let k = 0; k < n; k++) if (data[start + k] !== literal[k]) return false;
  return true;
}

function fnv1a(data: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let p = start; p < end; p++) h = Math.imul(h ^ data[p]!, 0x01000193);
  return h >>> 0;
}

/** A set of UTF-8 strings looked up by bytes (hash, then compare), for long isIn lists. */
export class Utf8Set {
  private readonly buckets = new Map<number, Uint8Array[]>();

  constructor(literals: readonly Uint8Array[]) {
    for (const bytes of literals) {
      const h = fnv1a(bytes, 0, bytes.length);
      const bucket = this.buckets.get(h);
      if (bucket) bucket.push(bytes);
      else this.buckets.set(h, [bytes]);
    }
  }

  has(data: Uint8Array, start: number, end: number): boolean {
    const bucket = this.buckets.get(fnv1a(data, start, end));
    if (bucket === undefined) return false;
    for (let k = 0; k < bucket.length; k++) if (utf8Equals(data, start, end, bucket[k]!)) return true;
    return false;
  }
}

export function utf8StartsWith(data: Uint8Array, start: number, end: number, prefix: Uint8Array): boolean {
  const n = prefix.length;
  if (end - start < n) return false;
  for (let k = 0; k < n; k++) if (data[start + k] !== prefix[k]) return false;
  return true;
}

export function utf8EndsWith(data: Uint8Array, start: number, end: number, suffix: Uint8Array): boolean {
  const n = suffix.length;
  if (end - start < n) return false;
  const from = end - n;
  for (let k = 0; k < n; k++) if (data[from + k] !== suffix[k]) return false;
  return true;
}

/** Whether the bytes contain `needle` (UTF-8 is self-synchronizing, so a byte match is a character match). */
export function utf8Contains(data: Uint8Array, start: number, end: number, needle: Uint8Array): boolean {
  const n = needle.length;
  if (n === 0) return true;
  const first = needle[0]!;
  for (let p = start; p + n <= end; p++) {
    if (data[p] !== first) continue;
    let k = 1;
    while (k < n && data[p + k] === needle[k]) k++;
    if (k === n) return true;
  }
  return false;
}

/** Characters (code points): every byte that is not a continuation byte starts one. */
export function utf8Length(data: Uint8Array, start: number, end: number): number {
  let count = 0;
  for (let p = start; p < end; p++) if ((data[p]! & 0xc0) !== 0x80) count++;
  return count;
}

const decoder = new TextDecoder();

/** The JS string of one value; ASCII without TextDecoder's per-call cost. */
export function utf8Decode(data: Uint8Array, start: number, end: number): string {
  if (end - start > 32) return decoder.decode(data.subarray(start, end));
  let s = '';
  for (let p = start; p < end; p++) {
    const b = data[p]!;
    if (b >= 0x80) return decoder.decode(data.subarray(start, end));
    s += String.fromCharCode(b);
  }
  return s;
}

/** Literals up to this many (and this long) are matched by generated code rather than a helper call. */
const INLINE_MAX_LITERALS = 8;
const INLINE_MAX_BYTES = 16;

/**
 * JS code testing whether the bytes [start, end) of `data` equal one of `literals`, written
 * out byte by byte (the bytes are numbers, so nothing from the data reaches the code as text);
 * undefined when the literals are too many or too long to write out.
 */
export function utf8EqualsAnyCode(data: string, start: string, end: string, literals: readonly Uint8Array[]): string | undefined {
  if (literals.length === 0) return 'false';
  if (literals.length > INLINE_MAX_LITERALS || literals.some((l) => l.length > INLINE_MAX_BYTES)) return undefined;
  const alternatives = literals.map((bytes) => {
    const tests = [`${end} - ${start} === ${bytes.length}`];
    bytes.forEach((b, k) => tests.push(`${data}[${start} + ${k}] === ${Number(b)}`));
    return `(${tests.join(' && ')})`;
  });
  return `(${alternatives.join(' || ')})`;
}
