import { randomBytes } from 'node:crypto';
import { checkOptions, type ListsEveryKey } from '../core/options.js';
import { DuskRandomError } from './errors.js';

/** An integer seed: a non-negative number (integer-valued) or bigint, or a list of them. */
export type Entropy = number | bigint | ReadonlyArray<number | bigint>;

export interface SeedSequenceOptions {
  /** numpy's spawn_key: the path of child indices from the root sequence. */
  spawnKey?: ReadonlyArray<number | bigint>;
  /** Size of the entropy pool in 32-bit words (numpy's default and minimum is 4). */
  poolSize?: number;
  /** How many children were already spawned (numpy's n_children_spawned). */
  nChildrenSpawned?: number;
}

/** Every SeedSequenceOptions key (checked against the interface both ways). */
const SEED_SEQUENCE_OPTION_KEYS = ['spawnKey', 'poolSize', 'nChildrenSpawned'] as const satisfies readonly (keyof SeedSequenceOptions)[];
true satisfies ListsEveryKey<SeedSequenceOptions, typeof SEED_SEQUENCE_OPTION_KEYS>;

// Constants of numpy's bit_generator.pyx (Melissa O'Neill's seed_seq hashing).
const DEFAULT_POOL_SIZE = 4;
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16;

function describe(x: unknown): string {
  return typeof x === 'bigint' ? `${x}n` : typeof x === 'string' ? JSON.stringify(x) : String(x);
}

/** One integer as little-endian 32-bit words, as numpy's _int_to_uint32_array does (0 → [0]). */
function intToWords(x: unknown, out: number[]): void {
  let n: bigint;
  if (typeof x === 'bigint') {
    n = x;
  } else if (typeof x === 'number') {
    if (!Number.isInteger(x)) {
      throw new DuskRandomError(`SeedSequence expects int or sequence of ints for entropy not ${describe(x)}`, 'TypeError');
    }
    n = BigInt(x);
  } else {
    throw new DuskRandomError(`SeedSequence expects int or sequence of ints for entropy not ${describe(x)}`, 'TypeError');
  }
  if (n < 0n) throw new DuskRandomError(`expected non-negative integer, got ${describe(x)}`);
  if (n === 0n) {
    out.push(0);
    return;
  }
  while (n > 0n) {
    out.push(Number(n & 0xffffffffn));
    n >>= 32n;
  }
}

/** numpy's _coerce_to_uint32_array: each item becomes its own run of 32-bit words. */
function toWords(x: unknown): number[] {
  const out: number[] = [];
  if (Array.isArray(x)) {
    for (const v of x as unknown[]) {
      if (Array.isArray(v)) out.push(...toWords(v));
      else intToWords(v, out);
    }
  } else {
    intToWords(x, out);
  }
  return out;
}

function hashmix(value: number, hashConst: { v: number }): number {
  value = (value ^ hashConst.v) >>> 0;
  hashConst.v = Math.imul(hashConst.v, MULT_A) >>> 0;
  value = Math.imul(value, hashConst.v) >>> 0;
  return (value ^ (value >>> XSHIFT)) >>> 0;
}

function mix(x: number, y: number): number {
  const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
  return (r ^ (r >>> XSHIFT)) >>> 0;
}

function checkCount(n: number, what: string): void {
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new DuskRandomError(`${what} must be an integer, got ${describe(n)}`, 'TypeError');
  }
  if (n < 0) throw new DuskRandomError(`${what} must be non-negative, got ${n}`);
}

/**
 * numpy's SeedSequence: hashes user entropy (plus a spawn key) into a pool of 32-bit words
 * and expands it into seeds for bit generators. Bit-identical to numpy.random.SeedSequence.
 */
export class SeedSequence {
  readonly entropy: Entropy;
  readonly spawnKey: ReadonlyArray<number | bigint>;
  readonly poolSize: number;
  nChildrenSpawned: number;
  /** The mixed entropy pool (numpy's `pool`). */
  readonly pool: Uint32Array;

