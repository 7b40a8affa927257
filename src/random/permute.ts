import type { BitGenerator } from './bit-generator.js';
import { boundedUint, randomInterval } from './bounded-integers.js';

/** Mutable array-likes that shuffle can permute in place. */
export type Shuffleable<T> = T[] | Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array |
  Uint16Array | Int8Array | Uint8Array | Uint8ClampedArray | BigInt64Array | BigUint64Array;

/**
 * numpy's Generator.shuffle for a 1-D array: Fisher–Yates from the end, j drawn with
 * random_interval (masked rejection), as _shuffle_raw does.
 */
export function shuffleInPlace<T>(bg: BitGenerator, x: { length: number; [i: number]: T }): void {
  for (let i = x.length - 1; i >= 1; i--) {
    const j = randomInterval(bg, i);
    const t = x[i]!;
    x[i] = x[j]!;
    x[j] = t;
  }
}

/** numpy's Generator._shuffle_int: the same walk over data[first..n) but with Lemire bounds. */
export function shuffleInt(bg: BitGenerator, n: number, first: number, data: Float64Array): void {
  for (let i = n - 1; i >= first; i--) {
    const j = boundedUint(bg, i);
    const t = data[j]!;
    data[j] = data[i]!;
    data[i] = t;
  }
}
