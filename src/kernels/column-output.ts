import type { ColumnData } from '../core/column-data.js';

/**
 * Builders for computed string and category columns, filled one row at a time by generated
 * kernels (numeric and bool outputs are written straight into typed arrays by the kernel).
 */

const encoder = new TextEncoder();

class Validity {
  readonly bits: Uint8Array;
  nullCount = 0;
  constructor(capacity: number) {
    this.bits = new Uint8Array((capacity + 7) >> 3);
  }
  set(row: number): void {
    this.bits[row >> 3]! |= 1 << (row & 7);
  }
  /** null when every row is valid, as ColumnData wants. */
  finish(): Uint8Array | null {
    return this.nullCount === 0 ? null : this.bits;
  }
}

export class StringOutput {
  private data: Uint8Array;
  private readonly offsets: Int32Array;
  private readonly validity: Validity;
  private row = 0;
  private pos = 0;

  constructor(private readonly capacity: number) {
    this.data = new Uint8Array(Math.max(64, capacity * 8));
    this.offsets = new Int32Array(capacity + 1);
    this.validity = new Validity(capacity);
  }

  push(s: string): void {
    const n = s.length;
    if (this.pos + 3 * n > this.data.length) this.grow(this.pos + 3 * n);
    const data = this.data;
    let p = this.pos;
    let k = 0;
    for (; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c >= 0x80) break;
      data[p++] = c;
    }
    if (k < n) p += encoder.encodeInto(s.slice(k), data.subarray(p)).written;
    this.pos = p;
    this.validity.set(this.row);
    this.offsets[++this.row] = p;
  }

  pushNull(): void {
    this.validity.nullCount++;
    this.offsets[++this.row] = this.pos;
  }

  finish(): ColumnData {
    return { dtype: 'string', length: this.capacity, nullCount: this.validity.nullCount, validity: this.validity.finish(), offsets: this.offsets, data: this.data.slice(0, this.pos) };
  }

  private grow(needed: number): void {
    const next = new Uint8Array(Math.max(needed, this.data.length * 2));
    next.set(this.data.subarray(0, this.pos));
    this.data = next;
  }
}

export class CategoryOutput {
  private readonly codes = new Map<string, number>();
  private readonly dictionary: string[] = [];
  private readonly indices: Int32Array;
  private readonly validity: Validity;
  private row = 0;

  constructor(private readonly capacity: number) {
    this.indices = new Int32Array(capacity);
    this.validity = new Validity(capacity);
  }

  push(s: string): void {
    let code = this.codes.get(s);
    if (code === undefined) {
      code = this.dictionary.length;
      this.dictionary.push(s);
      this.codes.set(s, code);
    }
    this.indices[this.row] = code;
    this.validity.set(this.row++);
  }

  pushNull(): void {
    this.validity.nullCount++;
    this.row++;
  }

  finish(): ColumnData {
    return { dtype: 'category', length: this.capacity, nullCount: this.validity.nullCount, validity: this.validity.finish(), indices: this.indices, dictionary: this.dictionary };
  }
}
