import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/**
 * libbz2 compiled to WebAssembly (@foxglove/wasm-bz2), loaded our own way:
 *  - the package's `Bzip2.init()` is async only, but schema sampling needs a synchronous decode,
 *    so we compile the .wasm ourselves (async or sync) and hand the instance to the emscripten
 *    glue through its `instantiateWasm` hook, which then finishes initialising synchronously;
 *  - the glue registers process-wide 'uncaughtException'/'unhandledRejection' handlers that
 *    rethrow; a library must not change its host's error handling, so we remove them again;
 *  - we call the embind `decompress` directly to read libbz2's return code instead of parsing
 *    an error message, and keep the input/output heap buffers between calls.
 */

/** libbz2 return codes we act on (bzlib.h). */
export const BZ_OK = 0;
export const BZ_DATA_ERROR = -4;
export const BZ_DATA_ERROR_MAGIC = -5;
export const BZ_UNEXPECTED_EOF = -7;
export const BZ_OUTBUFF_FULL = -8;

interface EmscriptenBz2 {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  decompress(dst: number, dstSize: number, src: number, srcSize: number, small: number): { code: number; error?: string; buffer?: Uint8Array };
}

/**
 * The few WebAssembly JS API members we use. Our tsconfig's libs (ES2023, no DOM) and
 * @types/node 20 do not declare the WebAssembly global, so it is typed here.
 */
interface WasmInstance {
  exports: object;
}
type WasmCompiled = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmCompiled;
  Instance: new (compiled: WasmCompiled, imports: object) => WasmInstance;
  compile(bytes: Uint8Array): Promise<WasmCompiled>;
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type InstantiateHook = (imports: object, receive: (instance: WasmInstance) => void) => object;
type Factory = (moduleArg: { instantiateWasm: InstantiateHook }) => Promise<unknown>;

const require = createRequire(import.meta.url);
const WASM_PATH = require.resolve('@foxglove/wasm-bz2/wasm/module.wasm');

export type Bz2DecompressResult = { ok: true; output: Uint8Array } | { ok: false; code: number };

/** One libbz2 instance (one per thread: WASM instances are not shared between workers). */
export class WasmBz2 {
  private srcPtr = 0;
  private srcCap = 0;
  private dstPtr = 0;
  private dstCap = 0;

  constructor(private readonly mod: EmscriptenBz2) {}

  /**
   * Decompresses one complete bz2 stream into at most `maxOut` bytes. Returns libbz2's code;
   * BZ_OUTBUFF_FULL means the output did not fit (the caller retries with more room).
   * The output is a copy: the heap is reused and may move when memory grows.
   */
  decompress(src: Uint8Array, maxOut: number): Bz2DecompressResult {
    this.reserve(src.length, maxOut);
    this.mod.HEAPU8.set(src, this.srcPtr);
    const r = this.mod.decompress(this.dstPtr, maxOut, this.srcPtr, src.length, 0);
    if (r.code !== BZ_OK || r.buffer === undefined) return { ok: false, code: r.code === BZ_OK ? BZ_DATA_ERROR : r.code };
    return { ok: true, output: r.buffer.slice() };
  }

  private reserve(srcSize: number, dstSize: number): void {
    if (srcSize > this.srcCap) {
      if (this.srcPtr) this.mod._free(this.srcPtr);
      this.srcCap = Math.max(srcSize, this.srcCap * 2, 1 << 20);
      this.srcPtr = this.alloc(this.srcCap);
    }
    if (dstSize > this.dstCap) {
      if (this.dstPtr) this.mod._free(this.dstPtr);
      this.dstCap = Math.max(dstSize, 1 << 20);
      this.dstPtr = this.alloc(this.dstCap);
    }
  }

  private alloc(size: number): number {
    const ptr = this.mod._malloc(size);
    if (!ptr) throw new RangeError(`wasm-bz2: cannot allocate ${size} bytes`);
    return ptr;
  }
}

function instantiate(compiled: WasmCompiled): WasmBz2 {
  const factory = require('@foxglove/wasm-bz2/wasm/module.js') as Factory;
  const before = {
    uncaught: new Set(process.listeners('uncaughtException')),
    unhandled: new Set(process.listeners('unhandledRejection')),
  };
  const moduleArg = {
    instantiateWasm: ((imports, receive) => {
      const instance = new Wasm.Instance(compiled, imports);
      receive(instance);
      return instance.exports;
    }) as InstantiateHook,
  };
  try {
    // The glue fills `moduleArg` in place; with a synchronous instantiateWasm it is ready on return.
    factory(moduleArg).catch(() => undefined);
  } finally {
    for (const l of process.listeners('uncaughtException')) if (!before.uncaught.has(l)) process.removeListener('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection')) if (!before.unhandled.has(l)) process.removeListener('unhandledRejection', l);
  }
  const mod = moduleArg as unknown as Partial<EmscriptenBz2>;
  if (typeof mod.decompress !== 'function' || typeof mod._malloc !== 'function') {
    throw new Error('wasm-bz2: the WebAssembly module did not initialise synchronously');
  }
  return new WasmBz2(mod as EmscriptenBz2);
}

let instance: WasmBz2 | undefined;
let loading: Promise<WasmBz2> | undefined;

/** The thread's libbz2, compiled off the event loop on first use. */
export function loadWasmBz2(): Promise<WasmBz2> {
  if (instance) return Promise.resolve(instance);
  loading ??= readFile(WASM_PATH)
    .then((bytes) => Wasm.compile(bytes))
    .then((compiled) => (instance ??= instantiate(compiled)))
    .catch((err: unknown) => {
      loading = undefined; // let a later call try again
      throw err;
    });
  return loading;
}

/** The thread's libbz2, compiled synchronously if not loaded yet (schema sampling). */
export function loadWasmBz2Sync(): WasmBz2 {
  instance ??= instantiate(new Wasm.Module(readFileSync(WASM_PATH)));
  return instance;
}
