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

/** A legacy (RandomState) seed: an integer or a 1-D array of integers, each in [0, 2**32 - 1]. */
export type LegacySeed = number | bigint | ArrayLike<number | bigint>;

function legacySeedWord(v: unknown, what: string): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) {
      throw new DuskRandomError(`${what} must be an integer, got ${v} (numpy cannot cast float64 seeds to int64)`, 'TypeError');
    }
  } else if (typeof v !== 'bigint') {
    throw new DuskRandomError(`${what} must be an integer, got ${typeof v}`, 'TypeError');
  }
  if (v < 0 || v > 0xffffffff) throw new DuskRandomError(`Seed must be between 0 and 2**32 - 1 (${what} = ${v})`);
  return Number(v);
}

/** The reference init_genrand (numpy's mt19937_seed): Knuth's linear recurrence. */
function initGenrand(key: Uint32Array, s: number): void {
  key[0] = s;
  for (let i = 1; i < MT_N; i++) {
    const prev = key[i - 1]!;
    key[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
  }
}

/** The reference init_by_array (numpy's mt19937_init_by_array); arithmetic is mod 2**32. */
function initByArray(key: Uint32Array, initKey: Uint32Array): void {
  initGenrand(key, 19650218);
  const len = initKey.length;
  let i = 1, j = 0;
  for (let k = Math.max(MT_N, len); k > 0; k--) {
    const prev = key[i - 1]!;
    key[i] = ((key[i]! ^ Math.imul(prev ^ (prev >>> 30), 1664525)) >>> 0) + initKey[j]! + j;
    i++;
    j++;
    if (i >= MT_N) {
      key[0] = key[MT_N - 1]!;
      i = 1;
    }
    if (j >= len) j = 0;
  }
  for (let k = MT_N - 1; k > 0; k--) {
    const prev = key[i - 1]!;
    key[i] = ((key[i]! ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) >>> 0) - i;
    i++;
    if (i >= MT_N) {
      key[0] = key[MT_N - 1]!;
      i = 1;
    }
  }
  key[0] = 0x80000000; // MSB is 1, assuring a non-zero initial array
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

  /**
   * numpy's MT19937._legacy_seeding (what RandomState.seed does): an integer in [0, 2**32 - 1]
   * goes through init_genrand, an array of such integers through init_by_array. Afterwards
   * there is no SeedSequence (spawn refuses), as in numpy.
   */
  legacySeeding(seed: LegacySeed): void {
    if (typeof seed === 'number' || typeof seed === 'bigint') {
      initGenrand(this.key, legacySeedWord(seed, 'seed'));
    } else if (seed !== null && typeof seed === 'object' && typeof (seed as ArrayLike<unknown>).length === 'number') {
      const arr = seed as ArrayLike<unknown>;
      if (arr.length === 0) throw new DuskRandomError('Seed must be non-empty');
      const words = new Uint32Array(arr.length);
      for (let i = 0; i < arr.length; i++) words[i] = legacySeedWord(arr[i], `seed[${i}]`);
      initByArray(this.key, words);
    } else {
      throw new DuskRandomError(`seed must be an integer or an array of integers, got ${String(seed)}`, 'TypeError');
    }
    this.pos = MT_N;
    this.seedSeq = null;
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
