import { describe, expect, it } from 'vitest';
import { SeedSequence } from '../../src/random/index.js';
import { loadFixture } from './fixtures.js';

interface Case {
  entropy: string | string[];
  spawnKey: string[];
  poolSize: number;
  pool: number[];
  u32: number[];
  u64: string[];
  children: number[][];
  childKeys: string[][];
}

const cases = loadFixture<Case[]>('seed-sequence');

describe('SeedSequence matches numpy', () => {
  it.each(cases.map((c) => [`${JSON.stringify(c.entropy).slice(0, 40)} key=[${c.spawnKey}] pool=${c.poolSize}`, c] as const))(
    '%s',
    (_, c) => {
      const entropy = Array.isArray(c.entropy) ? c.entropy.map((x) => BigInt(x)) : BigInt(c.entropy);
      const ss = new SeedSequence(entropy, { spawnKey: c.spawnKey.map((k) => BigInt(k)), poolSize: c.poolSize });
      expect(Array.from(ss.pool)).toEqual(c.pool);
      expect(Array.from(ss.generateState(9, 'uint32'))).toEqual(c.u32);
      expect(Array.from(ss.generateState(5, 'uint64'), String)).toEqual(c.u64);
      const kids = ss.spawn(3);
      expect(kids.map((k) => Array.from(k.generateState(4)))).toEqual(c.children);
      expect(kids.map((k) => k.spawnKey.map(String))).toEqual(c.childKeys);
      expect(ss.nChildrenSpawned).toBe(3);
    },
  );

  it('accepts plain numbers the same as bigints', () => {
    expect(Array.from(new SeedSequence(42).generateState(4))).toEqual(
      Array.from(new SeedSequence(42n).generateState(4)),
    );
    expect(Array.from(new SeedSequence([1, 2n, 3]).generateState(4))).toEqual(
      Array.from(new SeedSequence([1n, 2n, 3n]).generateState(4)),
    );
  });

  it('spawn continues numbering after earlier spawns', () => {
    const a = new SeedSequence(7);
    a.spawn(2);
    const third = a.spawn(1)[0]!;
    expect(third.spawnKey).toEqual([2]);
    expect(Array.from(third.generateState(4))).toEqual(
      Array.from(new SeedSequence(7, { spawnKey: [2] }).generateState(4)),
    );
  });

  it('draws fresh entropy when none is given', () => {
    const a = new SeedSequence();
    const b = new SeedSequence();
    expect(typeof a.entropy).toBe('bigint');
    expect(Array.from(a.generateState(4))).not.toEqual(Array.from(b.generateState(4)));
  });
});
