import { Buffered64BitGenerator, checkJumps, type Seed } from './bit-generator.js';
import { checkOptions, type ListsEveryKey } from '../core/options.js';
import { DuskRandomError } from './errors.js';
import { SeedSequence } from './seed-sequence.js';
import { add64, mul64, r, toBig } from './uint64-pairs.js';

export interface PhiloxState {
  bitGenerator: 'Philox';
  state: { counter: BigUint64Array; key: BigUint64Array };
  buffer: BigUint64Array;
  bufferPos: number;
  hasUint32: number;
  uinteger: number;
}

export interface PhiloxOptions {
  /** 256-bit counter (number, bigint, or 4 little-endian 64-bit words); default 0. */
  counter?: number | bigint | ReadonlyArray<number | bigint>;
  /** 128-bit key used instead of a seed (number, bigint, or 2 little-endian 64-bit words). */
  key?: number | bigint | ReadonlyArray<number | bigint>;
}

/** Every PhiloxOptions key (checked against the interface both ways). */
const PHILOX_OPTION_KEYS = ['counter', 'key'] as const satisfies readonly (keyof PhiloxOptions)[];
true satisfies ListsEveryKey<PhiloxOptions, typeof PHILOX_OPTION_KEYS>;

// Philox4x64 constants (Random123): multipliers and Weyl key increments, as (hi, lo) words.
const M0H = 0xd2e7470e, M0L = 0xe14c6c93;
const M1H = 0xca5a8263, M1L = 0x95121157;
const W0H = 0x9e3779b9, W0L = 0x7f4a7c15;
const W1H = 0xbb67ae85, W1L = 0x84caa73b;
const ROUNDS = 10;

/** numpy's int_to_array: a non-negative integer below 2**bits as little-endian 64-bit words. */
function intToWords64(value: number | bigint | ReadonlyArray<number | bigint>, name: string, bits: number): bigint[] {
  const len = bits / 64;
  if (Array.isArray(value)) {
    if (value.length !== len) throw new DuskRandomError(`${name} must have ${len} elements when using array form`);
    return (value as ReadonlyArray<number | bigint>).map((v) => BigInt.asUintN(64, BigInt(v)));
  }
  const scalar = value as number | bigint;
  if (typeof scalar === 'number' && !Number.isInteger(scalar)) {
    throw new DuskRandomError(`${name} must be an integer, got ${scalar}`, 'TypeError');
  }
  let v = BigInt(scalar);
  if (v < 0n || v >= 1n << BigInt(bits)) {
    throw new DuskRandomError(`${name} must be positive and less than 2**${bits}.`);
  }
  const out: bigint[] = [];
  for (let i = 0; i < len; i++) {
    out.push(v & 0xffffffffffffffffn);
    v >>= 64n;
  }
  return out;
}

/**
 * numpy's Philox (4×64, 10 rounds): a counter-based generator. Each block of 4 outputs
 * encrypts the counter (incremented first) under the key; draws come from that buffer.
 */
export class Philox extends Buffered64BitGenerator {
  /** counter[0..4) then key[0..2), each as (hi, lo) words: index 2i = hi, 2i+1 = lo. */
  private readonly ctr = new Uint32Array(8);
  private readonly key = new Uint32Array(4);
  private readonly buffer = new Uint32Array(8);
  private bufferPos = 4;

  constructor(seed?: Seed, options: PhiloxOptions = {}) {
    checkOptions('Philox', options, PHILOX_OPTION_KEYS, { error: (m) => new DuskRandomError(m, 'TypeError') });
    if (seed !== undefined && options.key !== undefined) {
      throw new DuskRandomError('seed and key cannot be both used');
    }
    super(options.key !== undefined ? new SeedSequence(0) : seed);
    let key: bigint[];
    if (options.key !== undefined) {
      key = intToWords64(options.key, 'key', 128);
      this.seedSeq = null; // numpy: a keyed Philox has no seed sequence
    } else {
      key = Array.from(this.seedSeq!.generateState(2, 'uint64'));
    }
    this.setWords(this.key, key);
    this.setWords(this.ctr, intToWords64(options.counter ?? 0, 'counter', 256));
  }

  private setWords(dst: Uint32Array, words: bigint[]): void {
    words.forEach((w, i) => {
      dst[2 * i] = Number(w >> 32n);
      dst[2 * i + 1] = Number(w & 0xffffffffn);
    });
  }