  constructor(entropy?: Entropy, options: SeedSequenceOptions = {}) {
    // numpy raises a TypeError for an unexpected keyword argument.
    checkOptions('SeedSequence', options, SEED_SEQUENCE_OPTION_KEYS, { error: (m) => new DuskRandomError(m, 'TypeError') });
    const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
    if (typeof poolSize !== 'number' || !Number.isInteger(poolSize)) {
      throw new DuskRandomError(`poolSize must be an integer, got ${describe(poolSize)}`, 'TypeError');
    }
    if (poolSize < DEFAULT_POOL_SIZE) {
      throw new DuskRandomError(`The size of the entropy pool should be at least ${DEFAULT_POOL_SIZE}`);
    }
    if (entropy === undefined) {
      // Like numpy: fresh OS entropy, poolSize * 32 bits of it.
      entropy = BigInt('0x' + randomBytes(poolSize * 4).toString('hex'));
    }
    const runWords = toWords(entropy);
    const spawnKey = [...(options.spawnKey ?? [])];
    const spawnWords = toWords(spawnKey);
    this.entropy = entropy;
    this.spawnKey = Object.freeze(spawnKey);
    this.poolSize = poolSize;
    this.nChildrenSpawned = options.nChildrenSpawned ?? 0;
    checkCount(this.nChildrenSpawned, 'nChildrenSpawned');

    // numpy pads the run entropy with zeros to the pool size when a spawn key follows, so
    // that a child's key cannot collide with a longer run entropy (numpy gh-16539).
    if (spawnWords.length > 0) while (runWords.length < poolSize) runWords.push(0);
    this.pool = this.mixEntropy([...runWords, ...spawnWords]);
  }

  private mixEntropy(entropy: number[]): Uint32Array {
    const n = this.poolSize;
    const mixer = new Uint32Array(n);
    const hc = { v: INIT_A };
    for (let i = 0; i < n; i++) mixer[i] = hashmix(i < entropy.length ? entropy[i]! : 0, hc);
    for (let src = 0; src < n; src++) {
      for (let dst = 0; dst < n; dst++) {
        if (src !== dst) mixer[dst] = mix(mixer[dst]!, hashmix(mixer[src]!, hc));
      }
    }
    for (let src = n; src < entropy.length; src++) {
      for (let dst = 0; dst < n; dst++) mixer[dst] = mix(mixer[dst]!, hashmix(entropy[src]!, hc));
    }
    return mixer;
  }

  /** numpy's generate_state(n_words, dtype): 'uint64' words are pairs of 32-bit words, low first. */
  generateState(nWords: number, dtype?: 'uint32'): Uint32Array;
  generateState(nWords: number, dtype: 'uint64'): BigUint64Array;
  generateState(nWords: number, dtype: 'uint32' | 'uint64' = 'uint32'): Uint32Array | BigUint64Array {
    if (dtype !== 'uint32' && dtype !== 'uint64') {
      throw new DuskRandomError(`only support uint32 or uint64, got ${describe(dtype)}`);
    }
    if (typeof nWords !== 'number' || !Number.isInteger(nWords)) {
      throw new DuskRandomError(`nWords must be an integer, got ${describe(nWords)}`, 'TypeError');
    }
    if (nWords < 0) throw new DuskRandomError('negative dimensions are not allowed');
    const n32 = dtype === 'uint64' ? nWords * 2 : nWords;
    const state = new Uint32Array(n32);
    let hashConst = INIT_B;
    for (let i = 0; i < n32; i++) {
      let v = (this.pool[i % this.poolSize]! ^ hashConst) >>> 0;
      hashConst = Math.imul(hashConst, MULT_B) >>> 0;
      v = Math.imul(v, hashConst) >>> 0;
      state[i] = (v ^ (v >>> XSHIFT)) >>> 0;
    }
    if (dtype === 'uint32') return state;
    const out = new BigUint64Array(nWords);
    for (let i = 0; i < nWords; i++) out[i] = (BigInt(state[2 * i + 1]!) << 32n) | BigInt(state[2 * i]!);
    return out;
  }

  /** numpy's spawn(n): children with spawn keys (...spawnKey, i) for the next n indices. */
  spawn(nChildren: number): SeedSequence[] {
    checkCount(nChildren, 'nChildren');
    const out: SeedSequence[] = [];
    for (let i = this.nChildrenSpawned; i < this.nChildrenSpawned + nChildren; i++) {
      out.push(new SeedSequence(this.entropy, { spawnKey: [...this.spawnKey, i], poolSize: this.poolSize }));
    }
    this.nChildrenSpawned += nChildren;
    return out;
  }

  /** Free-standing state words as BigInts (convenience for bit generator seeding). */
  state64(nWords: number): bigint[] {
    return Array.from(this.generateState(nWords, 'uint64'));
  }
}
