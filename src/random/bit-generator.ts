import { DuskRandomError } from './errors.js';
import { SeedSequence, type Entropy } from './seed-sequence.js';

/** What a bit generator may be seeded with, as in numpy: an integer, a list of them, or a SeedSequence. */
export type Seed = Entropy | SeedSequence;

/**
 * Base of the bit generators. Subclasses provide raw 64-bit draws as (lo, hi) uint32 pairs;
 * the Generator turns them into distributions exactly as numpy's C code does.
 */
export abstract class BitGenerator {
  /** The SeedSequence that seeded this generator (null after a state was set by hand for a keyed Philox). */
  seedSeq: SeedSequence | null;

  constructor(seed?: Seed) {
    this.seedSeq = seed instanceof SeedSequence ? seed : new SeedSequence(seed);
  }

  /** numpy's next_double: true for 53-bit (next64 >> 11) doubles, false for MT19937's two-word form. */
  readonly doubleFromHigh53: boolean = true;

  /** Write `n` raw 64-bit draws into out[0..2n) as (lo, hi) uint32 pairs. */
  abstract fillRaw(out: Uint32Array, n: number): void;

  /** numpy's next_uint32 (64-bit generators hand out the low then the high half of one draw). */
  abstract next32(): number;

  /** One raw 64-bit draw. */
  next64(): bigint {
    const b = scratch;
    this.fillRaw(b, 1);
    return (BigInt(b[1]!) << 32n) | BigInt(b[0]!);
  }

  /** numpy's next_double: a uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const b = scratch;
    this.fillRaw(b, 1);
    return this.doubleFromHigh53
      ? ((b[1]! >>> 0) * 2097152 + (b[0]! >>> 11)) * 1.1102230246251565e-16
      : ((b[1]! >>> 5) * 67108864 + (b[0]! >>> 6)) * 1.1102230246251565e-16;
  }

  /** Fill out[offset..offset+n) with next_double values (subclasses may do it faster). */
  fillDoubles(out: Float64Array, offset: number, n: number): void {
    const buf = new Uint32Array(2 * Math.min(n, 8192));
    const hi53 = this.doubleFromHigh53;
    while (n > 0) {
      const k = Math.min(n, 8192);
      this.fillRaw(buf, k);
      for (let i = 0; i < k; i++) {
        const lo = buf[2 * i]!, hi = buf[2 * i + 1]!;
        out[offset + i] = hi53
          ? (hi * 2097152 + (lo >>> 11)) * 1.1102230246251565e-16
          : ((hi >>> 5) * 67108864 + (lo >>> 6)) * 1.1102230246251565e-16;
      }
      offset += k;
      n -= k;
    }
  }

  /** numpy's BitGenerator.spawn: children seeded from this generator's SeedSequence. */
  spawn(nChildren: number): this[] {
    if (this.seedSeq === null) {
      throw new DuskRandomError('The underlying SeedSequence is not available: this generator was not seeded from one');
    }
    const ctor = this.constructor as new (seed: SeedSequence) => this;
    return this.seedSeq.spawn(nChildren).map((s) => new ctor(s));
  }
}

const scratch = new Uint32Array(2);

/** Validate a count of jumps as numpy's `np.npy_intp jumps` would accept it. */
export function checkJumps(jumps: number | bigint): bigint {
  if (typeof jumps === 'number' && !Number.isInteger(jumps)) {
    throw new DuskRandomError(`jumps must be an integer, got ${jumps}`, 'TypeError');
  }
  if (typeof jumps !== 'number' && typeof jumps !== 'bigint') {
    throw new DuskRandomError(`jumps must be an integer, got ${String(jumps)}`, 'TypeError');
  }
  return BigInt(jumps);
}

/** Two's-complement wrap of an integer to `bits` bits (numpy's wrap_int). */
export function wrapInt(v: number | bigint, bits: number, what: string): bigint {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new DuskRandomError(`${what} must be an integer, got ${v}`, 'TypeError');
    v = BigInt(v);
  } else if (typeof v !== 'bigint') {
    throw new DuskRandomError(`${what} must be an integer`, 'TypeError');
  }
  return BigInt.asUintN(bits, v);
}

const halves = new Uint32Array(2);

/**
 * A 64-bit generator with numpy's buffered 32-bit draws: next32 hands out the low half of one
 * 64-bit draw and keeps the high half for the next call (state has_uint32 / uinteger).
 */
export abstract class Buffered64BitGenerator extends BitGenerator {
  protected hasUint32 = 0;
  protected uinteger = 0;

  override next32(): number {
    if (this.hasUint32) {
      this.hasUint32 = 0;
      return this.uinteger;
    }
    this.fillRaw(halves, 1);
    this.hasUint32 = 1;
    this.uinteger = halves[1]!;
    return halves[0]!;
  }
}
