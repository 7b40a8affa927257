import { BitGenerator, checkJumps, type Seed } from './bit-generator.js';
import { DuskRandomError } from './errors.js';
import { mt19937Jump } from './mt19937-jump.js';

export const MT_N = 624;
const MT_M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

export interface MT19937State {
  bitGenerator: 'MT19937';
  state: { key: Uint32Array; pos: number };
}

/** Regenerate the whole 624-word block (numpy's mt19937_gen). */
function generateBlock(key: Uint32Array): void {
  let i = 0;
  for (; i < MT_N - MT_M; i++) {
    const y = (key[i]! & UPPER) | (key[i + 1]! & LOWER);
    key[i] = key[i + MT_M]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  for (; i < MT_N - 1; i++) {
    const y = (key[i]! & UPPER) | (key[i + 1]! & LOWER);
    key[i] = key[i + (MT_M - MT_N)]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  const y = (key[MT_N - 1]! & UPPER) | (key[0]! & LOWER);
  key[MT_N - 1] = key[MT_M - 1]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
}

/**
 * numpy's MT19937 (seeded through SeedSequence, not the legacy init_by_array). next64 is two
 * 32-bit draws, the first in the high half; next_double is numpy's 53-bit two-word form.
 */
export class MT19937 extends BitGenerator {
  override readonly doubleFromHigh53 = false;
  private readonly key = new Uint32Array(MT_N);
  private pos = MT_N;

  constructor(seed?: Seed) {
    super(seed);
    const val = this.seedSeq!.generateState(MT_N, 'uint32');
    // numpy: the first word keeps only its MSB, assuring a non-zero state; pos is left at 623.
    this.key.set(val);
    this.key[0] = 0x80000000;
    this.pos = MT_N - 1;
  }

  override next32(): number {
    if (this.pos === MT_N) {
      generateBlock(this.key);
      this.pos = 0;
    }
    let y = this.key[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  override fillRaw(out: Uint32Array, n: number): void {
    for (let i = 0; i < n; i++) {
      out[2 * i + 1] = this.next32();
      out[2 * i] = this.next32();
    }
  }

  /** A new generator jumped as if 2**128 * jumps draws were made (numpy's polynomial jump). */
  jumped(jumps: number | bigint = 1): MT19937 {
    const j = checkJumps(jumps);
    const out = new MT19937();
    out.state = this.state;
    // numpy loops `for i in range(jumps)`: zero or negative jumps leave the state as is.
    for (let i = 0n; i < j; i++) out.pos = mt19937Jump(out.key, out.pos);
    return out;
  }

  get state(): MT19937State {
    return { bitGenerator: 'MT19937', state: { key: this.key.slice(), pos: this.pos } };
  }

  set state(value: MT19937State) {
    if (value === null || typeof value !== 'object') throw new DuskRandomError('state must be a dict', 'TypeError');
    if (value.bitGenerator !== 'MT19937') throw new DuskRandomError('state must be for a MT19937 PRNG');
    const { key, pos } = value.state;
    if (key.length !== MT_N) throw new DuskRandomError(`state key must have ${MT_N} words`);
    if (!Number.isInteger(pos) || pos < 0 || pos > MT_N) throw new DuskRandomError(`state pos must be in [0, ${MT_N}]`);
    this.key.set(key);
    this.pos = pos;
  }
}
