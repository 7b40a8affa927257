import { closeSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ColumnBatch, ColumnData } from '../core/column-data.js';
import type { DType } from '../core/dtypes.js';
import { DuskIoError } from '../core/errors.js';

/**
 * Batches written to a scratch file (a shuffle's buckets beyond its memory budget) and read back
 * by the task that needs them. The file is raw column buffers behind a small JSON header: the
 * same bytes as in memory, so writing and reading are copies, not encodings.
 */
export interface SpilledBatch {
  spilled: string;
  offset: number;
  byteLength: number;
  length: number;
  names: string[];
}

interface ColumnHeader {
  dtype: DType;
  length: number;
  nullCount: number;
  /** Byte lengths of the column's buffers, in the order buffersOf gives them. */
  sizes: number[];
  dictionary?: string[];
}

function buffersOf(col: ColumnData): (ArrayBufferView | null)[] {
  switch (col.dtype) {
    case 'string':
      return [col.validity, col.offsets, col.data];
    case 'category':
      return [col.validity, col.indices];
    default:
      return [col.validity, col.values];
  }
}

const pad8 = (n: number): number => (n + 7) & ~7;

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Bytes of a batch's column buffers (what keeping it in memory costs). */
export function batchBytes(batch: ColumnBatch): number {
  let n = 0;
  for (const col of batch.columns) for (const b of buffersOf(col)) n += b?.byteLength ?? 0;
  return n;
}

/** Writes the batches into one new file in `dir` (created if need be); returns where each is. */
export function spillBatches(dir: string, batches: readonly ColumnBatch[]): SpilledBatch[] {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${randomUUID()}.spill`);
  const fd = openSync(path, 'wx');
  try {
    let offset = 0;
    const write = (bytes: Uint8Array): void => {
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, offset + done);
      offset += bytes.length;
    };
    const zeros = new Uint8Array(8);
    return batches.map((batch) => {
      const start = offset;
      const columns: ColumnHeader[] = batch.columns.map((col) => ({
        dtype: col.dtype,
        length: col.length,
        nullCount: col.nullCount,
        sizes: buffersOf(col).map((b) => b?.byteLength ?? -1),
        ...(col.dtype === 'category' ? { dictionary: col.dictionary } : {}),
      }));
      const header = new TextEncoder().encode(JSON.stringify(columns));
      const prefix = new Uint8Array(8);
      new DataView(prefix.buffer).setUint32(0, header.length, true);
      write(prefix);
      write(header);
      write(zeros.subarray(0, pad8(header.length) - header.length));
      for (const col of batch.columns) {
        for (const b of buffersOf(col)) {
          if (b === null) continue;
          write(bytesOf(b));
          write(zeros.subarray(0, pad8(b.byteLength) - b.byteLength));
        }
      }
      return { spilled: path, offset: start, byteLength: offset - start, length: batch.length, names: [...batch.names] };
    });
  } catch (err) {
    throw new DuskIoError(`could not write shuffle data to ${path}: ${(err as Error).message} (set compute's shuffleMemory higher, or free disk space in ${dir})`, { path }, { cause: err });
  } finally {
    closeSync(fd);
  }
}

/** Reads a spilled batch back into memory. */
export function readSpilled(piece: SpilledBatch): ColumnBatch {
  const bytes = new Uint8Array(piece.byteLength);
  const fd = openSync(piece.spilled, 'r');
  try {
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(fd, bytes, done, bytes.length - done, piece.offset + done);
      if (n === 0) throw new DuskIoError(`shuffle data in ${piece.spilled} ends early (at byte ${piece.offset + done} of a piece up to ${piece.offset + piece.byteLength}); was the scratch folder cleaned up meanwhile?`, { path: piece.spilled, offset: piece.offset + done });
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  const headerLength = new DataView(bytes.buffer).getUint32(0, true);
  const headers = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as ColumnHeader[];
  let at = 8 + pad8(headerLength);
  const take = (size: number): ArrayBuffer | null => {
    if (size < 0) return null;
    const buffer = bytes.buffer.slice(at, at + size);
    at += pad8(size);
    return buffer;
  };
  const columns = headers.map((h): ColumnData => {
    const validityBuffer = take(h.sizes[0]!);
    const validity = validityBuffer && new Uint8Array(validityBuffer);
    const base = { length: h.length, nullCount: h.nullCount, validity };
    switch (h.dtype) {
      case 'float64':
        return { ...base, dtype: h.dtype, values: new Float64Array(take(h.sizes[1]!)!) };
      case 'int32':
        return { ...base, dtype: h.dtype, values: new Int32Array(take(h.sizes[1]!)!) };
      case 'int64':
        return { ...base, dtype: h.dtype, values: new BigInt64Array(take(h.sizes[1]!)!) };
      case 'bool':
        return { ...base, dtype: h.dtype, values: new Uint8Array(take(h.sizes[1]!)!) };
      case 'string':
        return { ...base, dtype: h.dtype, offsets: new Int32Array(take(h.sizes[1]!)!), data: new Uint8Array(take(h.sizes[2]!)!) };
      case 'category':
        return { ...base, dtype: h.dtype, indices: new Int32Array(take(h.sizes[1]!)!), dictionary: h.dictionary! };
    }
  });
  return { length: piece.length, names: piece.names, columns };
}

/** A partition's pieces with every spilled one read back. */
export function loadSpilled(pieces: readonly (ColumnBatch | SpilledBatch)[]): ColumnBatch[] {
  return pieces.map((p) => ('spilled' in p ? readSpilled(p) : p));
}
