import { open } from 'node:fs/promises';
import { DuskIoError } from '../core/errors.js';
import type { IoMetrics, ProgressSink } from './io-metrics.js';

/** Large reads: fewer syscalls, and the decoders and parser work best on big chunks. */
export const READ_CHUNK_BYTES = 1 << 20;

export interface ByteRange {
  start: number;
  /** Exclusive; null means to the end of the file. */
  end: number | null;
}

/** What a file was like when it was listed (readCsv); a read checks that it still is. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export interface ReadOptions {
  /**
   * Read into a ring of three buffers instead of a fresh one per chunk: no allocation and no GC
   * pressure, but a chunk is overwritten once the one after next is requested. Only for a
   * consumer that is done with a chunk (or has copied what it keeps) by then.
   */
  reuseBuffers?: boolean;
  /**
   * The size and modification time the file had when it was listed. The read fails with a
   * DuskIoError if, when opened, the file differs; if it ends before that size (a short read:
   * truncated meanwhile); or if, having read to that size, the file then differs (changed during
   * the read). Reading stops at that size, so bytes appended later are never read either.
   */
  expect?: FileStamp;
}

function describeStamp(stamp: FileStamp): string {
  return `${stamp.size} bytes, modified ${new Date(stamp.mtimeMs).toISOString()}`;
}

/** The error for a file that is not as it was listed. */
export function fileChangedError(path: string, listed: FileStamp, now: FileStamp | string, reader = 'readCsv'): DuskIoError {
  const what = typeof now === 'string' ? now : `now ${describeStamp(now)}`;
  return new DuskIoError(
    `${path}: the file changed since ${reader} listed it (then ${describeStamp(listed)}; ${what}); its rows would not match the partitions and schema ${reader} planned. Re-run ${reader} to read the file as it is now`,
    { path },
  );
}

/**
 * Streams a file (or a byte range of it) in large chunks. The one place files are opened,
 * so the open count in `metrics` is the truth about read passes.
 */
export async function* readFileChunks(
  path: string,
  range: ByteRange,
  metrics: IoMetrics,
  progress: ProgressSink,
  options: ReadOptions = {},
): AsyncGenerator<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new DuskIoError(`cannot open '${path}': ${(err as Error).message}`, { path }, { cause: err });
  }
  metrics.opens[path] = (metrics.opens[path] ?? 0) + 1;
  const { expect } = options;
  /** Compares the open file with its listing; the error, or null when it is unchanged. */
  const changed = async (): Promise<DuskIoError | null> => {
    if (expect === undefined) return null;
    const stat = await handle.stat();
    return stat.size === expect.size && stat.mtimeMs === expect.mtimeMs ? null : fileChangedError(path, expect, { size: stat.size, mtimeMs: stat.mtimeMs });
  };
  const openError = await changed().catch((err: unknown) => err);
  if (openError !== null) {
    await handle.close();
    throw openError;
  }
  const end = Math.min(range.end ?? Number.POSITIVE_INFINITY, expect?.size ?? Number.POSITIVE_INFINITY);
  const ring = options.reuseBuffers ? [0, 1, 2].map(() => Buffer.allocUnsafeSlow(READ_CHUNK_BYTES)) : null;
  let reads = 0;
  const readAt = async (position: number): Promise<Uint8Array> => {
    const want = Math.min(READ_CHUNK_BYTES, end - position);
    const buffer = ring === null ? Buffer.allocUnsafeSlow(want) : ring[reads++ % ring.length]!;
    const { bytesRead } = await handle.read(buffer, 0, want, position);
    return bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
  };
  // Read ahead: the next chunk is read from disk while the caller parses this one.
  let next: Promise<Uint8Array> | null = range.start < end ? readAt(range.start) : null;
  try {
    let position = range.start;
    while (next !== null) {
      const chunk = await next;
      next = null;
      if (chunk.length === 0) break;
      position += chunk.length;
      if (position < end) next = readAt(position);
      metrics.bytesRead += chunk.length;
      progress.addBytesRead(chunk.length);
      yield chunk;
    }
    if (expect !== undefined) {
      if (position < end) throw fileChangedError(path, expect, `now it ends at byte ${position}`);
      // Read to the listed end: the file must still be as listed (not rewritten meanwhile).
      if (end === expect.size) {
        const error = await changed();
        if (error !== null) throw error;
      }
    }
  } finally {
    await next?.catch(() => {});
    await handle.close();
  }
}
