/**
 * bz2 decompression: the one entry the io layer uses. Three decoders give identical bytes:
 *  - 'wasm': Dusk's own block decoder in WebAssembly (wasm/bz2-decode.c; always available, the
 *    fastest per core, measured: see bz2-choice.ts);
 *  - 'wasm-libbz2': libbz2 compiled to WebAssembly, fed one block at a time (the reference);
 *  - 'system': lbzip2 or bzip2 from PATH as a child process.
 * 'auto' picks by the measured rule; DUSK_BZ2_DECODER=wasm|wasm-libbz2|system overrides it.
 */
import { DuskError, DuskIoError } from '../../core/errors.js';
import { chooseBz2Decoder, resolveBz2Decoder, type Bz2Decoder } from './bz2-choice.js';
import { decodeBz2System } from './bz2-system.js';
import { decodeBz2PrefixWasm, decodeBz2Wasm } from './bz2-wasm-stream.js';

export type { Bz2Decoder };
export { resolveBz2Decoder };

/**
 * Streams the decompressed bytes of a whole .bz2 file (all concatenated streams) from its
 * compressed bytes. Memory stays bounded (about one block) whatever the file size. A truncated,
 * corrupt or non-bz2 file throws a DuskIoError naming the path and a compressed byte offset.
 */
export function decodeBz2(compressed: AsyncIterable<Uint8Array>, opts: { path: string; decoder?: Bz2Decoder }): AsyncIterable<Uint8Array> {
  const { path } = opts;
  let choice;
  try {
    choice = chooseBz2Decoder(opts.decoder);
  } catch (err) {
    if (err instanceof DuskError && !(err instanceof DuskIoError)) {
      throw new DuskIoError(`${path}: ${err.message}`, { path }, { cause: err });
    }
    throw err;
  }
  if (choice.decoder === 'system' && choice.run) return decodeBz2System(compressed, path, choice.run);
  return decodeBz2Wasm(compressed, path, choice.decoder === 'wasm-libbz2' ? 'libbz2' : 'dusk');
}

/**
 * Synchronously decodes the start of a bz2 file (schema sampling): whole blocks until at least
 * min(maxOut, total) bytes are out, provided the prefix holds those blocks (a level-9 block
 * takes up to about 1 MB compressed). Always Dusk's WASM decoder: a child process cannot be read
 * synchronously without blocking on a pipe, and one block costs only ~15 ms. `whole`: the prefix is the whole
 * file (a first block that cannot be decoded is then reported as corrupt or truncated).
 */
export function decodeBz2PrefixSync(compressedPrefix: Uint8Array, maxOut: number, path: string, whole = false): Uint8Array {
  return decodeBz2PrefixWasm(compressedPrefix, maxOut, path, whole);
}
