import { wasmBase64 } from './wasm/split-rows.wasm.js';

/** The little of the WebAssembly API used here (TypeScript's ES libs do not declare it; DOM's does). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: WasmApi };

interface SplitRowsKernel {
  memory: WasmMemory;
  __heap_base: { value: number };
  configure(delimiter: number, fieldCount: number, lastProjected: number, projected: number, slotsPtr: number, nextPtr: number, intSlotsPtr: number): void;
  split_rows(bufPtr: number, start: number, len: number, final: number, outPtr: number, maxRows: number): number;
  consumed(): number;
  stopped_at_quote(): number;
}

/** Rows indexed per kernel call: the index stays small (cache-resident) and is reused. */
const ROWS_PER_CALL = 2048;
/** The kernel reads whole 64-byte blocks, so the input is followed by this much padding. */
const PADDING = 64;
const PAGE = 65536;

let kernel: SplitRowsKernel | null = null;

/** One kernel instance per thread: calls are synchronous, so parsers take turns on it. */
function splitRowsKernel(): SplitRowsKernel {
  if (kernel === null) {
    const module = new wasm.Module(Buffer.from(wasmBase64, 'base64'));
    kernel = new wasm.Instance(module, {}).exports as SplitRowsKernel;
  }
  return kernel;
}

/** Marks, in the second entry of a field, that the first holds the parsed integer (not offsets). */
export const PARSED_INT = -1;

/**
 * Finds the row and field boundaries of quote-free CSV rows with the WASM-SIMD kernel
 * (wasm/split-rows.c); it stops at the first row holding a quote. For each row the index holds,
 * at `row * stride`: the row's start, its field count (0 for a blank line), then for each
 * projected field in projection order its start and end (offsets into the buffer given to
 * `load`) — or, in an integer slot whose text is a plain integer of at most 9 digits,
 * [value, PARSED_INT].
 */
export class RowSplitter {
  readonly stride: number;
  private readonly slots: Int32Array;
  /** Field index → the first projected field at or after it (fields up to the last projected one). */
  private readonly nextProjected: Int32Array;
  private readonly intSlots: Uint8Array;
  private readonly lastProjected: number;
  private inputLength = 0;
  private inputPtr = 0;
  private indexPtr = 0;
  private lastRows = 0;
  /** The index written by the last `split`; valid until the next `load`. */
  index = new Int32Array(0);

  /**
   * `projectedFields[slot]` is the field position of projection slot `slot`; the kernel parses
   * the plain integers of the slots marked in `intSlots`.
   */
  constructor(
    private readonly delimiter: number,
    private readonly fieldCount: number,
    projectedFields: readonly number[],
    intSlots: readonly boolean[] = [],
  ) {
    this.stride = 2 + 2 * projectedFields.length;
    this.intSlots = Uint8Array.from(projectedFields, (_, slot) => (intSlots[slot] ? 1 : 0));
    this.slots = new Int32Array(fieldCount + 1).fill(-1);
    projectedFields.forEach((field, slot) => (this.slots[field] = slot));
    this.lastProjected = Math.max(-1, ...projectedFields);
    this.nextProjected = new Int32Array(fieldCount + 1).fill(-1);
    for (let field = this.lastProjected; field >= 0; field--) this.nextProjected[field] = this.slots[field]! >= 0 ? field : this.nextProjected[field + 1]!;
  }

  /** Copies `buf` into the kernel's memory and sets the kernel up for this parser. */
  load(buf: Uint8Array): void {
    const k = splitRowsKernel();
    const slotsPtr = k.__heap_base.value;
    const nextPtr = slotsPtr + this.slots.byteLength;
    const intSlotsPtr = nextPtr + this.nextProjected.byteLength;
    this.indexPtr = intSlotsPtr + ((this.intSlots.length + 3) & ~3);
    this.inputPtr = this.indexPtr + ROWS_PER_CALL * this.stride * 4;
    const needed = this.inputPtr + buf.length + PADDING;
    if (needed > k.memory.buffer.byteLength) k.memory.grow(Math.ceil((needed - k.memory.buffer.byteLength) / PAGE));
    const memory = k.memory.buffer;
    new Int32Array(memory, slotsPtr, this.slots.length).set(this.slots);
    new Int32Array(memory, nextPtr, this.nextProjected.length).set(this.nextProjected);
    new Uint8Array(memory, intSlotsPtr, this.intSlots.length).set(this.intSlots);
    new Uint8Array(memory, this.inputPtr, buf.length).set(buf);
    this.index = new Int32Array(memory, this.indexPtr, ROWS_PER_CALL * this.stride);
    this.inputLength = buf.length;
    k.configure(this.delimiter, this.fieldCount, this.lastProjected, (this.stride - 2) / 2, slotsPtr, nextPtr, intSlotsPtr);
  }

  /**
   * Indexes up to ROWS_PER_CALL rows starting at `from`; returns how many. `final` makes a last
   * row without a newline complete. `consumed` then tells where the next call starts.
   */
  split(from: number, final: boolean): number {
    this.lastRows = splitRowsKernel().split_rows(this.inputPtr, from, this.inputLength, final ? 1 : 0, this.indexPtr, ROWS_PER_CALL);
    return this.lastRows;
  }

  /** Offset just after the last complete row of the last `split`. */
  get consumed(): number {
    return splitRowsKernel().consumed();
  }

  /** Whether the last `split` stopped at a row holding a quote character (it starts at `consumed`). */
  get stoppedAtQuote(): boolean {
    return splitRowsKernel().stopped_at_quote() === 1;
  }

  /** Whether the last `split` stopped because the index was full (call again from `consumed`). */
  get full(): boolean {
    return this.lastRows === ROWS_PER_CALL;
  }
}
