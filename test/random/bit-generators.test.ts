import { describe, expect, it } from 'vitest';
import { PCG64, PCG64DXSM, Philox, type BitGenerator } from '../../src/random/index.js';
import { BIT_GENERATORS, hexAll, loadFixture, makeBitGen, stateJson, type SeedJson } from './fixtures.js';

interface RawCase {
  bitGen: string;
  seed: SeedJson;
  state0: Record<string, unknown>;
  raw: string[];
  mix: [string, (number | string)[]][];
  stateAfter: Record<string, unknown>;
}

interface JumpCase {
  bitGen: string;
  seed?: string;
  kind: 'jumped' | 'advance' | 'keyed';
  pre?: number;
  jumps?: number;
  delta?: string;
  key?: string;
  counter?: string;
  state: Record<string, unknown>;
  raw: string[];
  normals?: string[];
}

function mixDraws(bg: BitGenerator, mix: RawCase['mix']): [string, (number | string)[]][] {
  return mix.map(([kind, want]) => {
    const got = want.map(() =>
      kind === 'u32' ? bg.next32() : kind === 'u64' ? String(bg.next64()) : bg.nextDouble(),
    );
    return [kind, kind === 'f64' ? hexAll(got as number[]) : got];
  });
}

describe('bit generators: seeding, raw draws, buffered 32-bit halves, state', () => {
  const cases = loadFixture<RawCase[]>('bit-generators');
  it.each(cases.map((c) => [`${c.bitGen} seed=${JSON.stringify(c.seed)}`, c] as const))('%s', (_, c) => {
    const bg = makeBitGen(c.bitGen, c.seed);
    expect(stateJson(bg)).toEqual(c.state0);
    expect(Array.from({ length: c.raw.length }, () => String(bg.next64()))).toEqual(c.raw);
    expect(mixDraws(bg, c.mix)).toEqual(c.mix);
    expect(stateJson(bg)).toEqual(c.stateAfter);
  });

  it('state can be saved and restored', () => {
    for (const name of Object.keys(BIT_GENERATORS)) {
      const a = makeBitGen(name, '99');
      a.next64();
      a.next32();
      const b = makeBitGen(name, '1');
      (b as unknown as { state: unknown }).state = (a as unknown as { state: unknown }).state;
      expect([b.next32(), String(b.next64()), b.nextDouble()]).toEqual([a.next32(), String(a.next64()), a.nextDouble()]);
    }
  });
});

describe('jumped and advance match numpy', () => {
  const cases = loadFixture<JumpCase[]>('jumps');
  const label = (c: JumpCase): string =>
    `${c.bitGen} ${c.kind} seed=${c.seed ?? '-'} ${c.jumps ?? c.delta ?? `key=${c.key} counter=${c.counter}`}`;
  it.each(cases.map((c) => [label(c), c] as const))('%s', (_, c) => {
    let bg: BitGenerator;
    if (c.kind === 'keyed') {
      bg = new Philox(undefined, { key: BigInt(c.key!), counter: BigInt(c.counter!) });
    } else {
      const base = makeBitGen(c.bitGen, c.seed!);
      for (let i = 0; i < c.pre!; i++) base.next64();
      if (c.bitGen !== 'MT19937' && c.pre! > 0) base.next32();
      if (c.kind === 'jumped') {
        bg = (base as unknown as { jumped(n: number): BitGenerator }).jumped(c.jumps!);
      } else {
        bg = (base as unknown as { advance(d: bigint): BitGenerator }).advance(BigInt(c.delta!));
      }
    }
    expect(stateJson(bg)).toEqual(c.state);
    expect(Array.from({ length: c.raw.length }, () => String(bg.next64()))).toEqual(c.raw);
  });

  it('jumped leaves the original generator untouched', () => {
    const a = new PCG64(5);
    const before = a.state;
    a.jumped(3);
    expect(a.state).toEqual(before);
  });

  it('PCG64DXSM and PCG64 differ for the same seed', () => {
    expect(new PCG64(1).next64()).not.toBe(new PCG64DXSM(1).next64());
  });
});
