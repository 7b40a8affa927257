import { Readable } from 'node:stream';
import { createGunzip, constants, gunzipSync } from 'node:zlib';
import { DuskIoError } from '../../errors.js';

const GUNZIP_CHUNK = 1 << 18;

/**
 * Streams the decompressed bytes of a gzip file (all members, as `gzip -d` does).
 * A truncated or corrupt stream throws a DuskIoError with the compressed offset reached.
 */
export async function* decodeGzip(compressed: AsyncIterable<Uint8Array>, path: string): AsyncGenerator<Uint8Array> {
  let fed = 0;
  async function* counted() {
    for await (const chunk of compressed) {
      fed += chunk.length;
      yield chunk;
    }
  }
  const source = Readable.from(counted(), { objectMode: false });
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
  source.on('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  try {
    for await (const out of gunzip) yield out as Uint8Array;
  } catch (err) {
    if (err instanceof DuskIoError) throw err;
    const e = err as NodeJS.ErrnoException;
    const what = e.code === 'Z_BUF_ERROR' ? 'truncated gzip stream (unexpected end of file)' : `corrupt gzip data (${e.message})`;
    throw new DuskIoError(`${path}: ${what} near compressed byte ${fed}`, { path, offset: fed }, { cause: err });
  } finally {
    // Stopping early (head) must close the file: destroying the source ends the generator.
    source.destroy();
    gunzip.destroy();
  }
}

/** Decodes the start of a gzip file from a prefix of its compressed bytes (for sampling). */
export function decodeGzipPrefixSync(compressedPrefix: Uint8Array, path: string): Uint8Array {
  try {
    return gunzipSync(compressedPrefix, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch (err) {
    const e = err as Error;
    throw new DuskIoError(`${path}: not a readable gzip file (${e.message})`, { path, offset: 0 }, { cause: err });
  }
}