  private getWords(src: Uint32Array): BigUint64Array {
    const out = new BigUint64Array(src.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = toBig(src[2 * i]!, src[2 * i + 1]!);
    return out;
  }

  private refill(): void {
    const c = this.ctr;
    // Increment the 256-bit counter with carry.
    for (let w = 0; w < 4; w++) {
      add64(c[2 * w]!, c[2 * w + 1]!, 0, 1);
      c[2 * w] = r.hi;
      c[2 * w + 1] = r.lo;
      if (r.hi !== 0 || r.lo !== 0) break;
    }
    let x0h = c[0]!, x0l = c[1]!, x1h = c[2]!, x1l = c[3]!, x2h = c[4]!, x2l = c[5]!, x3h = c[6]!, x3l = c[7]!;
    let k0h = this.key[0]!, k0l = this.key[1]!, k1h = this.key[2]!, k1l = this.key[3]!;
    const p = prod;
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) {
        add64(k0h, k0l, W0H, W0L); k0h = r.hi; k0l = r.lo;
        add64(k1h, k1l, W1H, W1L); k1h = r.hi; k1l = r.lo;
      }
      mul64(M0H, M0L, x0h, x0l, p);
      const hi0h = p[0]!, hi0l = p[1]!, lo0h = p[2]!, lo0l = p[3]!;
      mul64(M1H, M1L, x2h, x2l, p);
      const hi1h = p[0]!, hi1l = p[1]!, lo1h = p[2]!, lo1l = p[3]!;
      const n0h = (hi1h ^ x1h ^ k0h) >>> 0, n0l = (hi1l ^ x1l ^ k0l) >>> 0;
      const n2h = (hi0h ^ x3h ^ k1h) >>> 0, n2l = (hi0l ^ x3l ^ k1l) >>> 0;
      x0h = n0h; x0l = n0l;
      x1h = lo1h; x1l = lo1l;
      x2h = n2h; x2l = n2l;
      x3h = lo0h; x3l = lo0l;
    }
    const b = this.buffer;
    b[0] = x0h; b[1] = x0l; b[2] = x1h; b[3] = x1l; b[4] = x2h; b[5] = x2l; b[6] = x3h; b[7] = x3l;
    this.bufferPos = 0;
  }

  override fillRaw(out: Uint32Array, n: number): void {
    for (let i = 0; i < n; i++) {
      if (this.bufferPos >= 4) this.refill();
      const j = 2 * this.bufferPos++;
      out[2 * i] = this.buffer[j + 1]!;
      out[2 * i + 1] = this.buffer[j]!;
    }
  }


  /** Add `delta` to the 256-bit counter (numpy's philox_advance); buffered draws are dropped. */
  advance(delta: number | bigint): this {
    const step = intToWords64(delta, 'step', 256);
    let ctr = 0n;
    const words = this.getWords(this.ctr);
    for (let i = 3; i >= 0; i--) ctr = (ctr << 64n) | words[i]!;
    ctr = BigInt.asUintN(256, ctr + step.reduce((acc, w, i) => acc | (w << BigInt(64 * i)), 0n));
    this.setWords(this.ctr, [0, 1, 2, 3].map((i) => (ctr >> BigInt(64 * i)) & 0xffffffffffffffffn));
    this.resetBuffers();
    return this;
  }

  private resetBuffers(): void {
    this.bufferPos = 4;
    this.buffer.fill(0);
    this.hasUint32 = 0;
    this.uinteger = 0;
  }

  /** A new generator advanced by jumps * 2**128 blocks (numpy's Philox.jumped). */
  jumped(jumps: number | bigint = 1): Philox {
    const j = checkJumps(jumps);
    const out = new Philox();
    out.state = this.state;
    out.advance(j * (1n << 128n));
    return out;
  }

  get state(): PhiloxState {
    return {
      bitGenerator: 'Philox',
      state: { counter: this.getWords(this.ctr), key: this.getWords(this.key) },
      buffer: this.getWords(this.buffer),
      bufferPos: this.bufferPos,
      hasUint32: this.hasUint32,
      uinteger: this.uinteger,
    };
  }

  set state(value: PhiloxState) {
    if (value === null || typeof value !== 'object') throw new DuskRandomError('state must be a dict', 'TypeError');
    if (value.bitGenerator !== 'Philox') throw new DuskRandomError('state must be for a Philox PRNG');
    this.setWords(this.ctr, Array.from(value.state.counter, (v) => BigInt.asUintN(64, BigInt(v))));
    this.setWords(this.key, Array.from(value.state.key, (v) => BigInt.asUintN(64, BigInt(v))));
    this.setWords(this.buffer, Array.from(value.buffer, (v) => BigInt.asUintN(64, BigInt(v))));
    this.bufferPos = value.bufferPos;
    this.hasUint32 = value.hasUint32 ? 1 : 0;
    this.uinteger = value.uinteger >>> 0;
  }
}

const prod = new Float64Array(4);
