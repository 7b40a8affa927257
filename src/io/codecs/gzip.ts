import type { InflateRaw, ZlibOptions } from 'minizlib';
import { lazyModule } from '../../core/lazy-module.js';

// Loaded by the first gzip read, not at import (core/lazy-module.ts).
const minizlib = lazyModule<typeof import('minizlib')>('minizlib');
const zlib = () => process.getBuiltinModule('node:zlib');
import { concatBytes } from '../concat-bytes.js';
import { DuskIoError } from '../../core/errors.js';

/** Output chunk size: zlib's 16 kB default decodes at 610-640 MB/s here, 256 kB at 830-920. */
const GUNZIP_CHUNK = 1 << 18;
/**
 * Compressed bytes given to inflate per call: an error in deflate data is located to within
 * this many bytes (zlib does not say where in its input it failed). Much smaller calls cost CPU:
 * minizlib copies the first output buffer of every call, so at 64 kB (about one 256 kB output
 * buffer per call) every byte was copied; at 256 kB decoding costs what Gunzip did (CPU time of
 * decoding a 12 MB file, within noise of each other).
 */
const INFLATE_SLICE = 1 << 18;

const FLAG_HCRC = 2;
const FLAG_EXTRA = 4;
const FLAG_NAME = 8;
const FLAG_COMMENT = 16;
const FLAG_RESERVED = 0xe0;

/**
 * A push-driven gzip decoder that knows where it is in the file: every member's header and
 * trailer is parsed here and only the deflate data goes to zlib (raw inflate), so its errors
 * give exact compressed offsets: a bad header, a CRC or length mismatch at a member's trailer,
 * a file that ends early, and bytes after the last member. Errors in deflate data itself are
 * located to the slice of INFLATE_SLICE bytes zlib was given.
 *
 * Several members (pigz -i, bgzip, cat a.gz b.gz) decode one after another, as gzip -d does.
 * After the last member, zero bytes are padding and are ignored (as gzip -d, Python and pandas
 * do); anything else is an error naming the offset where the gzip data ends. gzip -d decodes such
 * a file with a warning ("trailing garbage ignored"), but Python's gzip module, so pandas,
 * refuses it: the bytes may be a damaged further member whose rows would be lost silently.
 */
export class GzipDecoder {
  /** Compressed bytes consumed so far (the offset of the next byte). */
  private offset = 0;
  private state: 'header' | 'body' | 'trailer' | 'after' = 'header';
  /** Bytes of a header or trailer that is not complete yet. */
  private partial: Uint8Array = new Uint8Array(0);
  private memberStart = 0;
  /** Where the last complete member ends. */
  private lastMemberEnd = 0;
  private members = 0;
  private inflate: InflateRaw | null = null;
  private inflateError: Error | null = null;
  private out: Uint8Array[] = [];
  private memberCrc = 0;
  private memberSize = 0;
  /** The stream of the current member ended (inflate consumed less than it was given, or nothing). */
  private bodyEnded = false;

  constructor(private readonly path: string) {}

  /** Compressed bytes consumed so far. */
  get compressedOffset(): number {
    return this.offset;
  }

  /** Decodes `chunk`; returns the decoded bytes it completed. Throws a DuskIoError on bad data. */
  push(chunk: Uint8Array): Uint8Array[] {
    let at = 0;
    while (at < chunk.length) {
      switch (this.state) {
        case 'header':
          at = this.readHeader(chunk, at);
          break;
        case 'body':
          at = this.readBody(chunk, at);
          break;
        case 'trailer':
          at = this.readTrailer(chunk, at);
          break;
        case 'after':
          at = this.readAfter(chunk, at);
          break;
      }
    }
    const out = this.out;
    this.out = [];
    return out;
  }

  /** No more input: throws if the data ends inside a member (or the file was empty). */
  end(): Uint8Array[] {
    if (this.state === 'after') return [];
    if (this.members === 0 && this.state === 'header' && this.partial.length === 0 && this.offset === 0) {
      throw this.error('truncated gzip stream (unexpected end of file): the file is empty', 0);
    }
    let inData = this.state === 'body';
    if (this.state === 'body' && !this.bodyEnded && this.inflate !== null) {
      this.inflate.end(); // zlib says whether its stream was complete
      if (this.inflateError !== null) throw this.zlibError(this.inflateError, this.offset, this.offset);
      inData = false; // complete: only the trailer is missing
    }
    const where = this.state === 'header' ? 'its header' : inData ? 'its compressed data' : 'its trailer (CRC and length)';
    throw this.error(`truncated gzip stream (unexpected end of file): the file ends inside ${where}, in the member that starts at byte ${this.memberStart}`, this.offset);
  }

