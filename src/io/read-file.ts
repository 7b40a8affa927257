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

export interface ReadOptions {
  /**
   * Read into a ring of three buffers instead of a fresh one per chunk: no allocation and no GC
   * pressure, but a chunk is overwritten once the one after next is requested. Only for a
   * consumer that is done with a chunk (or has copied what it keeps) by then.
   */
  reuseBuffers?: boolean;
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
  const end = range.end ?? Number.POSITIVE_INFINITY;
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
  } finally {
    await next?.catch(() => {});
    await handle.close();
  }
}
