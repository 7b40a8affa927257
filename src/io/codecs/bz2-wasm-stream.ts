import { concatBytes } from '../concat-bytes.js';
import { DuskIoError } from '../../core/errors.js';
import { type WasmBz2, loadWasmBz2, loadWasmBz2Sync } from './bz2-wasm.js';
import { Bz2WasmBlockDecoder } from './bz2-wasm-decoder.js';
import { type DuskBz2, loadDuskBz2 } from './bz2-dusk.js';

/** The WebAssembly block decoders: Dusk's own (the default) and libbz2 (the reference). */
export type Bz2WasmEngine = 'dusk' | 'libbz2';

/** The thread's block decoder of that kind (libbz2's 1 MB module is compiled off the event loop). */
export async function loadBz2Engine(engine: Bz2WasmEngine): Promise<DuskBz2 | WasmBz2> {
  return engine === 'libbz2' ? loadWasmBz2() : loadDuskBz2();
}

/** loadBz2Engine, synchronously (schema sampling, line counting). */
export function loadBz2EngineSync(engine: Bz2WasmEngine): DuskBz2 | WasmBz2 {
  return engine === 'libbz2' ? loadWasmBz2Sync() : loadDuskBz2();
}

/**
 * Streams a whole bz2 file through a WASM block decoder, one block at a time: memory holds about
 * one compressed block, one input chunk and one decoded block, whatever the file size.
 */
export async function* decodeBz2Wasm(compressed: AsyncIterable<Uint8Array>, path: string, engine: Bz2WasmEngine = 'dusk'): AsyncGenerator<Uint8Array> {
  yield* decodedBlocks(new Bz2WasmBlockDecoder(await loadBz2Engine(engine), path), compressed);
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
export function decodeBz2PrefixWasm(prefix: Uint8Array, maxOut: number, path: string, whole = false, engine: Bz2WasmEngine = 'dusk'): Uint8Array {
  return decodeBz2PrefixWasmSized(prefix, maxOut, path, whole, engine).decoded;
}

/**
 * decodeBz2PrefixWasm, also saying how many compressed bytes the decoded blocks took (to the
 * start of the next block): their ratio estimates the file's decoded size for partitioning.
 * `whole`: the prefix is the whole file; when its first block cannot be decoded, the error then
 * says why (corrupt, or truncated) instead of asking for more bytes than the file has.
 */
export function decodeBz2PrefixWasmSized(
  prefix: Uint8Array,
  maxOut: number,
  path: string,
  whole = false,
  engine: Bz2WasmEngine = 'dusk',
): { decoded: Uint8Array; compressedBytes: number } {
  const decoder = new Bz2WasmBlockDecoder(loadBz2EngineSync(engine), path);
  decoder.push(prefix);
  // A prefix shorter than a stream header can only be the whole (bad) file.
  if (prefix.length < 4) decoder.end();
  const parts: Uint8Array[] = [];
  let total = 0;
  while (total < maxOut) {
    let r: Uint8Array | 'more' | null;
    try {
      r = decoder.next();
    } catch (err) {
      // A bad block after good ones: the sample is what came before it, and reading the file
      // reports the block (with its offset) where it is read, as when its end is not in the prefix.
      if (total > 0 && err instanceof DuskIoError) break;
      throw err;
    }
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
