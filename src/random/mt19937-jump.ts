import { MT19937_JUMP_POLY } from './mt19937-jump-poly.js';

/**
 * numpy's MT19937 jump (mt19937-jump.c): evaluates the jump polynomial at the state with
 * Horner's rule, where "multiply by x" is one step of the recurrence (gen_next) and "add" is
 * XOR of two states aligned at their positions (add_state). Kept literal to stay bit-exact.
 */

const N = 624;
const M = 397;
const MEXP = 19937;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

interface St { key: Uint32Array; pos: number }

function coef(i: number): number {
  return (MT19937_JUMP_POLY[i >>> 5]! >>> (i & 31)) & 1;
}

function genNext(s: St): void {
  const k = s.key;
  const num = s.pos;
  if (num < N - M) {
    const y = (k[num]! & UPPER) | (k[num + 1]! & LOWER);
    k[num] = k[num + M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    s.pos++;
  } else if (num < N - 1) {
    const y = (k[num]! & UPPER) | (k[num + 1]! & LOWER);
    k[num] = k[num + (M - N)]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    s.pos++;
  } else if (num === N - 1) {
    const y = (k[N - 1]! & UPPER) | (k[0]! & LOWER);
    k[N - 1] = k[M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    s.pos = 0;
  }
}

function addState(s1: St, s2: St): void {
  const a = s1.key, b = s2.key;
  const pt1 = s1.pos, pt2 = s2.pos;
  let i = 0;
  if (pt2 - pt1 >= 0) {
    for (; i < N - pt2; i++) a[i + pt1] ^= b[i + pt2]!;
    for (; i < N - pt1; i++) a[i + pt1] ^= b[i + (pt2 - N)]!;
    for (; i < N; i++) a[i + (pt1 - N)] ^= b[i + (pt2 - N)]!;
  } else {
    for (; i < N - pt1; i++) a[i + pt1] ^= b[i + pt2]!;
    for (; i < N - pt2; i++) a[i + (pt1 - N)] ^= b[i + pt2]!;
    for (; i < N; i++) a[i + (pt1 - N)] ^= b[i + (pt2 - N)]!;
  }
}

/** Jump `key` in place by 2**128 steps; returns the new position. */
export function mt19937Jump(key: Uint32Array, pos: number): number {
  const state: St = { key, pos: pos >= N ? 0 : pos };
  let i = MEXP - 1;
  while (i >= 0 && coef(i) === 0) i--;
  let temp: St;
  if (i > 0) {
    temp = { key: key.slice(), pos: state.pos };
    genNext(temp);
    i--;
    for (; i > 0; i--) {
      if (coef(i) !== 0) addState(temp, state);
      genNext(temp);
    }
    if (coef(0) !== 0) addState(temp, state);
  } else {
    temp = { key: i === 0 ? key.slice() : new Uint32Array(N), pos: i === 0 ? state.pos : 0 };
  }
  key.set(temp.key);
  return temp.pos;
}
