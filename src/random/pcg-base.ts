import { Buffered64BitGenerator, checkJumps, wrapInt, type Seed } from './bit-generator.js';
import { DuskRandomError } from './errors.js';
import { CHUNK, OUT_OFFSET, pcgKernels, type PcgKernels } from './pcg64-kernel.js';

const MASK128 = (1n << 128n) - 1n;

const PCG64_MULT = 0x2360ed051fc65da44385df649fccf645n;

/** numpy's jump step for both PCG variants: (phi - 1) * 2**128, rounded to odd. */
const JUMP_STEP = 0x9e3779b97f4a7c15f39cc0605cedc835n;

/** numpy's PCG state dictionary, with camelCase keys. */
export interface PcgState {
  bitGenerator: string;
  state: { state: bigint; inc: bigint };
  hasUint32: number;
  uinteger: number;
}

/** pcg_advance_lcg_128: jump an LCG by `delta` steps in O(log delta) (Brown's algorithm). */
export function lcgAdvance(state: bigint, delta: bigint, mult: bigint, plus: bigint): bigint {
  let accMult = 1n, accPlus = 0n;
  while (delta > 0n) {
    if (delta & 1n) {
      accMult = (accMult * mult) & MASK128;
      accPlus = (accPlus * mult + plus) & MASK128;
    }
    plus = ((mult + 1n) * plus) & MASK128;
    mult = (mult * mult) & MASK128;
    delta >>= 1n;
  }
  return (accMult * state + accPlus) & MASK128;
}

let views: { k: PcgKernels; u32: Uint32Array; f64: Float64Array } | undefined;
function kernelViews(): { k: PcgKernels; u32: Uint32Array; f64: Float64Array } {
  if (!views) {
    const k = pcgKernels();
    views = { k, u32: new Uint32Array(k.mem.buffer), f64: new Float64Array(k.mem.buffer) };
  }
  return views;
}

/**
 * Shared machinery of PCG64 and PCG64DXSM: the 128-bit state and increment, numpy's
 * buffered 32-bit draws, advance/jumped and the state dictionary.
 */
export abstract class PcgBase extends Buffered64BitGenerator {
  /** state lo, state hi, inc lo, inc hi as little-endian uint32 words (the kernel's layout). */
  protected readonly words = new Uint32Array(8);

  protected abstract get multiplier(): bigint;
  protected abstract get kernelName(): 'xslrr' | 'dxsm';

  constructor(seed?: Seed) {
    super(seed);
    // numpy: generate_state(4, uint64) → initstate = w0:w1, initseq = w2:w3 (high word first).
    const w = this.seedSeq!.generateState(4, 'uint64');
    const initstate = (w[0]! << 64n) | w[1]!;
    const initseq = (w[2]! << 64n) | w[3]!;
    const inc = ((initseq << 1n) | 1n) & MASK128;
    let s = this.stepBig(0n, inc);
    s = (s + initstate) & MASK128;
    this.setRaw(this.stepBig(s, inc), inc);
  }

  /** Seeding steps use PCG64's 128-bit multiplier for both variants (numpy's pcg64_set_seed). */
  private stepBig(state: bigint, inc: bigint): bigint {
    return (state * PCG64_MULT + inc) & MASK128;
  }

  protected getRaw(): { state: bigint; inc: bigint } {
    const w = this.words;
    const word = (i: number): bigint => BigInt(w[i]!);
    return {
      state: (word(3) << 96n) | (word(2) << 64n) | (word(1) << 32n) | word(0),
      inc: (word(7) << 96n) | (word(6) << 64n) | (word(5) << 32n) | word(4),
    };
  }

  protected setRaw(state: bigint, inc: bigint): void {
    for (let i = 0; i < 4; i++) {
      this.words[i] = Number((state >> BigInt(32 * i)) & 0xffffffffn);
      this.words[4 + i] = Number((inc >> BigInt(32 * i)) & 0xffffffffn);
    }
  }

