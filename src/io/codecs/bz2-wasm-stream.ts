import { concatBytes } from '../concat-bytes.js';
import { DuskIoError } from '../../core/errors.js';
import { loadWasmBz2, loadWasmBz2Sync } from './bz2-wasm.js';
import { Bz2WasmBlockDecoder } from './bz2-wasm-decoder.js';

/**
 * Streams a whole bz2 file through libbz2 (WASM), one block at a time: memory holds about one
 * compressed block, one input chunk and one decoded block, whatever the file size.
 */
export async function* decodeBz2Wasm(compressed: AsyncIterable<Uint8Array>, path: string): AsyncGenerator<Uint8Array> {
  yield* decodedBlocks(new Bz2WasmBlockDecoder(await loadWasmBz2(), path), compressed);
}

/**
 * Feeds a block decoder from compressed chunks and yields its decoded blocks; between two
 * blocks the caller may read the decoder's state (blockBit) for the block just yielded.
 */
export async function* decodedBlocks(decoder: Bz2WasmBlockDecoder, compressed: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const source = compressed[Symbol.asyncIterator]();
  try {
    for (;;) {
      const r = decoder.next();
      if (r === null) return;
      if (r !== 'more') {
        yield r;
        continue;
      }
      const chunk = await source.next();
      if (chunk.done) decoder.end();
      else decoder.push(chunk.value);
    }
  } finally {
    // Stopping early (or trailing bytes after the last stream) must still close the file.
    await source.return?.();
  }
}

/**
 * Decodes whole blocks from the start of a file until `maxOut` bytes are out or the prefix has
 * no further complete block. Throws if the prefix holds no complete block at all.
 */
export function decodeBz2PrefixWasm(prefix: Uint8Array, maxOut: number, path: string, whole = false): Uint8Array {
  return decodeBz2PrefixWasmSized(prefix, maxOut, path, whole).decoded;
}

/**
 * decodeBz2PrefixWasm, also saying how many compressed bytes the decoded blocks took (to the
 * start of the next block): their ratio estimates the file's decoded size for partitioning.
 * `whole`: the prefix is the whole file; when its first block cannot be decoded, the error then
 * says why (corrupt, or truncated) instead of asking for more bytes than the file has.
 */
export function decodeBz2PrefixWasmSized(prefix: Uint8Array, maxOut: number, path: string, whole = false): { decoded: Uint8Array; compressedBytes: number } {
  const decoder = new Bz2WasmBlockDecoder(loadWasmBz2Sync(), path);
  decoder.push(prefix);
  // A prefix shorter than a stream header can only be the whole (bad) file.
  if (prefix.length < 4) decoder.end();
  const parts: Uint8Array[] = [];
  let total = 0;
  while (total < maxOut) {
    const r = decoder.next();
    if (r === null) break;
    if (r === 'more') {
      if (total === 0 && whole && !decoder.atStreamBoundary) {
        decoder.end(); // the next call reports what is wrong with the first block
        continue;
      }
      if (total === 0 && !decoder.atStreamBoundary) {
        throw new DuskIoError(
          `${path}: the first ${prefix.length} compressed bytes hold no complete bz2 block (the file is truncated, or its first block is larger than the bytes read for sampling)`,
          { path, offset: decoder.offset },
        );
      }
      break;
    }
    parts.push(r);
    total += r.length;
  }
  return { decoded: concatBytes(parts), compressedBytes: decoder.offset };
}
