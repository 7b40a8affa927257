import { type WasmFunction, assemble, get, i64, mem, op, set, sleb, valType } from './wasm-asm.js';

/**
 * WebAssembly kernels for PCG64 (XSL-RR output, 128-bit multiplier) and PCG64DXSM (DXSM
 * output, 64-bit "cheap" multiplier). JavaScript has no 64-bit integer arithmetic short of
 * BigInt, which is ~50× too slow here; WebAssembly's i64 ops wrap mod 2**64 like C's uint64_t.
 *
 * Memory layout: [0, 32) the state being advanced (state lo, state hi, inc lo, inc hi as
 * little-endian u64); [OUT_OFFSET, OUT_OFFSET + 8 * CHUNK) the output buffer.
 * Each function takes (n) and writes n draws (u64 or f64) at OUT_OFFSET.
 */

export const OUT_OFFSET = 64;
export const CHUNK = 16384;

const MULT = 0x2360ed051fc65da44385df649fccf645n;
const MULT_LO = MULT & 0xffffffffffffffffn;
const MULT_HI = MULT >> 64n;
const CHEAP = 0xda942042e4dd58b5n;
const M32 = 0xffffffffn;

// Locals: 0 = n (param), then i64 temporaries; BLO..C2HI serve the two-lane kernel.
const N = 0, OUT = 1, SLO = 2, SHI = 3, ILO = 4, IHI = 5, A0 = 6, A1 = 7, P00 = 8, P01 = 9, P10 = 10,
  MID = 11, HI = 12, LO = 13, X = 14, BLO = 15, BHI = 16, C2LO = 17, C2HI = 18;

/** HI = high 64 bits of (src * b) for a constant b, via 32-bit halves. */
function mulhi(b: bigint, src: number = SLO): number[] {
  const b0 = b & M32, b1 = b >> 32n;
  return [
    ...get(src), ...i64(M32), op.i64And, ...set(A0),
    ...get(src), ...i64(32n), op.i64ShrU, ...set(A1),
    ...get(A0), ...i64(b0), op.i64Mul, ...set(P00),
    ...get(A0), ...i64(b1), op.i64Mul, ...set(P01),
    ...get(A1), ...i64(b0), op.i64Mul, ...set(P10),
    ...get(P00), ...i64(32n), op.i64ShrU,
    ...get(P01), ...i64(M32), op.i64And, op.i64Add,
    ...get(P10), ...i64(M32), op.i64And, op.i64Add, ...set(MID),
    ...get(A1), ...i64(b1), op.i64Mul,
    ...get(P01), ...i64(32n), op.i64ShrU, op.i64Add,
    ...get(P10), ...i64(32n), op.i64ShrU, op.i64Add,
    ...get(MID), ...i64(32n), op.i64ShrU, op.i64Add, ...set(HI),
  ];
}

/** state = HI:LO + inc, with the carry out of the low word. */
const addInc = [
  ...get(LO), ...get(ILO), op.i64Add, ...set(LO),
  ...get(HI), ...get(IHI), op.i64Add,
  ...get(LO), ...get(ILO), op.i64LtU, op.i64ExtendI32U, op.i64Add, ...set(SHI),
  ...get(LO), ...set(SLO),
];

/** One 128-bit LCG step of lane (lo, hi) by constant multiplier m and increment locals, then XSL-RR into X. */
function lcgXslrr(lo: number, hi: number, m: bigint, incLo: number, incHi: number): number[] {
  const mLo = m & 0xffffffffffffffffn, mHi = m >> 64n;
  return [
    ...mulhi(mLo, lo),
    ...get(HI), ...get(hi), ...i64(mLo), op.i64Mul, op.i64Add,
    ...get(lo), ...i64(mHi), op.i64Mul, op.i64Add, ...set(HI),
    ...get(lo), ...i64(mLo), op.i64Mul, ...set(LO),
    ...get(LO), ...get(incLo), op.i64Add, ...set(LO),
    ...get(HI), ...get(incHi), op.i64Add,
    ...get(LO), ...get(incLo), op.i64LtU, op.i64ExtendI32U, op.i64Add, ...set(hi),
    ...get(LO), ...set(lo),
    ...get(hi), ...get(lo), op.i64Xor, ...get(hi), ...i64(58n), op.i64ShrU, op.i64Rotr, ...set(X),
  ];
}

/** PCG64: state = state * MULT + inc, then X = rotr(hi ^ lo, hi >> 58) of the new state. */
const xslrrStep = [
  ...mulhi(MULT_LO),
  ...get(HI), ...get(SHI), ...i64(MULT_LO), op.i64Mul, op.i64Add,
  ...get(SLO), ...i64(MULT_HI), op.i64Mul, op.i64Add, ...set(HI),
  ...get(SLO), ...i64(MULT_LO), op.i64Mul, ...set(LO),
  ...addInc,
  ...get(SHI), ...get(SLO), op.i64Xor, ...get(SHI), ...i64(58n), op.i64ShrU, op.i64Rotr, ...set(X),
];

/** PCG64DXSM: X = DXSM(old state), then state = state * CHEAP + inc. */
const dxsmStep = [
  ...get(SHI), ...get(SHI), ...i64(32n), op.i64ShrU, op.i64Xor, ...set(X),
  ...get(X), ...i64(CHEAP), op.i64Mul, ...set(X),
  ...get(X), ...get(X), ...i64(48n), op.i64ShrU, op.i64Xor,
  ...get(SLO), ...i64(1n), op.i64Or, op.i64Mul, ...set(X),
  ...mulhi(CHEAP),
  ...get(HI), ...get(SHI), ...i64(CHEAP), op.i64Mul, op.i64Add, ...set(HI),
  ...get(SLO), ...i64(CHEAP), op.i64Mul, ...set(LO),
  ...addInc,
];

