import type { BatchSlab, SlabArray } from '../../core/batch-slab.js';
import type { ColumnData } from '../../core/column-data.js';
import type { DType, Encoding } from '../../core/dtypes.js';
import { isInfinityLiteral, parseBigIntBytes, parseFloatBytes, parseIntBytes } from './number-parse.js';

/** Why a field could not be appended (0 = appended). */
export const enum AppendResult {
  Ok = 0,
  NotANumber = 1,
  OutOfRange = 2,
  BadEncoding = 3,
  NotABool = 4,
}

/**
 * Accumulates one column of one batch. Fixed-width builders are sized for a whole batch up
 * front, so appending is a store and a bump. `truncate` rolls back rows that turned out to be
 * incomplete (a row cut by a chunk boundary) or bad (onBadLines: 'skip').
 */
export abstract class ColumnBuilder {
  length = 0;
  nullCount = 0;
  protected validity: Uint8Array | null = null;
  constructor(readonly capacity: number) {}

  abstract readonly dtype: DType;
  /** Parses buf[start, end) (unquoted, not an NA marker) and appends it. */
  abstract appendField(buf: Uint8Array, start: number, end: number): AppendResult;
  protected abstract appendDefault(): void;
  /** Drops values past `length` (most builders keep one value per row: nothing to do). */
  protected truncateValues(_length: number): void {}
  /** The batch's value buffers, as views of the builder's own arrays. */
  protected abstract valueBuffers(): SlabArray[];
  /** The column made of copies of valueBuffers() (same order); resets the values for the next batch. */
  protected abstract finishValues(copies: SlabArray[], validity: Uint8Array | null): ColumnData;

  /** Appends an integer parsed by the row splitter (integer columns only). */
  appendInt(_value: number): void {
    throw new Error(`internal: a ${this.dtype} column was given a parsed integer`);
  }

  appendNull(): void {
    if (this.validity === null) this.validity = new Uint8Array((this.capacity >> 3) + 1).fill(255);
    this.validity[this.length >> 3]! &= ~(1 << (this.length & 7));
    this.nullCount++;
    this.appendDefault();
  }

  truncate(length: number): void {
    if (this.validity !== null) {
      for (let row = length; row < this.length; row++) {
        const mask = 1 << (row & 7);
        if ((this.validity[row >> 3]! & mask) === 0) {
          this.nullCount--;
          this.validity[row >> 3]! |= mask;
        }
      }
    }
    this.truncateValues(length);
    this.length = length;
  }

  private validityBuffer(): Uint8Array | null {
    return this.validity === null ? null : this.validity.subarray(0, (this.length + 7) >> 3);
  }

  /** Counts this column's buffers into the batch's slab (before any finish). */
  reserve(slab: BatchSlab): void {
    for (const b of this.valueBuffers()) slab.reserve(b.byteLength);
    const validity = this.validityBuffer();
    if (validity !== null) slab.reserve(validity.byteLength);
  }

  /** Returns the batch's column, copied into the slab, and resets the builder for the next batch. */
  finish(slab: BatchSlab): ColumnData {
    const copies = this.valueBuffers().map((b) => slab.copy(b));
    const validity = this.validityBuffer();
    const data = this.finishValues(copies, validity === null ? null : slab.copy(validity));
    this.length = 0;
    this.nullCount = 0;
    this.validity = null;
    return data;
  }
}

/** A column of one fixed-width value per row. */
abstract class NumericBuilder<A extends Float64Array | Int32Array | BigInt64Array> extends ColumnBuilder {
  abstract override readonly dtype: 'float64' | 'int32' | 'int64';
  protected abstract values: A;
  protected valueBuffers(): SlabArray[] {
    return [this.values.subarray(0, this.length)];
  }
  protected finishValues([values]: SlabArray[], validity: Uint8Array | null): ColumnData {
    // values is a copy of this.values, so its type matches this.dtype.
    return { dtype: this.dtype, length: this.length, nullCount: this.nullCount, validity, values } as ColumnData;
  }
}

class Float64Builder extends NumericBuilder<Float64Array> {
  readonly dtype = 'float64';
  protected values = new Float64Array(this.capacity);
  appendField(buf: Uint8Array, start: number, end: number): AppendResult {
    const v = parseFloatBytes(buf, start, end);
    if (v !== v) return AppendResult.NotANumber;
    // Only inf/infinity read as infinities; other text that gives one is beyond the range.
    if ((v === Infinity || v === -Infinity) && !isInfinityLiteral(buf, start, end)) return AppendResult.OutOfRange;
    this.values[this.length++] = v;
    return AppendResult.Ok;
  }
  protected appendDefault(): void {
    this.values[this.length++] = 0;
  }
}