  override fillRaw(out: Uint32Array, n: number): void {
    const { k, u32 } = kernelViews();
    const run = this.kernelName === 'xslrr' ? k.xslrrU64 : k.dxsmU64;
    let offset = 0;
    while (n > 0) {
      const m = n < CHUNK ? n : CHUNK;
      u32.set(this.words, 0);
      run(m);
      this.words.set(u32.subarray(0, 4), 0);
      if (m === 1) {
        out[offset] = u32[OUT_OFFSET >> 2]!;
        out[offset + 1] = u32[(OUT_OFFSET >> 2) + 1]!;
      } else {
        out.set(u32.subarray(OUT_OFFSET >> 2, (OUT_OFFSET >> 2) + 2 * m), offset);
      }
      offset += 2 * m;
      n -= m;
    }
  }

  override fillDoubles(out: Float64Array, offset: number, n: number): void {
    const { k, u32, f64 } = kernelViews();
    const run = this.kernelName === 'xslrr' ? k.xslrrF64 : k.dxsmF64;
    if (this.kernelName === 'xslrr' && n >= 64) {
      // Two-lane kernel: both lanes step by MULT**2 with increment (MULT + 1) * inc.
      const { inc } = this.getRaw();
      const c2 = ((PCG64_MULT + 1n) * inc) & MASK128;
      for (let i = 0; i < 4; i++) u32[8 + i] = Number((c2 >> BigInt(32 * i)) & 0xffffffffn);
      while (n >= 2) {
        const m = n < CHUNK ? n & ~1 : CHUNK;
        u32.set(this.words, 0);
        k.xslrrF64x2(m >> 1);
        this.words.set(u32.subarray(0, 4), 0);
        out.set(f64.subarray(OUT_OFFSET >> 3, (OUT_OFFSET >> 3) + m), offset);
        offset += m;
        n -= m;
      }
    }
    while (n > 0) {
      const m = n < CHUNK ? n : CHUNK;
      u32.set(this.words, 0);
      run(m);
      this.words.set(u32.subarray(0, 4), 0);
      out.set(f64.subarray(OUT_OFFSET >> 3, (OUT_OFFSET >> 3) + m), offset);
      offset += m;
      n -= m;
    }
  }

  override nextDouble(): number {
    const { k, u32, f64 } = kernelViews();
    u32.set(this.words, 0);
    (this.kernelName === 'xslrr' ? k.xslrrF64 : k.dxsmF64)(1);
    this.words.set(u32.subarray(0, 4), 0);
    return f64[OUT_OFFSET >> 3]!;
  }


  /** Advance the state as if `delta` draws were made (numpy wraps delta mod 2**128). */
  advance(delta: number | bigint): this {
    const d = wrapInt(delta, 128, 'delta');
    const { state, inc } = this.getRaw();
    this.setRaw(lcgAdvance(state, d, this.multiplier, inc), inc);
    // numpy drops the buffered 32-bit half on advance.
    this.hasUint32 = 0;
    this.uinteger = 0;
    return this;
  }

  /** A new generator whose state is this one's jumped by jumps * (phi - 1) * 2**128 steps. */
  jumped(jumps: number | bigint = 1): this {
    const j = checkJumps(jumps);
    const ctor = this.constructor as new () => this;
    const out = new ctor();
    out.state = this.state;
    out.advance(BigInt.asUintN(128, JUMP_STEP * j));
    return out;
  }

  get state(): PcgState {
    const { state, inc } = this.getRaw();
    return {
      bitGenerator: this.constructor.name,
      state: { state, inc },
      hasUint32: this.hasUint32,
      uinteger: this.uinteger,
    };
  }

  set state(value: PcgState) {
    if (value === null || typeof value !== 'object') throw new DuskRandomError('state must be a dict', 'TypeError');
    if (value.bitGenerator !== this.constructor.name) {
      throw new DuskRandomError(`state must be for a ${this.constructor.name} PRNG`);
    }
    const { state, inc } = value.state;
    this.setRaw(BigInt.asUintN(128, BigInt(state)), BigInt.asUintN(128, BigInt(inc)));
    this.hasUint32 = value.hasUint32 ? 1 : 0;
    this.uinteger = value.uinteger >>> 0;
  }
}

