import { wasmBase64 } from './wasm/bz2-decode.wasm.js';

/**
 * Dusk's own bzip2 block decoder (wasm/bz2-decode.c, WebAssembly + SIMD): decodes one block at
 * any bit offset of the compressed bytes, finding the block's end itself (its end-of-block
 * symbol), so blocks need no re-framing and no end candidates. One instance per thread.
 */

interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: WasmApi };

interface Bz2Kernel {
  memory: WasmMemory;
  input_area(len: number): number;
  decode_block(len: number, startBit: number, maxBlock: number): number;
  output_area(size: number): number;
  finish_block(): number;
  result(i: number): number;
  two_pass_walks(): number;
}

/** decode_block's error codes (bz2-decode.c). */
const ERR_TRUNCATED = -1;
const ERR_DATA = -2;
const ERR_MAGIC = -3;

export type DuskBlockResult =
  | {
      ok: true;
      output: Uint8Array;
      /** Bit just after the block (where the next magic starts), in the caller's buffer. */
      endBit: number;
      crc: number;
    }
  | {
      ok: false;
      /** truncated: the bytes given end before the block does. */
      kind: 'truncated' | 'invalid' | 'crc';
      message: string;
    };

export class DuskBz2 {
  constructor(private readonly kernel: Bz2Kernel) {}

  twoPassWalks(): number {
    return this.kernel.two_pass_walks();
  }

  /**
   * Decodes the block whose magic starts at bit `startBit` of `buf[0..len)`, reading at most
   * `maxBytes` compressed bytes from the block's first byte. `level` bounds its size (1..9).
   * The output is a copy (the kernel's memory is reused by the next call).
   */
  decodeBlock(buf: Uint8Array, len: number, startBit: number, level: number, maxBytes: number): DuskBlockResult {
    const k = this.kernel;
    const first = startBit >>> 3;
    const end = Math.min(len, first + maxBytes);
    const inPtr = k.input_area(end - first);
    new Uint8Array(k.memory.buffer, inPtr, end - first).set(buf.subarray(first, end));
    const size = k.decode_block(end - first, startBit & 7, level * 100_000);
    if (size < 0) {
      if (size === ERR_TRUNCATED) return { ok: false, kind: 'truncated', message: 'the block data ends early' };
      if (size === ERR_MAGIC) return { ok: false, kind: 'invalid', message: 'no block magic' };
      return { ok: false, kind: 'invalid', message: size === ERR_DATA ? 'invalid block data' : `decoder error ${size}` };
    }
    const outPtr = k.output_area(size);
    const crc = k.finish_block() >>> 0;
    const stored = k.result(1) >>> 0;
    if (crc !== stored) {
      return { ok: false, kind: 'crc', message: `block CRC mismatch: stored ${hex(stored)}, computed ${hex(crc)}` };
    }
    const output = new Uint8Array(k.memory.buffer, outPtr, size).slice();
    return { ok: true, output, endBit: first * 8 + k.result(0), crc };
  }
}

/** Blocks this thread's decoder walked in two passes (the fallback of the one-pass walk; for tests). */
export function twoPassWalks(): number {
  return instance === undefined ? 0 : instance.twoPassWalks();
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

let instance: DuskBz2 | undefined;

/** The thread's decoder (22 kB of WebAssembly, compiled synchronously in about a millisecond). */
export function loadDuskBz2(): DuskBz2 {
  if (instance === undefined) {
    const module = new wasm.Module(Buffer.from(wasmBase64, 'base64'));
    instance = new DuskBz2(new wasm.Instance(module, {}).exports as Bz2Kernel);
  }
  return instance;
}