/**
 * float64 with another decimal separator (readCsv's `decimal`, e.g. ','): the field is copied
 * with the separator turned into '.', and any '.' into a byte no number has, so '1.5' is not a
 * number when the separator is ',' (as in pandas). Only used when the option is set.
 */
class DecimalFloat64Builder extends Float64Builder {
  private scratch = new Uint8Array(64);
  constructor(
    capacity: number,
    private readonly separator: number,
  ) {
    super(capacity);
  }
  override appendField(buf: Uint8Array, start: number, end: number): AppendResult {
    const n = end - start;
    if (this.scratch.length < n) this.scratch = new Uint8Array(n * 2);
    const scratch = this.scratch;
    for (let i = 0; i < n; i++) {
      const c = buf[start + i]!;
      scratch[i] = c === this.separator ? 46 : c === 46 ? 120 /* x */ : c;
    }
    return super.appendField(scratch, 0, n);
  }
}

class Int32Builder extends NumericBuilder<Int32Array> {
  readonly dtype = 'int32';
  protected values = new Int32Array(this.capacity);
  appendField(buf: Uint8Array, start: number, end: number): AppendResult {
    const v = parseIntBytes(buf, start, end);
    if (v !== v) return AppendResult.NotANumber;
    if (v > 2147483647 || v < -2147483648) return AppendResult.OutOfRange;
    this.values[this.length++] = v;
    return AppendResult.Ok;
  }
  override appendInt(value: number): void {
    this.values[this.length++] = value;
  }
  protected appendDefault(): void {
    this.values[this.length++] = 0;
  }
}

const TWO32 = 4294967296;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** Stores int64 as two int32 words (little-endian) so safe integers never become BigInts. */
class Int64Builder extends NumericBuilder<BigInt64Array> {
  readonly dtype = 'int64';
  protected values = new BigInt64Array(this.capacity);
  private words = new Int32Array(this.values.buffer);
  appendField(buf: Uint8Array, start: number, end: number): AppendResult {
    const v = parseIntBytes(buf, start, end);
    if (v !== v) return AppendResult.NotANumber;
    if (v === Infinity || v === -Infinity) {
      const big = parseBigIntBytes(buf, start, end);
      if (big === null) return AppendResult.NotANumber;
      if (big > INT64_MAX || big < INT64_MIN) return AppendResult.OutOfRange;
      this.values[this.length++] = big;
      return AppendResult.Ok;
    }
    this.appendInt(v);
    return AppendResult.Ok;
  }
  override appendInt(value: number): void {
    const i = this.length++ << 1;
    this.words[i] = value >>> 0;
    this.words[i + 1] = Math.floor(value / TWO32);
  }
  protected appendDefault(): void {
    this.values[this.length++] = 0n;
  }
}