const storeU64 = [...get(OUT), ...get(X), ...mem(op.i64Store, 0)];
// (x >> 11) * 2**-53, numpy's next_double.
const storeF64 = [
  ...get(OUT), ...get(X), ...i64(11n), op.i64ShrU, op.f64ConvertI64U,
  0x44, ...Array.from(new Uint8Array(new Float64Array([1.1102230246251565e-16]).buffer)),
  op.f64Mul, ...mem(op.f64Store, 0),
];

function kernel(name: string, step: number[], store: number[]): WasmFunction {
  const body = [
    op.i32Const, ...sleb(BigInt(OUT_OFFSET)), ...set(OUT),
    op.i32Const, 0, ...mem(op.i64Load, 0), ...set(SLO),
    op.i32Const, 0, ...mem(op.i64Load, 8), ...set(SHI),
    op.i32Const, 0, ...mem(op.i64Load, 16), ...set(ILO),
    op.i32Const, 0, ...mem(op.i64Load, 24), ...set(IHI),
    op.block, op.void, op.loop, op.void,
    ...get(N), op.i32Eqz, op.brIf, 1,
    ...step,
    ...store,
    ...get(OUT), op.i32Const, 8, op.i32Add, ...set(OUT),
    ...get(N), op.i32Const, 1, op.i32Sub, ...set(N),
    op.br, 0,
    op.end, op.end,
    op.i32Const, 0, ...get(SLO), ...mem(op.i64Store, 0),
    op.i32Const, 0, ...get(SHI), ...mem(op.i64Store, 8),
  ];
  return {
    name,
    params: [valType.i32],
    locals: [valType.i32, ...Array<number>(C2HI - OUT).fill(valType.i64)],
    body,
  };
}

// The project's TypeScript libs (ES2023 + node) do not declare WebAssembly; this is the part used.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const MULT2 = (MULT * MULT) & ((1n << 128n) - 1n);

/**
 * PCG64 doubles, two interleaved lanes for instruction-level parallelism: lane A holds
 * states 1, 3, 5, ... and lane B states 2, 4, 6, ..., each stepping by MULT**2 and
 * C2 = (MULT + 1) * inc (read from memory at 32). Writes 2n doubles; n ≥ 1.
 */
function xslrrF64x2(): WasmFunction {
  const storeAt = (off: number): number[] => [
    ...get(OUT), ...get(X), ...i64(11n), op.i64ShrU, op.f64ConvertI64U,
    0x44, ...Array.from(new Uint8Array(new Float64Array([1.1102230246251565e-16]).buffer)),
    op.f64Mul, ...mem(op.f64Store, off),
  ];
  const body = [
    op.i32Const, ...sleb(BigInt(OUT_OFFSET)), ...set(OUT),
    op.i32Const, 0, ...mem(op.i64Load, 0), ...set(SLO),
    op.i32Const, 0, ...mem(op.i64Load, 8), ...set(SHI),
    op.i32Const, 0, ...mem(op.i64Load, 16), ...set(ILO),
    op.i32Const, 0, ...mem(op.i64Load, 24), ...set(IHI),
    op.i32Const, 0, ...mem(op.i64Load, 32), ...set(C2LO),
    op.i32Const, 0, ...mem(op.i64Load, 40), ...set(C2HI),
    // First pair by single steps: A = step(S), B = step(A).
    ...lcgXslrr(SLO, SHI, MULT, ILO, IHI), ...storeAt(0),
    ...get(SLO), ...set(BLO), ...get(SHI), ...set(BHI),
    ...lcgXslrr(BLO, BHI, MULT, ILO, IHI), ...storeAt(8),
    ...get(OUT), op.i32Const, 16, op.i32Add, ...set(OUT),
    ...get(N), op.i32Const, 1, op.i32Sub, ...set(N),
    op.block, op.void, op.loop, op.void,
    ...get(N), op.i32Eqz, op.brIf, 1,
    ...lcgXslrr(SLO, SHI, MULT2, C2LO, C2HI), ...storeAt(0),
    ...lcgXslrr(BLO, BHI, MULT2, C2LO, C2HI), ...storeAt(8),
    ...get(OUT), op.i32Const, 16, op.i32Add, ...set(OUT),
    ...get(N), op.i32Const, 1, op.i32Sub, ...set(N),
    op.br, 0,
    op.end, op.end,
    op.i32Const, 0, ...get(BLO), ...mem(op.i64Store, 0),
    op.i32Const, 0, ...get(BHI), ...mem(op.i64Store, 8),
  ];
  return { name: 'xslrrF64x2', params: [valType.i32], locals: [valType.i32, ...Array<number>(C2HI - OUT).fill(valType.i64)], body };
}

export interface PcgKernels {
  mem: { readonly buffer: ArrayBuffer };
  xslrrU64(n: number): void;
  xslrrF64(n: number): void;
  dxsmU64(n: number): void;
  dxsmF64(n: number): void;
  xslrrF64x2(pairs: number): void;
}

let kernels: PcgKernels | undefined;

/** The shared kernel instance (built on first use; state is copied in and out per call). */
export function pcgKernels(): PcgKernels {
  if (kernels) return kernels;
  const bytes = assemble(
    [
      kernel('xslrrU64', xslrrStep, storeU64),
      kernel('xslrrF64', xslrrStep, storeF64),
      kernel('dxsmU64', dxsmStep, storeU64),
      kernel('dxsmF64', dxsmStep, storeF64),
      xslrrF64x2(),
    ],
    Math.ceil((OUT_OFFSET + 8 * CHUNK) / 65536),
  );
  const instance = new wasm.Instance(new wasm.Module(bytes));
  kernels = instance.exports as unknown as PcgKernels;
  return kernels;
}
