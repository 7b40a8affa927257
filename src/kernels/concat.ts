import type { ColumnData, ColumnDataOf } from '../core/column-data.js';
import { DuskError } from '../core/errors.js';

function bit(bits: Uint8Array, i: number): boolean {
  return (bits[i >> 3]! & (1 << (i & 7))) !== 0;
}

/** Copies `n` bits of `from` (or all ones when null) into `into` at bit `at`. */
function copyBits(into: Uint8Array, at: number, from: Uint8Array | null, n: number): void {
  for (let i = 0; i < n; i++) if (from === null || bit(from, i)) into[(at + i) >> 3]! |= 1 << ((at + i) & 7);
}

/** Columns of one dtype, one after another, as one column (categories share one dictionary). */
export function concatColumns(parts: readonly ColumnData[]): ColumnData {
  if (parts.length === 1) return parts[0]!;
  const dtype = parts[0]!.dtype;
  if (parts.some((p) => p.dtype !== dtype)) throw new DuskError(`internal: cannot concatenate columns of dtypes ${[...new Set(parts.map((p) => p.dtype))].join(', ')}`);
  const length = parts.reduce((n, p) => n + p.length, 0);
  const nullCount = parts.reduce((n, p) => n + p.nullCount, 0);
  let validity: Uint8Array | null = null;
  if (nullCount > 0) {
    validity = new Uint8Array((length + 7) >> 3);
    let at = 0;
    for (const p of parts) {
      copyBits(validity, at, p.validity, p.length);
      at += p.length;
    }
  }
  const common = { length, nullCount, validity };
  switch (dtype) {
    case 'float64':
    case 'int32':
    case 'int64': {
      const typed = parts as ColumnDataOf<'float64' | 'int32' | 'int64'>[];
      const Ctor = typed[0]!.values.constructor as new (n: number) => Float64Array | Int32Array | BigInt64Array;
      const values = new Ctor(length);
      let at = 0;
      for (const p of typed) {
        values.set(p.values.subarray(0, p.length) as never, at);
        at += p.length;
      }
      return { dtype, ...common, values } as ColumnData;
    }
    case 'bool': {
      const values = new Uint8Array((length + 7) >> 3);
      let at = 0;
      for (const p of parts as ColumnDataOf<'bool'>[]) {
        copyBits(values, at, p.values, p.length);
        at += p.length;
      }
      return { dtype, ...common, values };
    }
    case 'string': {
      const strings = parts as ColumnDataOf<'string'>[];
      const bytes = strings.reduce((n, p) => n + (p.offsets[p.length]! - p.offsets[0]!), 0);
      const data = new Uint8Array(bytes);
      const offsets = new Int32Array(length + 1);
      let row = 0;
      let pos = 0;
      for (const p of strings) {
        const base = p.offsets[0]!;
        data.set(p.data.subarray(base, p.offsets[p.length]!), pos);
        for (let i = 1; i <= p.length; i++) offsets[row + i] = pos + p.offsets[i]! - base;
        row += p.length;
        pos = offsets[row]!;
      }
      return { dtype, ...common, offsets, data };
    }
    case 'category': {
      const dictionary: string[] = [];
      const index = new Map<string, number>();
      const indices = new Int32Array(length);
      let at = 0;
      for (const p of parts as ColumnDataOf<'category'>[]) {
        const remap = p.dictionary.map((s) => index.get(s) ?? (index.set(s, dictionary.push(s) - 1), dictionary.length - 1));
        for (let i = 0; i < p.length; i++) indices[at + i] = remap[p.indices[i]!] ?? 0;
        at += p.length;
      }
      return { dtype, ...common, indices, dictionary };
    }
  }
}
