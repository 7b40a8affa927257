import type { ColumnBatch, ColumnData } from '../../core/column-data.js';
import { DuskError } from '../../core/errors.js';
import type { ReadContext } from '../source.js';
import type { MemoryFormat, MemoryPartition } from './memory-source.js';

const BATCH_ROWS = 1 << 16;

/**
 * Bits [start, start + length) of an LSB-first bitmap: a view when start is a multiple of 8,
 * else a shifted copy (length / 8 bytes, small beside the values it describes).
 */
function sliceBits(bits: Uint8Array, start: number, length: number): Uint8Array {
  if ((start & 7) === 0) return bits.subarray(start >> 3, (start + length + 7) >> 3);
  const out = new Uint8Array((length + 7) >> 3);
  for (let i = 0; i < length; i++) {
    const at = start + i;
    if (bits[at >> 3]! & (1 << (at & 7))) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

/**
 * Rows [start, end) of a column. Views, except a string column's rebased offsets and, when
 * start is not a multiple of 8 (a persisted frame's partition boundaries), bitmaps shifted to
 * start at bit 0.
 */
export function sliceColumn(col: ColumnData, start: number, end: number): ColumnData {
  const length = end - start;
  const validity = col.validity === null ? null : sliceBits(col.validity, start, length);
  const nullCount = validity === null ? 0 : countNulls(validity, length);
  switch (col.dtype) {
    case 'float64':
    case 'int32':
    case 'int64':
      return { dtype: col.dtype, length, nullCount, validity, values: col.values.subarray(start, end) } as ColumnData;
    case 'bool':
      return { dtype: 'bool', length, nullCount, validity, values: sliceBits(col.values, start, length) };
    case 'string': {
      const base = col.offsets[start]!;
      const offsets = col.offsets.slice(start, end + 1);
      if (base !== 0) for (let i = 0; i < offsets.length; i++) offsets[i]! -= base;
      return { dtype: 'string', length, nullCount, validity, offsets, data: col.data.subarray(base, col.offsets[end]!) };
    }
    case 'category':
      return { dtype: 'category', length, nullCount, validity, indices: col.indices.subarray(start, end), dictionary: col.dictionary };
  }
}

function countNulls(validity: Uint8Array, length: number): number {
  let valid = 0;
  for (let i = 0; i < length; i++) if (validity[i >> 3]! & (1 << (i & 7))) valid++;
  return length - valid;
}

/** The worker side of an in-memory source (registered in sources/readers.ts). */
export async function* readMemoryPartition(formatArg: unknown, partitionArg: unknown, columns: readonly string[], ctx: ReadContext, limitRows?: number): AsyncGenerator<ColumnBatch> {
  const format = formatArg as MemoryFormat;
  const part = partitionArg as MemoryPartition;
  if (!ctx.sharedValue) throw new DuskError('internal: an in-memory partition was read without the shared store');
  const data = ctx.sharedValue(format.key) as Record<string, ColumnData>;
  const end = Math.min(part.end, part.start + (limitRows ?? Number.POSITIVE_INFINITY));
  for (let start = part.start; start < end || (start === part.start && end === part.start); start += BATCH_ROWS) {
    const stop = Math.min(end, start + BATCH_ROWS);
    yield { length: stop - start, names: [...columns], columns: columns.map((c) => sliceColumn(data[c]!, start, stop)) };
    if (stop >= end) return;
  }
}
