/**
 * A very small WebAssembly assembler: just enough to build the PCG64 kernels at run time
 * from readable opcode lists, so the repository carries no opaque binary and needs no
 * toolchain. WebAssembly is used because it has native wrapping 64-bit integer arithmetic,
 * which JavaScript numbers lack.
 */

/** Opcodes used by the kernels (names follow the WebAssembly text format). */
export const op = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, void: 0x40,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Const: 0x41, i64Const: 0x42,
  i64Load: 0x29, i64Store: 0x37, f64Store: 0x39,
  i32Eqz: 0x45, i32Add: 0x6a, i32Sub: 0x6b,
  i64LtU: 0x54,
  i64Add: 0x7c, i64Sub: 0x7d, i64Mul: 0x7e, i64And: 0x83, i64Or: 0x84, i64Xor: 0x85,
  i64Shl: 0x86, i64ShrU: 0x88, i64Rotr: 0x8a,
  f64Mul: 0xa2, i64ExtendI32U: 0xad, f64ConvertI64U: 0xba,
} as const;

export const valType = { i32: 0x7f, i64: 0x7e, f64: 0x7c } as const;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

/** i64.const with a value given as unsigned or signed 64-bit. */
export function i64(v: bigint): number[] {
  return [op.i64Const, ...sleb(BigInt.asIntN(64, v))];
}

export function get(i: number): number[] { return [op.localGet, ...uleb(i)]; }
export function set(i: number): number[] { return [op.localSet, ...uleb(i)]; }
/** Memory access immediates: alignment log2 and byte offset. */
export function mem(opcode: number, offset: number): number[] { return [opcode, 3, ...uleb(offset)]; }

export interface WasmFunction {
  name: string;
  params: number[];
  locals: number[];
  body: number[];
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** A module with one exported memory ("mem", `pages` × 64 KiB) and void functions. */
export function assemble(funcs: WasmFunction[], pages: number): Uint8Array {
  const types = funcs.map((f) => [0x60, ...uleb(f.params.length), ...f.params, 0]);
  const bodies = funcs.map((f) => {
    const groups = f.locals.map((t) => [1, t]);
    const code = [...vec(groups), ...f.body, op.end];
    return [...uleb(code.length), ...code];
  });
  const nameBytes = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
  const exports = [
    [...nameBytes('mem'), 0x02, 0],
    ...funcs.map((f, i) => [...nameBytes(f.name), 0x00, ...uleb(i)]),
  ];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ];
  return Uint8Array.from(bytes);
}