function bytesEqualAscii(buf: Uint8Array, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (buf[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

const TRUE_VALUES = ['True', 'TRUE', 'true'];
const FALSE_VALUES = ['False', 'FALSE', 'false'];

class BoolBuilder extends ColumnBuilder {
  readonly dtype = 'bool';
  private values = new Uint8Array((this.capacity >> 3) + 1);
  appendField(buf: Uint8Array, start: number, end: number): AppendResult {
    let s = start;
    let e = end;
    while (s < e && buf[s] === 32) s++;
    while (e > s && buf[e - 1] === 32) e--;
    if (TRUE_VALUES.some((t) => bytesEqualAscii(buf, s, e, t))) {
      this.values[this.length >> 3]! |= 1 << (this.length & 7);
      this.length++;
      return AppendResult.Ok;
    }
    if (FALSE_VALUES.some((t) => bytesEqualAscii(buf, s, e, t))) {
      this.appendDefault();
      return AppendResult.Ok;
    }
    return AppendResult.NotABool;
  }
  protected appendDefault(): void {
    this.values[this.length >> 3]! &= ~(1 << (this.length & 7));
    this.length++;
  }
  protected valueBuffers(): SlabArray[] {
    return [this.values.subarray(0, (this.length + 7) >> 3)];
  }
  protected finishValues([values]: SlabArray[], validity: Uint8Array | null): ColumnData {
    this.values.fill(0);
    return { dtype: 'bool', length: this.length, nullCount: this.nullCount, validity, values: values as Uint8Array };
  }
}

/** Length of a valid UTF-8 sequence starting at buf[i] (a non-ASCII lead byte), or 0. */
function utf8SequenceLength(buf: Uint8Array, i: number, end: number): number {
  const b = buf[i]!;
  const n = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
  if (n === 0 || b > 0xf4 || i + n > end) return 0;
  for (let k = 1; k < n; k++) if ((buf[i + k]! & 0xc0) !== 0x80) return 0;
  return n;
}

/** UTF-8 strings: offsets + bytes. latin1 input is transcoded; utf8 input is validated. */
class Utf8Builder extends ColumnBuilder {
  readonly dtype: DType = 'string';
  private offsets = new Int32Array(this.capacity + 1);
  private data = new Uint8Array(Math.max(1024, this.capacity * 8));
  private used = 0;
  constructor(capacity: number, private readonly encoding: Encoding) {
    super(capacity);
  }
  private reserveBytes(extra: number): void {
    if (this.used + extra <= this.data.length) return;
    const grown = new Uint8Array(Math.max(this.data.length * 2, this.used + extra));
    grown.set(this.data.subarray(0, this.used));
    this.data = grown;
  }
  appendField(buf: Uint8Array, start: number, end: number): AppendResult {
    this.reserveBytes((end - start) * 2);
    const data = this.data;
    let w = this.used;
    if (this.encoding === 'latin1') {
      for (let i = start; i < end; i++) {
        const b = buf[i]!;
        if (b < 0x80) data[w++] = b;
        else {
          data[w++] = 0xc0 | (b >> 6);
          data[w++] = 0x80 | (b & 0x3f);
        }
      }
    } else {
      for (let i = start; i < end; i++) {
        const b = buf[i]!;
        if (b < 0x80) data[w++] = b;
        else {
          const n = utf8SequenceLength(buf, i, end);
          if (n === 0) return AppendResult.BadEncoding;
          for (let k = 0; k < n; k++) data[w++] = buf[i + k]!;
          i += n - 1;
        }
      }
    }
    this.used = w;
    this.offsets[++this.length] = w;
    return AppendResult.Ok;
  }
  protected appendDefault(): void {
    this.offsets[++this.length] = this.used;
  }
  protected override truncateValues(length: number): void {
    this.used = this.offsets[length]!;
  }
  protected valueBuffers(): SlabArray[] {
    return [this.offsets.subarray(0, this.length + 1), this.data.subarray(0, this.used)];
  }
  protected finishValues([offsets, data]: SlabArray[], validity: Uint8Array | null): ColumnData {
    this.used = 0;
    return { dtype: 'string', length: this.length, nullCount: this.nullCount, validity, offsets: offsets as Int32Array, data: data as Uint8Array };
  }
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Dictionary-encoded strings: each distinct value decoded once, rows store an index. */
class CategoryBuilder extends ColumnBuilder {
  readonly dtype = 'category';
  private indices = new Int32Array(this.capacity);
  private dictionary: string[] = [];
  private lookup = new Map<string, number>();
  constructor(capacity: number, private readonly encoding: Encoding) {
    super(capacity);
  }
  appendField(buf: Uint8Array, start: number, end: number): AppendResult {
    let key: string;
    if (this.encoding === 'latin1') {
      key = '';
      for (let i = start; i < end; i++) key += String.fromCharCode(buf[i]!);
    } else {
      try {
        key = utf8Decoder.decode(buf.subarray(start, end));
      } catch {
        return AppendResult.BadEncoding;
      }
    }
    let index = this.lookup.get(key);
    if (index === undefined) {
      index = this.dictionary.length;
      this.dictionary.push(key);
      this.lookup.set(key, index);
    }
    this.indices[this.length++] = index;
    return AppendResult.Ok;
  }
  protected appendDefault(): void {
    this.indices[this.length++] = 0;
  }
  protected valueBuffers(): SlabArray[] {
    return [this.indices.subarray(0, this.length)];
  }
  protected finishValues([indices]: SlabArray[], validity: Uint8Array | null): ColumnData {
    const out: ColumnData = { dtype: 'category', length: this.length, nullCount: this.nullCount, validity, indices: indices as Int32Array, dictionary: this.dictionary };
    this.dictionary = [];
    this.lookup = new Map();
    return out;
  }
}

/** `decimal`: the decimal separator of float64 values (default '.'). */
export function makeBuilder(dtype: DType, capacity: number, encoding: Encoding, decimal = '.'): ColumnBuilder {
  switch (dtype) {
    case 'float64':
      return decimal === '.' ? new Float64Builder(capacity) : new DecimalFloat64Builder(capacity, decimal.charCodeAt(0));
    case 'int32':
      return new Int32Builder(capacity);
    case 'int64':
      return new Int64Builder(capacity);
    case 'bool':
      return new BoolBuilder(capacity);
    case 'string':
      return new Utf8Builder(capacity, encoding);
    case 'category':
      return new CategoryBuilder(capacity, encoding);
  }
}
