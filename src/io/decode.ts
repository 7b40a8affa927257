import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DuskIoError } from '../core/errors.js';
import { decodeBz2, decodeBz2PrefixSync } from './codecs/bz2.js';
// The sample's compressed size is WASM-only (bz2-block-range.ts says why).
import { type Bz2BlockRange, type Bz2RangeChunk, decodeBz2BlockRange } from './codecs/bz2-block-range.js';
import { decodeBz2BlockRangeSystem } from './codecs/bz2-block-range-system.js';
import { chooseBz2Decoder } from './codecs/bz2-choice.js';
import { decodeBz2PrefixWasmSized } from './codecs/bz2-wasm-stream.js';
import { decodeGzip, decodeGzipPrefixSync } from './codecs/gzip.js';
import type { Compression } from './compression.js';
import type { IoMetrics, ProgressSink } from './io-metrics.js';
import { type ByteRange, type FileStamp, readFileChunks } from './read-file.js';

/**
 * The decoded bytes of a file or byte range, streamed. Compressed files are read whole here (a
 * range applies to plain files only); a block range of a .bz2 file is decodedBz2BlockRange's.
 * `expect`: the file as it was listed; the read fails if it has changed (readFileChunks).
 */
export function decodedChunks(
  path: string,
  compression: Compression,
  range: ByteRange,
  metrics: IoMetrics,
  progress: ProgressSink,
  expect?: FileStamp,
): AsyncIterable<Uint8Array> {
  if (compression !== 'none' && (range.start !== 0 || range.end !== null)) {
    throw new DuskIoError(`${path}: byte ranges apply to uncompressed files only`, { path });
  }
  // Plain chunks go straight to the parser, which keeps no reference to them: reuse the buffers.
  const raw = readFileChunks(path, range, metrics, progress, expect === undefined ? { reuseBuffers: compression === 'none' } : { reuseBuffers: compression === 'none', expect });
  switch (compression) {
    case 'none':
      return raw;
    case 'gzip':
      return decodeGzip(raw, path);
    case 'bz2':
      return decodeBz2(raw, { path });
  }
}

/**
 * The decoded blocks of one block-range partition of a .bz2 file (see bz2-block-range.ts): its
 * own blocks, then the following ones (owned: false) while the caller pulls. Reads the file
 * from the range's first compressed byte, through readFileChunks like every other read.
 */
export function decodedBz2BlockRange(path: string, range: Bz2BlockRange, metrics: IoMetrics, progress: ProgressSink, expect?: FileStamp): AsyncIterable<Bz2RangeChunk> {
  const compressed = readFileChunks(path, { start: range.start, end: null }, metrics, progress, expect === undefined ? {} : { expect });
  const choice = chooseBz2Decoder(undefined);
  if (choice.decoder === 'system' && choice.run) return decodeBz2BlockRangeSystem(compressed, path, range, choice.run);
  return decodeBz2BlockRange(compressed, path, range, undefined, choice.decoder === 'wasm-libbz2' ? 'libbz2' : 'dusk');
}

/** Reads up to `maxCompressed` bytes from the start of a file, synchronously. */
function readPrefixSync(path: string, maxCompressed: number): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new DuskIoError(`cannot open '${path}': ${(err as Error).message}`, { path }, { cause: err });
  }
  try {
    // A small file needs no buffer of the whole sample's size (1 MB, zeroed, for a 2 kB file).
    const stat = fstatSync(fd);
    const want = stat.isFile() ? Math.min(maxCompressed, stat.size) : maxCompressed;
    const buffer = new Uint8Array(want);
    let filled = 0;
    while (filled < want) {
      const n = readSync(fd, buffer, filled, want - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/**
 * The first decoded bytes of a file (at least min(maxBytes, file length) when the file is that
 * long), synchronously: readCsv samples the schema before anything is computed.
 */
export function decodedPrefixSync(path: string, compression: Compression, maxBytes: number): Uint8Array {
  switch (compression) {
    case 'none':
      return readPrefixSync(path, maxBytes);
    case 'gzip':
      return decodeGzipPrefixSync(readPrefixSync(path, Math.max(maxBytes, 1 << 16)), maxBytes, path);
    case 'bz2': {
      // A bz2 block holds up to 900 kB of input; read enough compressed bytes for a whole one.
      const want = Math.max(maxBytes, 2 << 20);
      const prefix = readPrefixSync(path, want);
      return decodeBz2PrefixSync(prefix, maxBytes, path, prefix.length < want);
    }
  }
}

/**
 * decodedPrefixSync for a .bz2 file, also giving the compressed bytes that the decoded whole
 * blocks took: decoded / compressed estimates the file's compression ratio.
 */
export function bz2PrefixSync(path: string, maxBytes: number): { decoded: Uint8Array; compressedBytes: number } {
  const want = Math.max(maxBytes, 2 << 20);
  const prefix = readPrefixSync(path, want);
  return decodeBz2PrefixWasmSized(prefix, maxBytes, path, prefix.length < want);
}