  /** Closes zlib (call when stopping early, too). */
  close(): void {
    this.inflate?.close();
    this.inflate = null;
  }

  private readHeader(chunk: Uint8Array, at: number): number {
    const taken = Math.min(chunk.length - at, 64 * 1024);
    const bytes = this.partial.length > 0 ? concatBytes([this.partial, chunk.subarray(at, at + taken)]) : chunk.subarray(at, at + taken);
    const length = this.headerLength(bytes);
    if (length < 0) {
      // Not complete yet: keep what we have (a header with a long name or extra field grows).
      this.partial = bytes.slice();
      this.offset += taken;
      return at + taken;
    }
    const used = length - this.partial.length; // bytes of this chunk in the header
    this.partial = new Uint8Array(0);
    this.offset += used;
    this.state = 'body';
    this.memberCrc = 0;
    this.memberSize = 0;
    this.bodyEnded = false;
    this.startInflate();
    return at + used;
  }

  /** The header's length, or -1 if `bytes` does not hold all of it yet; throws on a bad header. */
  private headerLength(bytes: Uint8Array): number {
    if (bytes.length >= 1 && bytes[0] !== 0x1f) throw this.notGzip(bytes);
    if (bytes.length >= 2 && bytes[1] !== 0x8b) throw this.notGzip(bytes);
    if (bytes.length >= 3 && bytes[2] !== 8) throw this.error(`corrupt gzip header: unknown compression method ${bytes[2]} (deflate is 8), in the member that starts here`, this.memberStart);
    if (bytes.length < 4) return -1;
    const flags = bytes[3]!;
    if ((flags & FLAG_RESERVED) !== 0) throw this.error(`corrupt gzip header: reserved flag bits set (0x${flags.toString(16)}), in the member that starts here`, this.memberStart);
    if (bytes.length < 10) return -1;
    let length = 10;
    if (flags & FLAG_EXTRA) {
      if (bytes.length < length + 2) return -1;
      length += 2 + (bytes[length]! | (bytes[length + 1]! << 8));
    }
    for (const flag of [FLAG_NAME, FLAG_COMMENT]) {
      if (flags & flag) {
        if (bytes.length <= length) return -1;
        const zero = bytes.indexOf(0, length);
        if (zero < 0) return -1;
        length = zero + 1;
      }
    }
    if (flags & FLAG_HCRC) length += 2;
    return bytes.length >= length ? length : -1;
  }

