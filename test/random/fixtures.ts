import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { DuskError } from '../../src/core/errors.js';
import {
  DuskRandomError, MT19937, PCG64, PCG64DXSM, Philox, SFC64, SeedSequence, type BitGenerator, type Seed,
} from '../../src/random/index.js';

/** Load fixtures/random/NAME.json (written by scripts/random-vectors.py from numpy). */
export function loadFixture<T>(name: string): T {
  const url = new URL(`../../fixtures/random/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as T;
}

const view = new DataView(new ArrayBuffer(8));

/** The 16 hex digits of a double's IEEE-754 bits (how the fixtures store floats). */
export function hex(x: number): string {
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

export function hexAll(a: ArrayLike<number>): string[] {
  return Array.from(a, hex);
}

export type SeedJson = string | string[] | { entropy: string; spawnKey: number[] };

export function seedOf(s: SeedJson): Seed {
  if (typeof s === 'string') return BigInt(s);
  if (Array.isArray(s)) return s.map((x) => BigInt(x));
  return new SeedSequence(BigInt(s.entropy), { spawnKey: s.spawnKey });
}

export const BIT_GENERATORS: Record<string, new (seed?: Seed) => BitGenerator> = {
  PCG64, PCG64DXSM, MT19937, Philox, SFC64,
};

export function makeBitGen(name: string, seed: SeedJson): BitGenerator {
  const ctor = BIT_GENERATORS[name];
  if (!ctor) throw new Error(`unknown bit generator ${name}`);
  return new ctor(seedOf(seed));
}

/** A bit generator's state in the fixtures' JSON shape. */
export function stateJson(bg: BitGenerator): Record<string, unknown> {
  if (bg instanceof PCG64 || bg instanceof PCG64DXSM) {
    const s = bg.state;
    return { state: String(s.state.state), inc: String(s.state.inc), hasUint32: s.hasUint32, uinteger: s.uinteger };
  }
  if (bg instanceof MT19937) {
    const s = bg.state;
    return { pos: s.state.pos, keyHead: Array.from(s.state.key.subarray(0, 4)) };
  }
  if (bg instanceof Philox) {
    const s = bg.state;
    return {
      counter: Array.from(s.state.counter, String), key: Array.from(s.state.key, String),
      bufferPos: s.bufferPos, hasUint32: s.hasUint32, uinteger: s.uinteger,
    };
  }
  if (bg instanceof SFC64) {
    const s = bg.state;
    return { state: Array.from(s.state.state, String), hasUint32: s.hasUint32, uinteger: s.uinteger };
  }
  throw new Error('unknown bit generator');
}

/** Expect a DuskRandomError whose message contains numpy's wording. */
export function refuses(f: () => unknown, message: string | RegExp, numpyType = 'ValueError'): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DuskRandomError);
  expect(err).toBeInstanceOf(DuskError);
  expect((err as Error).message).toMatch(message);
  expect((err as DuskRandomError).numpyType).toBe(numpyType);
}