  private notGzip(bytes: Uint8Array): DuskIoError {
    const shown = [...bytes.subarray(0, 2)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    if (this.members === 0) return this.error(`not a gzip file: it starts with bytes ${shown}, not the gzip magic 1f 8b`, this.memberStart);
    return this.trailingGarbage(this.memberStart);
  }

  private startInflate(): void {
    if (this.inflate === null) {
      // minizlib hands its options to node:zlib, which takes chunkSize; minizlib's type omits it.
      const options: ZlibOptions & { chunkSize: number } = { chunkSize: GUNZIP_CHUNK };
      this.inflate = new (minizlib().InflateRaw)(options);
      this.inflate.on('data', (data: Uint8Array) => {
        this.memberCrc = zlib().crc32(data, this.memberCrc);
        this.memberSize += data.length;
        this.out.push(data);
      });
      this.inflate.on('error', (err: unknown) => (this.inflateError ??= err as Error));
    } else this.inflate.reset();
  }

  private readBody(chunk: Uint8Array, at: number): number {
    const inflate = this.inflate!;
    while (at < chunk.length) {
      const slice = chunk.subarray(at, at + INFLATE_SLICE);
      inflate.write(slice); // decodes now: 'data' (and 'error') fire before write returns
      if (this.inflateError !== null) throw this.zlibError(this.inflateError, this.offset, this.offset + slice.length);
      // The raw deflate stream ends where zlib stops consuming: the member's trailer follows.
      const consumed = inflate.handle?.bytesWritten ?? slice.length;
      this.offset += consumed;
      at += consumed;
      if (consumed < slice.length) {
        this.bodyEnded = true;
        this.state = 'trailer';
        return at;
      }
    }
    return at;
  }

  private readTrailer(chunk: Uint8Array, at: number): number {
    const need = 8 - this.partial.length;
    const taken = Math.min(need, chunk.length - at);
    this.partial = concatBytes([this.partial, chunk.subarray(at, at + taken)]).slice();
    this.offset += taken;
    if (this.partial.length < 8) return at + taken;
    const trailer = this.partial;
    this.partial = new Uint8Array(0);
    const view = new DataView(trailer.buffer, trailer.byteOffset, 8);
    const storedCrc = view.getUint32(0, true);
    const storedSize = view.getUint32(4, true);
    const computedCrc = this.memberCrc >>> 0;
    if (storedCrc !== computedCrc) {
      throw this.error(
        `corrupt gzip data: CRC-32 mismatch in the trailer of the member that starts at byte ${this.memberStart} (stored ${hex(storedCrc)}, computed ${hex(computedCrc)} over its ${this.memberSize} decoded bytes)`,
        this.offset - 8,
      );
    }
    if (storedSize !== this.memberSize % 2 ** 32) {
      throw this.error(`corrupt gzip data: length mismatch in the trailer of the member that starts at byte ${this.memberStart} (stored ${storedSize}, decoded ${this.memberSize} mod 2^32)`, this.offset - 4);
    }
    this.members++;
    this.lastMemberEnd = this.offset;
    this.state = 'after';
    return at + taken;
  }

  /** After a member: zero padding, another member, or trailing garbage. */
  private readAfter(chunk: Uint8Array, at: number): number {
    while (at < chunk.length && chunk[at] === 0) {
      at++;
      this.offset++;
    }
    if (at < chunk.length) {
      if (chunk[at] !== 0x1f) throw this.trailingGarbage(this.offset);
      this.memberStart = this.offset;
      this.state = 'header';
    }
    return at;
  }

  /** Bytes from `from` on that do not start a member, after the last one. */
  private trailingGarbage(from: number): DuskIoError {
    const end = this.lastMemberEnd;
    const padding = from > end ? ` and ${from - end} zero bytes of padding` : '';
    return this.error(
      `trailing garbage: the gzip data ends at byte ${end}${padding}, and the bytes from there on do not start a gzip member. ` +
        `gzip -d ignores such bytes with a warning, but they may be a damaged member whose rows would be lost (pandas refuses the file too); ` +
        `if the file is otherwise complete, cut them off (truncate -s ${end} FILE)`,
      from,
    );
  }

  private zlibError(err: Error, from: number, to: number): DuskIoError {
    const e = err as NodeJS.ErrnoException;
    const message = e.message.replace(/^zlib: /, '');
    if (e.code === 'Z_BUF_ERROR') {
      return this.error(`truncated gzip stream (unexpected end of file): the file ends inside the compressed data of the member that starts at byte ${this.memberStart}`, from, err);
    }
    return this.error(`corrupt gzip data (${message}) near compressed byte ${from} (in the deflate data of bytes ${from}–${to} of the member that starts at byte ${this.memberStart})`, from, err, true);
  }

  private error(message: string, offset: number, cause?: unknown, offsetInMessage = false): DuskIoError {
    const text = offsetInMessage ? `${this.path}: ${message}` : `${this.path}: ${message} (compressed byte ${offset})`;
    return new DuskIoError(text, { path: this.path, offset }, cause === undefined ? undefined : { cause });
  }
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/**
 * Streams the decompressed bytes of a gzip file (all members, as `gzip -d` does).
 * A truncated or corrupt stream throws a DuskIoError with the compressed offset (GzipDecoder).
 *
 * zlib runs synchronously on the calling thread (minizlib drives Node's own zlib binding), not
 * on libuv's pool as node:zlib streams do: a worker then keeps exactly one core busy, and the
 * hop to the pool and back per chunk is gone (measured on one 51 MB file: 830-920 MB/s of
 * output per core vs 600-670 for node:zlib's gunzip stream).
 */
export async function* decodeGzip(compressed: AsyncIterable<Uint8Array>, path: string): AsyncGenerator<Uint8Array> {
  const decoder = new GzipDecoder(path);
  try {
    for await (const chunk of compressed) yield* decoder.push(chunk);
    yield* decoder.end();
  } finally {
    decoder.close();
  }
}

/**
 * Decodes the start of a gzip file from a prefix of its compressed bytes (for sampling): stops
 * once maxOut bytes are out, so a 1 MB sample does not inflate the ~4 MB a 1 MB prefix holds.
 * Errors in the prefix (not a gzip file, a bad CRC, trailing garbage) throw as in decodeGzip.
 */
export function decodeGzipPrefixSync(compressedPrefix: Uint8Array, maxOut: number, path: string): Uint8Array {
  const decoder = new GzipDecoder(path);
  const decoded: Uint8Array[] = [];
  let length = 0;
  try {
    if (compressedPrefix.length === 0) decoder.end();
    const step = 1 << 16;
    for (let at = 0; at < compressedPrefix.length && length < maxOut; at += step) {
      for (const chunk of decoder.push(compressedPrefix.subarray(at, at + step))) {
        decoded.push(chunk);
        length += chunk.length;
      }
    }
  } finally {
    decoder.close();
  }
  return concatBytes(decoded).subarray(0, maxOut);
}
